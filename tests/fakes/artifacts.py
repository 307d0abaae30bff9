"""FakeArtifactStore: buckets and objects in memory; `calls` per method; `crash_after`."""

from __future__ import annotations

from collections import Counter

from engine.domain.errors import NotFoundError
from tests.fakes.crash import Crash


class FakeArtifactStore:
    def __init__(self) -> None:
        self.buckets: set[str] = set()
        self.objects: dict[tuple[str, str], bytes] = {}
        self.calls: Counter[str] = Counter()
        self.crash_after: set[str] = set()

    def add_bucket(self, name: str) -> None:
        self.buckets.add(name)

    def object_exists(self, bucket: str, key: str) -> bool:
        self.calls["object_exists"] += 1
        self._require_bucket(bucket)
        return (bucket, key) in self.objects

    def upload(self, bucket: str, key: str, path: str) -> None:
        self.calls["upload"] += 1
        self._require_bucket(bucket)
        with open(path, "rb") as source:
            self.objects[(bucket, key)] = source.read()
        if "upload" in self.crash_after:
            self.crash_after.discard("upload")
            raise Crash("crashed after upload")

    def _require_bucket(self, bucket: str) -> None:
        if bucket not in self.buckets:
            raise NotFoundError(f"The specified bucket does not exist: {bucket}")
