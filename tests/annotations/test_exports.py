import csv
import io
import json

import pytest
from django.core.management import call_command

from annotations.exports import CLAIM_COLUMNS, FACT_CSV_COLUMNS, export_lines
from annotations.services import contradiction_flag, fact_reconcile


@pytest.fixture
def fact(seeds, make_claim, user):
    a = make_claim(seeds["000"], "November 2012", subject="asylum offered")
    b = make_claim(seeds["001"], "August 16, 2012")
    contradiction = contradiction_flag(claims=[a, b], user=user)
    return fact_reconcile(contradiction=contradiction, user=user, value_text="16 August 2012",
                          status="reconciled", rationale="Announced by Patiño, “legitimate” fears.",
                          stances={a.pk: "refutes", b.pk: "supports"}, subject="Julian Assange",
                          property="date asylum granted")


def test_fact_csv_has_one_row_per_piece_of_evidence(fact):
    rows = list(csv.DictReader(io.StringIO("".join(export_lines(what="facts", fmt="csv")))))
    assert list(rows[0]) == FACT_CSV_COLUMNS
    assert [(r["stance"], r["exact"], r["source_origin"]) for r in rows] == [
        ("refutes", "November 2012", "000_344638030b921028.txt"),
        ("supports", "August 16, 2012", "001_f668abeb122312ed.txt"),
    ]
    for row in rows:
        assert row["value"] == "16 August 2012" and row["reviewer"] == "rita"
        assert fact.evidence.get(claim_id=row["claim_id"]).claim.source.text[int(row["start"]):int(row["end"])] == row["exact"]


def test_fact_jsonl_carries_evidence(fact):
    records = [json.loads(line) for line in export_lines(what="facts", fmt="jsonl")]
    assert len(records) == 1
    record = records[0]
    assert record["subject"] == "Julian Assange" and record["property"] == "date asylum granted"
    assert record["rationale"] == "Announced by Patiño, “legitimate” fears."
    assert {(e["stance"], e["exact"]) for e in record["evidence"]} == {
        ("refutes", "November 2012"), ("supports", "August 16, 2012")}


def test_claims_csv_and_jsonl_list_every_claim(fact):
    rows = list(csv.DictReader(io.StringIO("".join(export_lines(what="claims", fmt="csv")))))
    assert list(rows[0]) == CLAIM_COLUMNS
    assert [r["exact"] for r in rows] == ["November 2012", "August 16, 2012"]
    assert rows[0]["subject"] == "asylum offered"
    records = [json.loads(line) for line in export_lines(what="claims", fmt="jsonl")]
    assert [r["kind"] for r in records] == ["date", "date"]


def test_export_command_writes_a_file(fact, tmp_path):
    out = tmp_path / "facts.csv"
    call_command("export", "--format", "csv", "--what", "facts", "--output", str(out))
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    assert {r["exact"] for r in rows} == {"November 2012", "August 16, 2012"}


def test_export_command_to_stdout(fact, capsys):
    call_command("export", "--format", "jsonl", "--what", "claims")
    lines = capsys.readouterr().out.strip().split("\n")
    assert [json.loads(line)["exact"] for line in lines] == ["November 2012", "August 16, 2012"]
