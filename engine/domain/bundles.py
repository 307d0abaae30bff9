"""Content-hash names for source bundles, so releasing the same bundle twice reuses the upload
and the version. Vendor-free: preflight (states/shared/app_versions) and the CLI's inputs share it.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from engine.domain.errors import ConfigurationError

BUNDLE_PREFIX = "bluegreen/bundles"
MAX_VERSION_LABEL = 100  # EB's limit on VersionLabel
# "Not exceed 500 MB" and "consist of a single ZIP file or WAR file": the source bundle
# requirements in the EB developer guide,
# https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/applications-sourcebundle.html
# (a WAR is a zip too). Decimal megabytes: the stricter reading of "500 MB".
MAX_BUNDLE_BYTES = 500 * 1000 * 1000


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


def check_bundle(path: str | Path) -> None:
    """ConfigurationError unless `path` is a readable zip (or WAR) within EB's 500 MB limit;
    checked before anything is uploaded, so a bad bundle leaves no object and no version."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise ConfigurationError(
                f"bundle {path} is {size / 1e6:.0f} MB: EB takes source bundles of at most 500 MB"
            )
        with zipfile.ZipFile(path) as bundle:
            bundle.infolist()  # the central directory reads: the archive is whole
    except zipfile.BadZipFile as error:
        raise ConfigurationError(
            f"bundle {path} is not a zip file (EB takes a ZIP or WAR): {error}"
        ) from None
    except OSError as error:
        raise ConfigurationError(f"cannot read bundle {path}: {error.strerror}") from None


def leader_only_configs(path: str | Path) -> list[str]:
    """The `.ebextensions/*.config` files of a bundle that use `leader_only`: EB runs no
    leader-only container command under traffic-splitting deployments (EB developer guide,
    "Traffic-splitting deployments": "leader_only ... not supported"), so preflight says so."""
    found = []
    try:
        with zipfile.ZipFile(path) as bundle:
            for name in bundle.namelist():
                config = name.startswith(".ebextensions/") and name.endswith(".config")
                if config and b"leader_only" in bundle.read(name):
                    found.append(name)
    except (OSError, zipfile.BadZipFile):
        return []  # check_bundle has said what is wrong with it
    return found
