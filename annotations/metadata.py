"""Guessing a source's title, publisher, date and kind from what its text says.

Guesses only: every field stays editable, and a field the text does not state is left
for the importer (a seed manifest, the upload form) or the reviewer to fill in.
"""
import re
from dataclasses import dataclass
from datetime import date

from dateutil import parser as dateparser

from .models import PUBLISHER_MAX, TITLE_MAX, SourceKind

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"  # December 5, 2025
    rf"|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"  # 5 December 2025
    r"|\d{4}-\d{2}-\d{2})"  # 2025-12-05
)
_DATELINE = re.compile(
    rf"^\s*(?:Last\s+updated|Updated|Published(?:\s+on)?|Posted(?:\s+on)?|Date)\s*:?\s*(?:on\s+)?"
    rf"(?P<date>{_DATE})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_CAPITALISED_NAME = r"(?:The\s+)?[A-Z][\w&'.-]*(?:\s+(?:of\s+)?[A-Z][\w&'.-]*)*"
_PUBLISHER_PATTERNS = (
    re.compile(rf"\b(?:member|subscriber)\s+of\s+(?P<name>{_CAPITALISED_NAME})"),
    re.compile(rf"\b(?:Published|Posted)\s+by\s+(?P<name>{_CAPITALISED_NAME})"),
    re.compile(r"^Source:\s*(?P<name>[^\n]{2,120}?)\s*$", re.MULTILINE),
)
_BOILERPLATE_WORDS = re.compile(
    r"\b(subscribe|subscription|member|newsletter|disclaimer|cookies?|advertis\w*|sign\s+up)\b",
    re.IGNORECASE,
)
_CITATION = re.compile(r"\[\d{1,4}\]")


@dataclass(frozen=True)
class SourceMetadata:
    title: str
    publisher: str
    published_on: date | None
    kind: str


def _plausible_title(line: str) -> bool:
    line = line.strip()
    words = line.split()
    return (
        3 <= len(words) <= 25
        and len(line) <= 150
        and not line.endswith((".", ":", ",", ";"))
        and not line.startswith(("[", "-", "*", "("))
        and not _BOILERPLATE_WORDS.search(line)
    )


def guess_published_on(text: str) -> tuple[date | None, int | None]:
    """The date of the first dateline ("Last updated December 5, 2025") and its line index."""
    match = _DATELINE.search(text)
    if not match:
        return None, None
    try:
        parsed = dateparser.parse(match.group("date"), default=None)
    except (ValueError, OverflowError):
        return None, None
    line_index = text.count("\n", 0, match.start())
    return parsed.date(), line_index


# A Markdown ATX heading's marks ("# Title", "## Title ##"): the title is the words.
_HEADING_MARKS = re.compile(r"^\s{0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$")


def guess_title(text: str, *, dateline_index: int | None = None) -> str:
    lines = [_HEADING_MARKS.sub("", line) for line in text.split("\n")]
    if dateline_index is not None:
        # A headline usually stands just above its dateline.
        for line in reversed(lines[:dateline_index]):
            if line.strip():
                if _plausible_title(line):
                    return line.strip()
                break
    for line in lines[:40]:
        if _plausible_title(line):
            return line.strip()
    first = " ".join(" ".join(lines).split())
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return sentence if len(sentence) <= 90 else sentence[:87].rsplit(" ", 1)[0] + "…"


def guess_publisher(text: str) -> str:
    head = text[:5000]
    for pattern in _PUBLISHER_PATTERNS:
        match = pattern.search(head)
        if match:
            return match.group("name").strip()
    return ""


def guess_kind(text: str) -> str:
    head = text[:3000].lower()
    if "[disclaimer]" in head or "reconstructed based on" in head or "summary" in head[:300]:
        return SourceKind.MACHINE_SUMMARY
    if len(_CITATION.findall(text)) >= 3:
        return SourceKind.ENCYCLOPEDIA
    if "published on" in head or "subscri" in head:
        return SourceKind.NEWS
    if "press release" in head or "for immediate release" in head:
        return SourceKind.PRESS_RELEASE
    return SourceKind.OTHER


def guess_metadata(text: str) -> SourceMetadata:
    published_on, dateline_index = guess_published_on(text)
    return SourceMetadata(
        title=guess_title(text, dateline_index=dateline_index)[:TITLE_MAX],
        publisher=guess_publisher(text)[:PUBLISHER_MAX],
        published_on=published_on,
        kind=guess_kind(text),
    )
