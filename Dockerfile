# Linkwell's web server (`linkwell serve`); the same image runs the worker and the backups
# (compose.yaml). Build: docker build -t linkwell .   Settings: README.md, "Run in production".
FROM python:3.11-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LINKWELL_VAR_DIR=/var/lib/linkwell \
    STATIC_ROOT=/app/staticfiles \
    LINKWELL_BIND=0.0.0.0:8000 \
    LINKWELL_COLLECTSTATIC=0

# pg_dump and pg_restore for `linkwell backup` and `restore` (Debian 13: PostgreSQL 17, which
# must be at least the database server's major version).
RUN apt-get update \
    && apt-get install --yes --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin linkwell \
    && mkdir -p /var/lib/linkwell /var/backups/linkwell \
    && chown linkwell:linkwell /var/lib/linkwell /var/backups/linkwell

WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p linkwell config && touch linkwell/__init__.py config/__init__.py \
    && pip install . && pip uninstall --yes linkwell
COPY config ./config
COPY linkwell ./linkwell
COPY manage.py ./
# Installed in place: the code runs from /app, with its fonts, images and translations.
RUN pip install --no-deps --editable . \
    && SECRET_KEY=collectstatic-at-build-only ALLOWED_HOSTS=localhost \
       linkwell collectstatic --noinput --verbosity 0 \
    && python -m compileall -q config linkwell

USER linkwell
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "linkwell.operations.server", "/healthz"]
STOPSIGNAL SIGTERM
CMD ["linkwell", "serve"]
