"""Content-hash names for source bundles, so releasing the same bundle twice reuses the upload
and the version. Vendor-free: preflight (states/shared/app_versions) and the CLI's inputs share it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from engine.domain.errors import ConfigurationError

BUNDLE_PREFIX = "bluegreen/bundles"
MAX_VERSION_LABEL = 100  # EB's limit on VersionLabel


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's content, read in chunks; ConfigurationError if unreadable."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as bundle:
            for chunk in iter(lambda: bundle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as error:
        raise ConfigurationError(f"cannot read bundle {path}: {error.strerror}") from error
    return digest.hexdigest()


def bundle_key(path: str | Path) -> str:
    """`bluegreen/bundles/<sha256[:16]>-<filename>`: the same content gets the same key."""
    return f"{BUNDLE_PREFIX}/{file_sha256(path)[:16]}-{Path(path).name}"


def version_label_for(path: str | Path) -> str:
    """`<stem>-<sha256[:12]>`, within EB's 100-character limit on version labels."""
    suffix = f"-{file_sha256(path)[:12]}"
    return Path(path).stem[: MAX_VERSION_LABEL - len(suffix)] + suffix
