"""The dated points of the matrix on one time axis: one lane per source (and one for facts),
each value drawn as the interval it denotes, disputed points joined across lanes.

Built from the matrix's date rows (``matrix.matrix_build(kind="date")``), so a point on the
timeline is a row of the matrix: the same facts, contradictions and shared properties, the same
statuses. Every item knows the claim (or fact) it draws and where it links to.
"""
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from .matrix import DISPUTED, Row, matrix_build
from .models import Claim, ClaimKind, ClaimStatus, Fact, FactStatus

# The most points drawn (the most disputed first); the rest are counted, not drawn.
MAX_POINTS = 300
# The most dated claims no point holds drawn beside them (in reading order, source by source).
MAX_ALONE = 1000
# Granularities drawn as a fuzzy bar: the writer named a part of an interval, not its bounds.
FUZZY = {"part-of-month", "part-of-year", "decade", "century"}
FACTS_LANE = 0  # the lane of facts' values, above the sources' lanes


@dataclass(slots=True)
class Item:
    lane: int  # a source id, or FACTS_LANE
    start: date
    end: date  # the last day included
    granularity: str
    text: str  # as written ("November 2012")
    status: str  # the cell's: agrees / contradicts / undecided; "fact" for a fact's value; "alone"
    point: Row | None  # None: a dated claim no point holds yet
    href: str
    label: str  # what the item's <title> says

    @property
    def shape(self) -> str:
        if self.start == self.end:
            return "tick"
        return "fuzzy" if self.granularity in FUZZY else "bar"


@dataclass
class Timeline:
    lanes: list[tuple[int, str]]  # (lane id, title), in order
    items: list[Item]
    joins: list[tuple[Row, list[Item]]]  # disputed points and their items, to be joined
    first: date | None
    last: date | None
    points: int  # date points matching
    drawn: int = 0  # points drawn
    left_out: int = 0  # points not drawn (beyond MAX_POINTS)
    alone: int = 0  # dated claims no point holds, drawn
    alone_left_out: bool = False  # more than MAX_ALONE of them: the first drawn
    alone_outside: int = 0  # of them, those outside the points' years (not drawn)
    undated: int = 0  # values of drawn points that read as no date
    sources_without_items: list[str] = field(default_factory=list)


def _interval(value: dict | None) -> tuple[date, date, str] | None:
    if not value or value.get("type") != "date":
        return None
    try:
        return date.fromisoformat(value["start"]), date.fromisoformat(value["end"]), value.get("granularity", "")
    except (KeyError, TypeError, ValueError):
        return None


def timeline_build(*, source_ids: list[int] | None = None, status: str = "") -> Timeline:
    """The dated points of the chosen sources (as the matrix chooses them), the most disputed
    first, at most MAX_POINTS, and, unless a status is asked for, the sources' other dated
    claims (those no point holds yet, at most MAX_ALONE): a fixed number of queries (the
    matrix's, one to three for the claims' values, one for the facts' values, one for the
    other dated claims)."""
    matrix = matrix_build(source_ids=source_ids, kind="date", status=status)
    rows = matrix.rows[:MAX_POINTS]
    matrix.fill(rows, values=True)
    titles = {s.pk: s.title for s in matrix.sources}
    fact_values = dict(Fact.objects.filter(pk__in=[r.fact.id for r in rows if r.fact]).values_list("id", "value"))
    compare = reverse("compare")
    items, joins, undated = [], [], 0
    for row in rows:
        mine = []
        if row.fact:
            found = _interval(fact_values.get(row.fact.id))
            if found:
                mine.append(Item(
                    lane=FACTS_LANE, start=found[0], end=found[1], granularity=found[2], text=row.fact.value_text,
                    status="fact", point=row, href=reverse("fact-detail", args=[row.fact.id]),
                    label=f"Fact: {row.label}: {row.fact.value_text} ({FactStatus(row.fact.status).label.lower()})"))
        for cell in matrix.cells_of(row):
            for stated in cell.stated:
                found = _interval(stated.value)
                if found is None:
                    undated += 1
                    continue
                mine.append(Item(
                    lane=cell.source_id, start=found[0], end=found[1], granularity=found[2], text=stated.exact,
                    status=stated.status, point=row, href=f"{compare}?{cell.compare}#claim-{stated.claim_id}",
                    label=f"{titles[cell.source_id]}: “{stated.exact}” ({found[0]:%d %b %Y}"
                          + (f" to {found[1]:%d %b %Y}" if found[1] != found[0] else "")
                          + f"), {row.label}, {cell.label}"))
        items += mine
        if row.status == DISPUTED and len({i.lane for i in mine}) > 1:
            joins.append((row, mine))
    alone, more = ([], False) if status else _alone(matrix, titles, compare)
    if items:
        # The points set the axis: a claim alone outside their years ("1853", "the 21st
        # century") would squeeze them into a corner. Those are left out, and counted.
        first, last = date(min(i.start for i in items).year, 1, 1), date(max(i.end for i in items).year, 12, 31)
        inside = [i for i in alone if i.start >= first and i.end <= last]
        outside, alone = len(alone) - len(inside), inside
    else:
        outside = 0
    items += alone
    used = {i.lane for i in items}
    lanes = ([(FACTS_LANE, "Facts")] if FACTS_LANE in used else []) + [
        (s.pk, s.title) for s in matrix.sources if s.pk in used]
    return Timeline(
        lanes=lanes, items=items, joins=joins, points=len(matrix.rows), drawn=len(rows),
        left_out=len(matrix.rows) - len(rows),
        first=min((i.start for i in items), default=None), last=max((i.end for i in items), default=None),
        undated=undated, sources_without_items=[s.title for s in matrix.sources if s.pk not in used],
        alone=len(alone), alone_left_out=more, alone_outside=outside)


def _alone(matrix, titles: dict[int, str], compare: str) -> tuple[list[Item], bool]:
    """The chosen sources' dated claims (not rejected) that no point of the matrix holds, in
    reading order, at most MAX_ALONE; and whether there were more."""
    held = {m[0] for row in matrix.every for m in row.members}
    claims = (Claim.objects.filter(source__in=list(titles), kind=ClaimKind.DATE).exclude(status=ClaimStatus.REJECTED)
              .order_by("source_id", "start").values_list("id", "source_id", "exact", "value"))
    items = []
    for claim_id, source_id, exact, value in claims[:MAX_ALONE + len(held)].iterator():
        found = None if claim_id in held else _interval(value)
        if found is None:
            continue
        if len(items) == MAX_ALONE:
            return items, True
        items.append(Item(
            lane=source_id, start=found[0], end=found[1], granularity=found[2], text=exact, status="alone",
            point=None, href=f"{compare}?s={source_id}#claim-{claim_id}",
            label=f"{titles[source_id]}: “{exact}” ({found[0]:%d %b %Y}"
                  + (f" to {found[1]:%d %b %Y}" if found[1] != found[0] else "") + "), in no point yet"))
    return items, False
