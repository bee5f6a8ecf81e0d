"""Facts and claims as CSV and JSON Lines, produced row by row so any size streams.

Column lists are stable and documented in the README; new columns are only ever added
at the end.
"""
import csv
import io
import json
from collections.abc import Iterable, Iterator

from .models import Claim, Fact
from .selectors import fact_list

FORMATS = ("csv", "jsonl")
WHATS = ("facts", "claims")

FACT_CSV_COLUMNS = [
    "fact_id", "subject", "property", "value", "status", "rationale", "reviewer",
    "reconciled_at", "version", "stance", "claim_id", "source_title", "source_origin",
    "start", "end", "exact",
]
CLAIM_COLUMNS = [
    "claim_id", "source_title", "source_origin", "start", "end", "exact", "prefix", "suffix",
    "kind", "value", "subject", "note", "origin", "status", "created_by", "created_at",
]


def _username(user) -> str:
    return user.get_username() if user else ""


def evidence_record(evidence) -> dict:
    claim = evidence.claim
    return {
        "stance": evidence.stance,
        "claim_id": claim.pk,
        "source_title": claim.source.title,
        "source_origin": claim.source.origin,
        "start": claim.start,
        "end": claim.end,
        "exact": claim.exact,
    }


def fact_record(fact: Fact) -> dict:
    return {
        "fact_id": fact.pk,
        "subject": fact.subject,
        "property": fact.property,
        "value": fact.value_text,
        "value_normalised": fact.value,
        "status": fact.status,
        "rationale": fact.rationale,
        "reviewer": _username(fact.reviewer),
        "reconciled_at": fact.reconciled_at.isoformat(),
        "version": fact.version,
        "evidence": [evidence_record(e) for e in fact.evidence.all()],
    }


def claim_record(claim: Claim) -> dict:
    return {
        "claim_id": claim.pk,
        "source_title": claim.source.title,
        "source_origin": claim.source.origin,
        "start": claim.start,
        "end": claim.end,
        "exact": claim.exact,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
        "kind": claim.kind,
        "value": claim.value,
        "subject": claim.subject,
        "note": claim.note,
        "origin": claim.origin,
        "status": claim.status,
        "created_by": _username(claim.created_by),
        "created_at": claim.created_at.isoformat(),
    }


def fact_records() -> Iterator[dict]:
    for fact in fact_list().order_by("pk").iterator(chunk_size=500):
        yield fact_record(fact)


def claim_records() -> Iterator[dict]:
    qs = Claim.objects.select_related("source", "created_by").order_by("source_id", "start", "pk")
    for claim in qs.iterator(chunk_size=2000):
        yield claim_record(claim)


def _fact_csv_rows(records: Iterable[dict]) -> Iterator[list]:
    # One row per piece of evidence: a spreadsheet can filter and pivot it without parsing.
    for record in records:
        head = [record[c] for c in FACT_CSV_COLUMNS[:9]]
        for evidence in record["evidence"] or [dict.fromkeys(FACT_CSV_COLUMNS[9:], "")]:
            yield head + [evidence[c] for c in FACT_CSV_COLUMNS[9:]]


def _claim_csv_rows(records: Iterable[dict]) -> Iterator[list]:
    for record in records:
        row = dict(record, value=json.dumps(record["value"], ensure_ascii=False) if record["value"] else "")
        yield [row[c] for c in CLAIM_COLUMNS]


def _csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def export_lines(*, what: str, fmt: str) -> Iterator[str]:
    """The export as an iterator of text chunks (each a whole CSV row or JSON line)."""
    if what not in WHATS or fmt not in FORMATS:
        raise ValueError(f"Unknown export {what!r} as {fmt!r}.")
    records = fact_records() if what == "facts" else claim_records()
    if fmt == "jsonl":
        return (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if what == "facts":
        return _csv_lines(FACT_CSV_COLUMNS, _fact_csv_rows(records))
    return _csv_lines(CLAIM_COLUMNS, _claim_csv_rows(records))


def export_filename(*, what: str, fmt: str) -> str:
    return f"{what}.{fmt}"
