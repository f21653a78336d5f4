"""Background import: the safe fetcher, feed parsing, article extraction and the pipeline.

How they fit: docs/architecture.md, "Importing".

- `fetch` — the one module that makes outbound HTTP requests (SSRF-safe).
- `feeds` — RSS/Atom bytes to plain-text items, defused.
- `extract` — article text and metadata from HTML we fetched ourselves.
- `pipeline` — poll a feed, fetch a source, schedule due work: what the Celery
  tasks and `manage.py import_feed` call.
"""
