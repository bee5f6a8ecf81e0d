"""Every export, produced piece by piece so any size streams in bounded memory.

CSV and JSON Lines of sources, claims, contradictions and facts (column lists are stable and
documented in the README; new columns are only ever added at the end; CSV cells that a
spreadsheet would run as formulas are neutralised, JSON Lines keep every value as it is), W3C Web Annotation
(``web_annotation``), schema.org ClaimReview (``claim_review``) and the lossless archive
(``archive``).
"""
import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch

from .models import Claim, Contradiction, Fact, Source
from .selectors import fact_list

FORMATS = ("csv", "jsonl", "webannotation", "claimreview", "archive")
TABLE_FORMATS = ("csv", "jsonl")
WHATS = ("facts", "claims", "sources", "contradictions")

FACT_CSV_COLUMNS = [
    "fact_id", "subject", "property", "value", "status", "rationale", "reviewer",
    "reconciled_at", "version", "stance", "claim_id", "source_title", "source_origin",
    "start", "end", "exact",
]
# A claim's embedding is left out of every export: derived data, recomputed from the text and
# the property by the model that reads it (its bytes mean nothing to another tool).
CLAIM_COLUMNS = [
    "claim_id", "source_title", "source_origin", "start", "end", "exact", "prefix", "suffix",
    "kind", "value", "subject", "note", "origin", "status", "created_by", "created_at", "property",
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
        "property": claim.property,
    }


SOURCE_COLUMNS = [
    "source_id", "title", "origin", "publisher", "published_on", "kind", "raw_sha256",
    "characters", "imported_by", "created_at", "notes",
]
CONTRADICTION_COLUMNS = [
    "contradiction_id", "kind", "status", "score", "note", "explanation", "flagged_by",
    "fact_id", "claim_ids", "quotes", "created_at",
]


def source_record(source: Source) -> dict:
    return {
        "source_id": source.pk, "title": source.title, "origin": source.origin,
        "publisher": source.publisher,
        "published_on": source.published_on.isoformat() if source.published_on else "",
        "kind": source.kind, "raw_sha256": source.raw_sha256, "characters": len(source.text),
        "imported_by": _username(source.imported_by), "created_at": source.created_at.isoformat(),
        "notes": source.notes,
    }


def contradiction_record(contradiction: Contradiction) -> dict:
    claims = list(contradiction.claims.all())
    return {
        "contradiction_id": contradiction.pk, "kind": contradiction.kind,
        "status": contradiction.status,
        "score": contradiction.score if contradiction.score is not None else "",
        "note": contradiction.note, "explanation": contradiction.explanation,
        "flagged_by": _username(contradiction.flagged_by), "fact_id": contradiction.fact_id or "",
        "claim_ids": [c.pk for c in claims],
        "quotes": [f"{c.source.origin}:{c.start}-{c.end}: {c.exact}" for c in claims],
        "created_at": contradiction.created_at.isoformat(),
    }


def source_records() -> Iterator[dict]:
    for source in Source.objects.select_related("imported_by").order_by("pk").iterator(chunk_size=200):
        yield source_record(source)


def contradiction_records() -> Iterator[dict]:
    qs = Contradiction.objects.select_related("flagged_by").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.select_related("source").defer("source__text", "context"))
    ).order_by("pk")
    for contradiction in qs.iterator(chunk_size=500):
        yield contradiction_record(contradiction)


def fact_records() -> Iterator[dict]:
    for fact in fact_list().order_by("pk").iterator(chunk_size=500):
        yield fact_record(fact)


def claim_records() -> Iterator[dict]:
    # The source's text is not needed here, and carrying it on every row would cost memory
    # in proportion to sources x claims.
    qs = (Claim.objects.select_related("source", "created_by").defer("source__text", "context", "embedding")
          .order_by("source_id", "start", "pk"))
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


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula
# (OWASP, "CSV Injection"): =HYPERLINK(...) leaks the sheet, =cmd|... runs programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def spreadsheet_safe(cell):
    """A CSV cell that no spreadsheet runs as a formula: text starting with a trigger gets a
    leading ' (shown as text, the quote hidden), as OWASP recommends.

    The triggers are looked for after leading spaces too, because spreadsheets' CSV import
    can trim them. Text that reads as a negative number ("-5") is quoted as well: a text
    column cannot tell a number from "-2+3", and OWASP advises escaping text regardless.
    Numbers themselves (ids, offsets, scores: ints and floats, never negative here) are
    written as they are, so numeric columns stay numeric.
    """
    if isinstance(cell, str) and cell.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def _csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Every CSV export is written here, so every cell passes spreadsheet_safe()."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        yield buffer.getvalue()


def _flat_csv_rows(records: Iterable[dict], columns: list[str]) -> Iterator[list]:
    for record in records:
        yield ["; ".join(map(str, record[c])) if isinstance(record[c], list) else record[c] for c in columns]


def export_lines(*, what: str = "facts", fmt: str, with_emails: bool = False) -> Iterator[str]:
    """The export as an iterator of text chunks (whole CSV rows, JSON lines or JSON items).

    Who may take which is ``permissions.require_export``'s to say; ``with_emails`` puts
    people's e-mail addresses and names into the archive."""
    if fmt not in FORMATS or (fmt in TABLE_FORMATS and what not in WHATS):
        raise ValueError(f"Unknown export {what!r} as {fmt!r}.")
    if fmt == "webannotation":
        from .web_annotation import collection_chunks

        return collection_chunks()
    if fmt == "claimreview":
        from .claim_review import review_chunks

        return review_chunks()
    if fmt == "archive":
        from .archive import archive_lines

        return archive_lines(with_emails=with_emails)
    records = {
        "facts": fact_records, "claims": claim_records, "sources": source_records,
        "contradictions": contradiction_records,
    }[what]()
    if fmt == "jsonl":
        return (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if what == "facts":
        return _csv_lines(FACT_CSV_COLUMNS, _fact_csv_rows(records))
    if what == "claims":
        return _csv_lines(CLAIM_COLUMNS, _claim_csv_rows(records))
    columns = SOURCE_COLUMNS if what == "sources" else CONTRADICTION_COLUMNS
    return _csv_lines(columns, _flat_csv_rows(records, columns))


EXTENSIONS = {"csv": "csv", "jsonl": "jsonl", "webannotation": "jsonld", "claimreview": "jsonld",
              "archive": "jsonl"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "webannotation": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
    "claimreview": "application/ld+json; charset=utf-8",
    "archive": "application/x-ndjson; charset=utf-8",
}


def export_filename(*, what: str, fmt: str) -> str:
    if fmt in TABLE_FORMATS:
        return f"{what}.{fmt}"
    return {"webannotation": "annotations", "claimreview": "claimreviews", "archive": "workbench-archive"}[fmt] + "." + EXTENSIONS[fmt]


# --- the facts × sources matrix ----------------------------------------------------------
MATRIX_CSV_COLUMNS = ["point", "label", "kind", "status", "disagreeing_sources", "fact_id", "fact_value",
                      "contradiction_ids"]  # then one column per source, titled by the source


def matrix_record(matrix, row) -> dict:
    """One point of the matrix: what it is, and each source's cell that says something."""
    return {
        "point": row.key, "label": row.label, "kind": row.kind, "status": row.status,
        "disagreeing_sources": row.disagreeing,
        "fact": {"fact_id": row.fact.id, "subject": row.fact.subject, "property": row.fact.property,
                 "value": row.fact.value_text, "status": row.fact.status} if row.fact else None,
        "contradictions": [{"contradiction_id": c.id, "status": c.status, "score": c.score}
                           for c in row.contradictions],
        "cells": [{"source_id": source.pk, "source_title": source.title, "status": cell.status,
                   "values": [{"claim_id": s.claim_id, "exact": s.exact, "start": s.start, "end": s.end,
                               "status": s.status} for s in cell.stated]}
                  for source, cell in zip(matrix.sources, matrix.cells_of(row)) if cell.stated],
    }


def matrix_lines(matrix, fmt: str) -> Iterator[str]:
    """The matrix (``annotations.matrix.Matrix``) as CSV (one row per point, one column per
    source, each cell the values quoted as the source writes them) or JSON Lines."""
    matrix.fill()
    if fmt == "jsonl":
        return (json.dumps(matrix_record(matrix, row), ensure_ascii=False) + "\n" for row in matrix.rows)
    if fmt != "csv":
        raise ValueError(f"Unknown matrix export {fmt!r}.")
    rows = ([row.key, row.label, row.kind, row.status, row.disagreeing, row.fact.id if row.fact else "",
             row.fact.value_text if row.fact else "", "; ".join(str(c.id) for c in row.contradictions),
             *(cell.quoted for cell in matrix.cells_of(row))] for row in matrix.rows)
    return _csv_lines(MATRIX_CSV_COLUMNS + [s.title for s in matrix.sources], rows)
