"""The matcher: given a text, the checkable documents on file, ranked (see docs/matching.md).

No views, templates or HTTP here, and no Django import at module level: the core (`text`, `scorers`,
`index`) runs without a database, so its tests and the benchmark need none. `store` holds the app's
index of claims (one per process, kept current through `generation`).

The import pipeline calls `match_source` once a source's text has been extracted; the suggestions it
stores are what staff decide on in Incoming (claims/inbox.py).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claims.models import Source


def match_source(source: "Source") -> None:
    """Suggest links between `source` and the claims on file (ArticleMatch rows at or above the
    "suggest" threshold; pairs already decided are left as they are)."""
    # Imported here: the matcher's import and model load are paid only by a process that matches.
    from claims.inbox import source_match

    source_match(source=source)
