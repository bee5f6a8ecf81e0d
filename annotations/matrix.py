"""The subject at a glance: every point against every source (the facts × sources matrix).

A *point* is one thing the sources state a value for, put together either by a reviewer or by
detection, in this order (a claim already placed in a point's row is not placed again by a
later rule, except that an open contradiction always has its own row):

1. a **fact**: its evidence, each claim agreeing with the fact when its stance *supports* it
   and contradicting it when it *refutes* it;
2. an **open contradiction** (candidate or confirmed, not yet settled by a fact): its claims,
   each *undecided*;
3. claims of one kind saying they measure the **same property** ("deaths", "date signed"),
   from at least two sources, that no fact or open contradiction holds: *undecided*.

Each row has one cell per source: the value(s) that source states, with the claim id and span,
or nothing (*empty*). A point without a fact is *disputed* when two sources state values that
cannot both be true (``values.compatible``), else *agreed*; a point with a fact carries the
fact's status. Rows sort by how many of the chosen sources disagree (contradict the fact or,
without one, state a value another source's value excludes), most first.

Reading the matrix costs a fixed number of queries whatever the number of rows, sources or
claims (``matrix_build``); the rows are built from plain tuples, not model instances.
"""
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from .models import (
    Claim,
    ClaimKind,
    ClaimStatus,
    Contradiction,
    ContradictionStatus,
    Evidence,
    Fact,
    FactStatus,
    Source,
    Stance,
)
from .values import compatible

AGREES, CONTRADICTS, UNDECIDED, EMPTY = "agrees", "contradicts", "undecided", "empty"
# What a cell's status says in words (the page shows the words, not only a colour).
CELL_LABELS = {AGREES: "agrees with the fact", CONTRADICTS: "contradicts the fact",
               UNDECIDED: "undecided", EMPTY: "says nothing"}

DISPUTED, AGREED = FactStatus.DISPUTED.value, "agreed"
ROW_STATUSES = [
    (DISPUTED, "Disputed"),
    (AGREED, "Sources agree"),
    (FactStatus.RECONCILED.value, "Reconciled"),
    (FactStatus.UNVERIFIABLE.value, "Unverifiable"),
]
ROW_STATUS_LABELS = dict(ROW_STATUSES)
_STATUS_ORDER = {DISPUTED: 0, AGREED: 1, FactStatus.UNVERIFIABLE.value: 2, FactStatus.RECONCILED.value: 3}
OPEN_STATUSES = (ContradictionStatus.CANDIDATE, ContradictionStatus.CONFIRMED)
# The most sources shown as columns when none are chosen: wider than this, a reader chooses.
MAX_DEFAULT_COLUMNS = 50
# The side-by-side view shows at most this many sources (workbench.views.MAX_COLUMNS).
SIDE_BY_SIDE_COLUMNS = 5


@dataclass(slots=True)
class Stated:
    """One claim in a cell: what the source says, where, and how it stands to the fact."""
    claim_id: int
    source_id: int
    start: int
    end: int
    exact: str
    kind: str
    property: str
    value: dict
    status: str = UNDECIDED


@dataclass(slots=True)
class Cell:
    source_id: int
    stated: list[Stated]
    status: str
    # The side-by-side view's query opening this source beside the row's others ("s=2&s=1").
    compare: str = ""

    @property
    def label(self) -> str:
        return CELL_LABELS[self.status]

    @property
    def quoted(self) -> str:
        """The values as the source writes them, for a CSV cell ("November 2012 | 2012")."""
        return " | ".join(dict.fromkeys(s.exact for s in self.stated))


@dataclass(slots=True)
class FactInfo:
    id: int
    subject: str
    property: str
    value_text: str
    status: str


@dataclass(slots=True)
class ContradictionInfo:
    id: int
    status: str
    score: float | None


@dataclass(slots=True)
class Row:
    key: str  # "fact-12", "contradiction-3", "property-<hash>": stable across requests
    kind: str
    label: str
    stated: list[Stated]
    fact: FactInfo | None = None
    contradictions: list[ContradictionInfo] = field(default_factory=list)
    status: str = AGREED
    conflicting: set[int] = field(default_factory=set)  # sources whose value another's excludes
    disagreeing: int = 0  # among the chosen sources
    cells: dict[int, Cell] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return ROW_STATUS_LABELS[self.status]

    @property
    def kind_label(self) -> str:
        return ClaimKind(self.kind).label if self.kind in ClaimKind.values else self.kind

    @property
    def source_ids(self) -> list[int]:
        return list(dict.fromkeys(s.source_id for s in self.stated))

    def cell(self, source_id: int) -> Cell:
        return self.cells.get(source_id) or Cell(source_id=source_id, stated=[], status=EMPTY)


@dataclass
class Matrix:
    sources: list[Source]  # the columns, in order
    rows: list[Row]  # filtered and sorted
    more_sources: int = 0  # sources left out of the default columns

    def cells_of(self, row: Row) -> list[Cell]:
        """The row's cells in column order, each knowing how to open its source side by side
        with the row's other sources (the cell's own first)."""
        others = row.source_ids
        cells = []
        for source in self.sources:
            cell = row.cell(source.pk)
            ids = [source.pk, *(i for i in others if i != source.pk)][:SIDE_BY_SIDE_COLUMNS]
            cell.compare = "&".join(f"s={i}" for i in ids)
            cells.append(cell)
        return cells


def _value_key(value: dict) -> tuple | None:
    """What two values are compared by, hashable; None for a value that cannot be compared."""
    kind = value.get("type") if isinstance(value, dict) else None
    if not kind:
        return None
    if kind == "date":
        return (kind, value.get("start"), value.get("end"))
    if kind == "entity":
        return (kind, (value.get("name") or "").lower())
    return (kind, value.get("low"), value.get("high"), value.get("currency"), value.get("dimension"))


def _conflicting_sources(stated: list[Stated]) -> set[int]:
    """Sources stating a value that a value of another source excludes. Values are compared
    once per distinct pair of values, not per pair of claims."""
    by_key: dict[tuple, tuple[dict, set[int]]] = {}
    for s in stated:
        key = _value_key(s.value)
        if key is not None:
            by_key.setdefault(key, (s.value, set()))[1].add(s.source_id)
    items = list(by_key.values())
    conflicting: set[int] = set()
    for i, (a, sources_a) in enumerate(items):
        for b, sources_b in items[i + 1:]:
            if (sources_a | sources_b) - conflicting and len(sources_a | sources_b) > 1 and not compatible(a, b):
                conflicting |= {s for s in sources_a if sources_b - {s}}
                conflicting |= {s for s in sources_b if sources_a - {s}}
    return conflicting


def _label_of(stated: list[Stated], kind: str) -> str:
    """A row without a fact is named by what its claims say they measure (the two most said)."""
    said = Counter(s.property.strip() for s in stated if s.property.strip())
    if not said:
        return ClaimKind(kind).label if kind in ClaimKind.values else kind
    names = [name for name, _ in said.most_common(3)]
    return " / ".join(names[:2]) + (" / …" if len(names) > 2 else "")


def _kind_of(stated: list[Stated]) -> str:
    return Counter(s.kind for s in stated).most_common(1)[0][0] if stated else ClaimKind.OTHER.value


def _property_key(kind: str, said: str) -> str:
    return "property-" + hashlib.sha1(f"{kind}\n{said}".encode()).hexdigest()[:12]


def _finish(row: Row) -> Row:
    """Cells, the row's status and who conflicts; statuses of the stated values are set."""
    cells: dict[int, list[Stated]] = defaultdict(list)
    for s in row.stated:
        cells[s.source_id].append(s)
    for source_id, stated in cells.items():
        statuses = {s.status for s in stated}
        status = CONTRADICTS if CONTRADICTS in statuses else AGREES if AGREES in statuses else UNDECIDED
        row.cells[source_id] = Cell(source_id=source_id, stated=stated, status=status)
    if row.fact is not None:
        row.status = row.fact.status
        row.conflicting = {c.source_id for c in row.cells.values() if c.status == CONTRADICTS}
    else:
        row.conflicting = _conflicting_sources(row.stated)
        row.status = DISPUTED if row.conflicting else AGREED
    return row


def _load(*, fact_ids=None) -> tuple[dict, dict, dict, dict, dict]:
    """Everything the rows are made of, in five queries: facts, their evidence, open
    contradictions, their claims, and the claims themselves (as tuples)."""
    facts = {f[0]: FactInfo(*f) for f in Fact.objects.values_list("id", "subject", "property", "value_text", "status")}
    evidence: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for fact_id, claim_id, stance in Evidence.objects.values_list("fact_id", "claim_id", "stance").order_by("pk"):
        evidence[fact_id].append((claim_id, stance))
    open_ = Contradiction.objects.filter(status__in=OPEN_STATUSES, fact__isnull=True)
    contradictions = {c[0]: ContradictionInfo(*c[:3]) for c in open_.values_list("id", "status", "score")}
    members: dict[int, list[int]] = defaultdict(list)
    through = Contradiction.claims.through.objects.filter(contradiction__in=open_.values("pk"))
    for contradiction_id, claim_id in through.values_list("contradiction_id", "claim_id").order_by("claim_id"):
        members[contradiction_id].append(claim_id)
    wanted = (Q(pk__in=Evidence.objects.values("claim_id")) | Q(pk__in=through.values("claim_id"))
              | (~Q(property="") & ~Q(status=ClaimStatus.REJECTED)))
    claims = {}
    for row in Claim.objects.filter(wanted).values_list(
            "id", "source_id", "start", "end", "exact", "kind", "property", "value", "status").order_by("source_id", "start"):
        claims[row[0]] = row
    return facts, evidence, contradictions, members, claims


def _stated(row: tuple, status: str = UNDECIDED) -> Stated:
    return Stated(claim_id=row[0], source_id=row[1], start=row[2], end=row[3], exact=row[4], kind=row[5],
                  property=row[6], value=row[7] or {}, status=status)


def all_rows() -> list[Row]:
    """Every point, each with its cells over every source (unsorted, unfiltered)."""
    facts, evidence, contradictions, members, claims = _load()
    rows: list[Row] = []
    placed: set[int] = set()
    for fact_id, fact in facts.items():
        stated = [_stated(claims[c], AGREES if stance == Stance.SUPPORTS else CONTRADICTS)
                  for c, stance in evidence.get(fact_id, []) if c in claims]
        placed.update(s.claim_id for s in stated)
        rows.append(Row(key=f"fact-{fact_id}", kind=_kind_of(stated), stated=stated, fact=fact,
                        label=" — ".join(p for p in (fact.subject, fact.property) if p)))
    seen_sets: dict[frozenset, Row] = {}
    # Strongest first, so two contradictions between the very same claims make one row, named
    # by the stronger one (a reviewer's confirmation counts as certain).
    for info in sorted(contradictions.values(), key=lambda c: (c.status != ContradictionStatus.CONFIRMED,
                                                                -(c.score or 0), -c.id)):
        ids = frozenset(c for c in members.get(info.id, []) if c in claims and claims[c][8] != ClaimStatus.REJECTED)
        if len({claims[c][1] for c in ids}) < 2:
            continue  # a contradiction needs two sources; its other claims were rejected
        if ids in seen_sets:
            seen_sets[ids].contradictions.append(info)
            continue
        stated = [_stated(claims[c]) for c in sorted(ids, key=lambda c: (claims[c][1], claims[c][2]))]
        placed |= ids
        row = Row(key=f"contradiction-{info.id}", kind=_kind_of(stated), stated=stated, contradictions=[info],
                  label=_label_of(stated, _kind_of(stated)))
        seen_sets[ids] = row
        rows.append(row)
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for claim in claims.values():
        if claim[0] not in placed and claim[6].strip() and claim[8] != ClaimStatus.REJECTED:
            groups[(claim[5], " ".join(claim[6].lower().split()))].append(claim)
    for (kind, said), members_of in groups.items():
        if len({c[1] for c in members_of}) < 2:
            continue  # one source saying it: nothing to hold it against
        stated = [_stated(c) for c in members_of]
        rows.append(Row(key=_property_key(kind, said), kind=kind, stated=stated, label=_label_of(stated, kind)))
    return [_finish(row) for row in rows]


def _sort_key(row: Row) -> tuple:
    score = max((1.0 if c.status == ContradictionStatus.CONFIRMED else c.score or 0.0) for c in row.contradictions) \
        if row.contradictions else 0.0
    return (-row.disagreeing, _STATUS_ORDER.get(row.status, 9), -len(row.cells), -score, row.label.lower(), row.key)


def matrix_build(*, source_ids: list[int] | None = None, kind: str = "", status: str = "") -> Matrix:
    """The matrix over the chosen sources (all of them, up to MAX_DEFAULT_COLUMNS, when none are
    chosen; unknown ids are dropped): rows that have a cell in one of them, of ``kind`` and in
    ``status`` when given, sorted by the number of chosen sources that disagree, most first."""
    sources_qs = Source.objects.only("id", "title", "origin", "kind", "publisher", "published_on")
    more = 0
    if source_ids:
        found = {s.pk: s for s in sources_qs.filter(pk__in=source_ids)}
        sources = [found[i] for i in dict.fromkeys(source_ids) if i in found]
    else:
        sources = list(sources_qs.order_by("origin", "pk")[:MAX_DEFAULT_COLUMNS + 1])
        if len(sources) > MAX_DEFAULT_COLUMNS:
            more = Source.objects.count() - MAX_DEFAULT_COLUMNS
            sources = sources[:MAX_DEFAULT_COLUMNS]
    chosen = {s.pk for s in sources}
    rows = []
    for row in all_rows():
        if kind and row.kind != kind or status and row.status != status or not chosen & row.cells.keys():
            continue
        row.disagreeing = len(row.conflicting & chosen)
        rows.append(row)
    rows.sort(key=_sort_key)
    return Matrix(sources=sources, rows=rows, more_sources=more)
