FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VK_ENVIRONMENT=production
WORKDIR /app
# pg_dump/pg_restore for deploy/backup.sh and restore.sh (the `backup` service): bookworm's
# client is 15, the server's major version (docs/backup.md).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
RUN pip install --no-cache-dir . && useradd --system --uid 10001 app
COPY . .
RUN SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build \
    MEDICAL_ENCRYPTION_KEYS=build:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA \
    python manage.py collectstatic --no-input
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
