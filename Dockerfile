# The claim tracker's image: web, worker and beat all run from it (compose.yaml, docs/deploy.md).
# Not built by this project's CI, whose machines have no container engine; deploy/smoke.py proves
# the same stack without containers.
FROM python:3.12-slim-bookworm

# FriBiDi lays out right-to-left text on the share cards; PostgreSQL's client for backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfribidi0 postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 factcheck
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .

# Static files are collected into the image; WhiteNoise serves them from the web process.
ENV FACTCHECK_VAR_DIR=/var/lib/factcheck STATIC_ROOT=/app/staticfiles PYTHONUNBUFFERED=1
RUN DEBUG=True python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/factcheck && chown factcheck /var/lib/factcheck
USER factcheck
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "factcheck.wsgi"]
