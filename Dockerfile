# syntax=docker/dockerfile:1
# The bluegreen CLI on Debian bookworm (Python 3.11): a virtualenv built in two stages
# (dependencies, then the project), copied into a slim runtime that runs as a non-root user
# with its history on the /data volume.
#   docker build -t bluegreen .
#   docker run --rm --env-file .env -v bluegreen-data:/data bluegreen full
# CI builds it with buildah on a locally debootstrapped base (.ci/image.sh sets BASE_IMAGE).
ARG BASE_IMAGE=debian:bookworm-slim

# Dependencies only, from pyproject.toml and empty packages: this stage is reused until the
# dependencies change. The optional build secrets carry a build host's pip index and CA
# settings (hosts behind a proxy); they are mounted for the pip steps only, never stored.
FROM ${BASE_IMAGE} AS deps
# The simulator extra (moto's server, about 200 MB) makes `bluegreen demo` work in the image;
# `--build-arg EXTRAS=postgres` builds a lean image for real releases only.
ARG EXTRAS=simulator,postgres
ENV DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf \
    --mount=type=secret,id=pip-ca.pem,target=/etc/ssl/certs/pip-build-ca.pem \
    apt-get update \
    && apt-get install -y --no-install-recommends python3=3.11.* python3-venv=3.11.* \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/bluegreen \
    && mkdir -p engine states storage cloud simulator alembic \
    && for package in engine states storage cloud simulator; do touch "$package/__init__.py"; done \
    && /opt/bluegreen/bin/pip install --quiet ".[${EXTRAS}]" \
    && /opt/bluegreen/bin/pip uninstall --quiet --yes beanstalk-bluegreen \
    && rm -rf /src/*

FROM deps AS build
COPY . ./
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf \
    --mount=type=secret,id=pip-ca.pem,target=/etc/ssl/certs/pip-build-ca.pem \
    /opt/bluegreen/bin/pip install --quiet --no-deps . \
    && /opt/bluegreen/bin/pip check \
    && /opt/bluegreen/bin/pip uninstall --quiet --yes pip setuptools

FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="beanstalk-bluegreen" \
      org.opencontainers.image.description="Resumable blue/green releases for AWS Elastic Beanstalk" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3=3.11.* \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 bluegreen \
    && useradd --uid 10001 --gid 10001 --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin bluegreen \
    && install -d -m 0750 -o bluegreen -g bluegreen /data
COPY --from=build /opt/bluegreen /opt/bluegreen
ENV PATH=/opt/bluegreen/bin:${PATH} \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/data \
    XDG_STATE_HOME=/data \
    BLUEGREEN_DATABASE_URL=sqlite:////data/runs.db
VOLUME ["/data"]
WORKDIR /data
# Numeric, so that orchestrators (e.g. Kubernetes runAsNonRoot) can verify it: user bluegreen.
USER 10001:10001
ENTRYPOINT ["/opt/bluegreen/bin/bluegreen"]
CMD ["--help"]
