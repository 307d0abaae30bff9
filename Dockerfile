# syntax=docker/dockerfile:1
# The bluegreen CLI on Debian bookworm (Python 3.11): a virtualenv built in stages
# (dependencies, then the project), copied into a slim runtime that runs as a non-root user
# with its history on the /data volume. Two images from one file:
#   docker build -t bluegreen .                    # lean (the default, last stage): releases
#   docker build --target demo -t bluegreen:demo . # + the simulator: `bluegreen demo`
#   docker run --rm --env-file .env -v bluegreen-data:/data bluegreen full
# CI builds both with buildah on a locally debootstrapped base (.ci/image.sh sets BASE_IMAGE)
# and checks the lean one stays under 200 MB.
ARG BASE_IMAGE=debian:bookworm-slim

# Python itself, shared by the build stages and both runtimes (the venv's interpreter is
# this one, so it must be the same in every stage), and Debian's libpq for psycopg's pure
# Python implementation (the lean image leaves out psycopg-binary's 12 MB of bundled libs).
# A debootstrapped base keeps downloaded packages: cleaned here (about 9 MB).
FROM ${BASE_IMAGE} AS python
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       python3=3.11.* libpq5=15.* \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log

# Dependencies only, from pyproject.toml and empty packages: this stage is reused until the
# dependencies change. psycopg without its binary extra (the postgres extra's range; libpq
# is Debian's, above). The optional build secrets carry a build host's pip index and CA
# settings (hosts behind a proxy); they are mounted for the pip steps only, never stored.
FROM python AS deps
ENV DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf \
    --mount=type=secret,id=pip-ca.pem,target=/etc/ssl/certs/pip-build-ca.pem \
    apt-get update \
    && apt-get install -y --no-install-recommends python3-venv=3.11.* \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/bluegreen \
    && mkdir -p engine states storage cloud simulator alembic \
    && for package in engine states storage cloud simulator; do touch "$package/__init__.py"; done \
    && /opt/bluegreen/bin/pip install --quiet . "psycopg>=3.1.18,<4" \
    && /opt/bluegreen/bin/pip uninstall --quiet --yes beanstalk-bluegreen \
    && rm -rf /src/*

FROM deps AS build
COPY . ./
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf \
    --mount=type=secret,id=pip-ca.pem,target=/etc/ssl/certs/pip-build-ca.pem \
    /opt/bluegreen/bin/pip install --quiet --no-deps . \
    && /opt/bluegreen/bin/pip check

# The lean venv: botocore keeps the models of the services the engine and the standard
# credential chain call (SSO and web identity included: OIDC in CI); the other ~400 are
# about 27 MB this image does not need (.ci/image.sh makes a client of each kept one).
# SQLAlchemy's compiled extensions ship with debug information (about 7 MB): stripped.
FROM build AS build-lean
ARG BOTOCORE_SERVICES="elasticbeanstalk s3 sts sso sso-oidc route53 ssm cloudwatch"
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends binutils=2.40-* \
    && rm -rf /var/lib/apt/lists/* \
    && site=$(/opt/bluegreen/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') \
    && for dir in "$site"/botocore/data/*/; do \
         service=$(basename "$dir"); \
         case " $BOTOCORE_SERVICES " in *" $service "*) ;; *) rm -rf "$dir" ;; esac; \
       done \
    && find "$site/sqlalchemy" -name '*.so' -exec strip --strip-debug {} + \
    && /opt/bluegreen/bin/pip uninstall --quiet --yes pip setuptools

# The demo venv: the lean one plus the simulator extra (moto's server, about 200 MB).
FROM build AS build-demo
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf \
    --mount=type=secret,id=pip-ca.pem,target=/etc/ssl/certs/pip-build-ca.pem \
    /opt/bluegreen/bin/pip install --quiet ".[simulator,postgres]" \
    && /opt/bluegreen/bin/pip check \
    && /opt/bluegreen/bin/pip uninstall --quiet --yes pip setuptools

FROM python AS runtime
LABEL org.opencontainers.image.title="beanstalk-bluegreen" \
      org.opencontainers.image.description="Resumable blue/green releases for AWS Elastic Beanstalk" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --gid 10001 bluegreen \
    && useradd --uid 10001 --gid 10001 --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin bluegreen \
    && install -d -m 0750 -o bluegreen -g bluegreen /data
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

FROM runtime AS demo
COPY --from=build-demo /opt/bluegreen /opt/bluegreen

# The Bitbucket pipe (pipelines/bitbucket/pipe.yml): the lean image whose command is the CI
# step, since a pipe runs its image's default command.
FROM runtime AS pipe
COPY --from=build-lean /opt/bluegreen /opt/bluegreen
CMD ["ci-step"]

# The default target (last): releases only, no simulator.
FROM runtime AS lean
COPY --from=build-lean /opt/bluegreen /opt/bluegreen
