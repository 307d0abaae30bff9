"""Source bundles: the zip an application version points at, and its `simulator.json` manifest.

The manifest says how the simulated app behaves once deployed: HTTP status and body, the EB
health colour after deployment, extra start-up time, flapping answers and flapping health.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

MANIFEST = "simulator.json"
HEALTH_COLOURS = ("Green", "Yellow", "Red", "Grey")


class BundleError(ValueError):
    """The bundle is not a zip, or its manifest is not valid."""


@dataclass(frozen=True)
class Manifest:
    """How a deployed version behaves (defaults: 200, `version <label>`, Green, no delay)."""

    status: int = 200
    body: str | None = None
    health: str = "Green"
    start_seconds: float = 0.0
    flap: int = 0  # alternate `flap` good answers with `flap` 503s; 0 = steady
    health_flap: float = 0.0  # EB health alternates with Yellow every so many seconds; 0 = off
    # Answer `fail_status` once deployed this many seconds (0 = never). EB health stays as it
    # was: only an HTTP probe notices (the stricter test of a release engine).
    fail_after: float = 0.0
    fail_status: int = 500

    def body_for(self, label: str) -> str:
        return self.body if self.body is not None else f"version {label}"


def read_manifest(bundle: bytes) -> Manifest:
    """The manifest inside a zip bundle (defaults when it has none)."""
    try:
        with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
            if MANIFEST not in archive.namelist():
                return Manifest()
            raw = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BundleError(f"invalid source bundle: {error}") from error
    return _manifest_from(raw)


def _manifest_from(raw: Any) -> Manifest:
    if not isinstance(raw, dict):
        raise BundleError(f"{MANIFEST} must hold a JSON object")
    try:
        manifest = Manifest(
            status=int(raw.get("status", 200)),
            body=None if raw.get("body") is None else str(raw["body"]),
            health=str(raw.get("health", "Green")),
            start_seconds=float(raw.get("start_seconds", 0.0)),
            flap=int(raw.get("flap", 0)),
            health_flap=float(raw.get("health_flap", 0.0)),
            fail_after=float(raw.get("fail_after", 0.0)),
            fail_status=int(raw.get("fail_status", 500)),
        )
    except (TypeError, ValueError) as error:
        raise BundleError(f"invalid {MANIFEST}: {error}") from error
    if manifest.health not in HEALTH_COLOURS:
        raise BundleError(f"health must be one of {HEALTH_COLOURS}, not {manifest.health!r}")
    if manifest.fail_after < 0:
        raise BundleError(f"fail_after cannot be negative: {manifest.fail_after}")
    return manifest


def make_bundle(
    label: str,
    status: int = 200,
    body: str | None = None,
    health: str | None = None,
    start_seconds: float | None = None,
    flap: int | None = None,
    health_flap: float | None = None,
    fail_after: float | None = None,
    fail_status: int | None = None,
) -> bytes:
    """A zip source bundle whose `simulator.json` describes the app's behaviour."""
    manifest: dict[str, Any] = {"status": status}
    optional = {
        "body": body,
        "health": health,
        "start_seconds": start_seconds,
        "flap": flap,
        "health_flap": health_flap,
        "fail_after": fail_after,
        "fail_status": fail_status,
    }
    manifest.update({key: value for key, value in optional.items() if value is not None})
    _manifest_from(manifest)  # fail early on a bad manifest
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
        archive.writestr("application.py", f"# simulated application, version {label}\n")
    return buffer.getvalue()
