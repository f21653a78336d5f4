import io

import pytest
from django.core.management import CommandError, call_command

from claims.matching import clef

CLAIMS_TSV = (
    "\tvclaim\ttitle\n"
    "0\tIran has supplied drones to Russia for the war in Ukraine.\tDid Iran Sell Drones to Russia?\n"
    '1\t"Drinking hot water cures the ""coronavirus""."\tDoes Hot Water Cure COVID-19?\n'
    "2\tThe Eiffel Tower will be demolished next year.\tIs the Eiffel Tower Coming Down?\n"
)
QUERIES_TSV = (
    "\ttweet_content\n"
    "q1\tHot water kills the coronavirus, drink it every hour! pic.twitter.com/abc\n"
    "q2\t#Iran sent #drones to Russia — Some One (@someone) March 3, 2023\n"
)


def test_rank_claims_writes_trec_run_lines(tmp_path):
    (tmp_path / "claims.tsv").write_text(CLAIMS_TSV)
    (tmp_path / "queries.tsv").write_text(QUERIES_TSV)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "rank_claims", claims=tmp_path / "claims.tsv", queries=tmp_path / "queries.tsv", top=2, stdout=out, stderr=err
    )
    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [(row[0], row[3]) for row in lines] == [("q1", "1"), ("q1", "2"), ("q2", "1"), ("q2", "2")]
    assert (lines[0][2], lines[2][2]) == ("1", "0")  # each query's own claim first
    assert all(row[1] == "Q0" and row[5] == "factcheck-matcher" for row in lines)
    assert float(lines[0][4]) >= float(lines[1][4])
    assert "3 claims indexed" in err.getvalue()


def test_rank_claims_says_what_is_wrong_with_its_input(tmp_path):
    (tmp_path / "claims.tsv").write_text("\tvclaim\n0\n")
    (tmp_path / "queries.tsv").write_text(QUERIES_TSV)
    with pytest.raises(CommandError, match="expected id, claim"):
        call_command("rank_claims", claims=tmp_path / "claims.tsv", queries=tmp_path / "queries.tsv")
    with pytest.raises(CommandError, match="Could not read"):
        call_command("rank_claims", claims=tmp_path / "missing.tsv", queries=tmp_path / "queries.tsv")


def test_metrics_count_as_the_clef_scorer_does():
    qrels = {"a": {"x"}, "b": {"y"}, "c": {"z"}}
    figures = clef.evaluate({"a": ["x", "p"], "b": ["p", "q", "y"], "c": ["p"] * 5}, qrels)
    assert figures["MAP@1"] == pytest.approx(1 / 3)
    assert figures["MAP@5"] == pytest.approx((1 + 1 / 3) / 3)
    assert figures["Recall@5"] == pytest.approx(2 / 3)
