"""Matching imported sources against the claims on file (DESIGN §4: "match against claims → Matches").

The import pipeline calls `match_source` once a source's text has been
extracted. The matcher itself is a later piece of work; until it lands the
hook does nothing, so the pipeline already runs end to end and the matcher
only has to fill this function in.
"""

from claims.models import Source


def match_source(source: Source) -> None:
    """Suggest links between `source` and claims on file. Not written yet: does nothing."""
