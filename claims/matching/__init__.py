"""The matcher: given a text, the checkable documents on file, ranked (see docs/matching.md).

No views, templates or HTTP here, and no Django import at module level: the core (`text`, `scorers`,
`index`) runs without a database, so its tests and the benchmark need none. `store` holds the app's
index of claims (one per process, kept current through `generation`).

The import pipeline calls `claims.inbox.source_match` once a source's text has been extracted; the
suggestions it stores are what staff decide on in Incoming. This package never imports the app's
services (no import cycle): the inbox uses the matcher, not the other way round.
"""
