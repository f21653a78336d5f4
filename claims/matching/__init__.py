"""The matcher: given a text, the checkable documents on file, ranked (see docs/matching.md).

No views, templates or HTTP here, and no Django import at module level: the core (`text`, `scorers`,
`index`) runs without a database, so its tests and the benchmark need none.

The import pipeline calls `match_source` once a source's text has been extracted. Wiring it to the
app's index (and storing the suggestions it returns) is the next piece of work; until then the hook
does nothing, so the pipeline runs end to end.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claims.models import Source


def match_source(source: "Source") -> None:
    """Suggest links between `source` and claims on file. Not wired to the app's index yet: does nothing."""
