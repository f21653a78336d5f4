"""Rank claims for each query with the app's matcher and write TREC run lines (CLEF 2020 Task 2 format)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.matching import clef
from claims.matching.index import Document, Index


class Command(BaseCommand):
    help = (
        "Index the claims of a TSV (id, claim [, title]) with the app's matcher, rank them for every query of "
        "another TSV (id, text), and print TREC run lines: qid Q0 docid rank score tag. "
        "Score the output with the qrels file, e.g. `python bench/matching_eval.py` or trec_eval."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=Path, required=True, help="TSV of claims: id, claim [, title]")
        parser.add_argument("--queries", type=Path, required=True, help="TSV of queries: id, text")
        parser.add_argument("--top", type=int, default=1000, help="documents per query (default 1000)")
        parser.add_argument("--tag", default="factcheck-matcher", help="run tag in the last column")

    def handle(self, *args, claims: Path, queries: Path, top: int, tag: str, **options):
        if top < 1:
            raise CommandError("--top must be at least 1.")
        try:
            documents = [Document(doc_id, text) for doc_id, text in clef.read_claims(claims)]
            rows = clef.read_queries(queries)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"Could not read the input: {exc}") from exc
        started = time.perf_counter()
        index = Index()
        index.add(documents)
        built = time.perf_counter() - started
        started = time.perf_counter()
        for qid, text in rows:
            matches = index.match(text, top=top)
            lines = clef.trec_lines(qid, ((m.doc_id, m.score) for m in matches), tag)
            if lines:
                self.stdout.write("\n".join(lines))
        self.stderr.write(
            f"{len(documents)} claims indexed in {built:.1f} s; {len(rows)} queries ranked in "
            f"{time.perf_counter() - started:.1f} s."
        )
