"""Stop `make test` at once, with what to do, when PostgreSQL or Redis is not there."""

import os
import socket
import sys
from urllib.parse import urlsplit


def reachable(url: str, default_port: int) -> tuple[bool, str]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return True, f"{host}:{port}"
    except OSError:
        return False, f"{host}:{port}"


def main() -> int:
    problems = []
    database_url = os.environ["DATABASE_URL"]
    broker_url = os.environ["CELERY_BROKER_URL"]
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append(f"DATABASE_URL must point at PostgreSQL for the test suite (got {database_url!r}).")
    else:
        ok, where = reachable(database_url, 5432)
        if not ok:
            problems.append(
                f"PostgreSQL is not answering at {where}. Start it "
                "(e.g. `pg_ctlcluster 15 main start`) or set DATABASE_URL=postgres://USER@HOST:PORT/DB."
            )
    if not broker_url.startswith(("redis://", "rediss://")):
        problems.append(f"CELERY_BROKER_URL must point at Redis for the test suite (got {broker_url!r}).")
    else:
        ok, where = reachable(broker_url, 6379)
        if not ok:
            problems.append(
                f"Redis is not answering at {where}. Start it (e.g. `redis-server --daemonize yes`) "
                "or set CELERY_BROKER_URL=redis://HOST:PORT/0."
            )
    for problem in problems:
        print(f"make test: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
