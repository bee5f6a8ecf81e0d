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
cannot both be true (``values.compatible``) or a reviewer confirmed its contradiction, else
*agreed*; a point with a fact carries the fact's status. Rows sort by how many of the chosen
sources disagree, most first: with a fact, those contradicting it; without one, those stating
no value that agrees with the value most sources agree with (every source in a conflict when
no value has the most; every source of a contradiction a reviewer confirmed).

Reading the matrix costs a fixed number of queries whatever the number of rows, sources or
claims (``matrix_build``); the rows are built from plain tuples, not model instances.
"""
import hashlib
import json
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from .changes import data_version
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
# The most sources a reader may choose at once.
MAX_COLUMNS = 200
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
    status: str = UNDECIDED
    value: dict | None = None  # the normalised value, loaded when asked for (the timeline)


@dataclass(slots=True)
class Cell:
    source_id: int
    claim_ids: list[int]
    statuses: list[str]  # each claim's, in the same order
    status: str
    # What the claims say and where (start, end, exact): loaded for the rows shown only
    # (``Matrix.fill``), not for every row the sorting needs.
    stated: list[Stated] = field(default_factory=list)
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
    members: list[tuple]  # (claim id, source id, status) of each claim in the row
    fact: FactInfo | None = None
    contradictions: list[ContradictionInfo] = field(default_factory=list)
    status: str = AGREED
    conflicting: frozenset[int] = frozenset()  # sources that disagree (_conflicting_sources)
    sources: tuple[int, ...] = ()  # the sources stating the point, in the order first met
    # Per request (matrix_build copies the cached row): how many chosen sources disagree, and
    # the cells, made for the rows shown only.
    disagreeing: int = 0
    cells: dict[int, Cell] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return ROW_STATUS_LABELS[self.status]

    @property
    def kind_label(self) -> str:
        return ClaimKind(self.kind).label if self.kind in ClaimKind.values else self.kind

    def cell(self, source_id: int) -> Cell:
        if not self.cells:
            self.cells = _cells(self.members)
        return self.cells.get(source_id) or Cell(source_id=source_id, claim_ids=[], statuses=[], status=EMPTY)


# Claims are fetched in groups of this many ids (SQLite takes at most 999 parameters a query).
ID_CHUNK = 900


@dataclass
class Matrix:
    sources: list[Source]  # the columns, in order
    rows: list[Row]  # filtered and sorted
    more_sources: int = 0  # sources left out of the default columns
    every: list[Row] = field(default_factory=list)  # every point, unfiltered (shared: read only)

    def cells_of(self, row: Row) -> list[Cell]:
        """The row's cells in column order, each that says something knowing how to open its
        source side by side with the row's other sources (the cell's own first)."""
        if not row.cells:
            row.cells = _cells(row.members)
        first = row.sources[:SIDE_BY_SIDE_COLUMNS]
        cells = []
        for source in self.sources:
            cell = row.cells.get(source.pk)
            if cell is None:
                cells.append(Cell(source_id=source.pk, claim_ids=[], statuses=[], status=EMPTY))
                continue
            if not cell.compare:
                others = [i for i in first if i != source.pk][:SIDE_BY_SIDE_COLUMNS - 1]
                cell.compare = "&".join(f"s={i}" for i in (source.pk, *others))
            cells.append(cell)
        return cells

    def fill(self, rows: list[Row] | None = None, *, values: bool = False) -> None:
        """Load what the claims of ``rows`` (every row by default) say and where, and their
        normalised values when ``values``: one query per ID_CHUNK claims for a page of rows,
        one query for all of them."""
        rows = self.rows if rows is None else rows
        cells = [cell for row in rows for cell in self.cells_of(row) if cell.claim_ids]
        wanted = {claim_id for cell in cells for claim_id in cell.claim_ids}
        found: dict[int, tuple] = {}
        fields = ("id", "source_id", "start", "end", "exact", *(("value",) if values else ()))
        if rows is self.rows or len(wanted) > 4 * ID_CHUNK:
            found = {c[0]: c for c in _wanted_claims().values_list(*fields) if c[0] in wanted}
        else:
            ids = sorted(wanted)
            for at in range(0, len(ids), ID_CHUNK):
                found.update((c[0], c) for c in Claim.objects.filter(pk__in=ids[at:at + ID_CHUNK]).values_list(*fields))
        for cell in cells:
            cell.stated = [Stated(*found[claim_id][:5], status=status, value=found[claim_id][5] if values else None)
                           for claim_id, status in zip(cell.claim_ids, cell.statuses) if claim_id in found]


class _Values(dict):
    """The values of the claims, decoded from their JSON text once per distinct text (many
    claims state the same value), as ``values.compatible`` reads them; None for a claim with
    no normalised value."""

    def __missing__(self, text: str) -> dict | None:
        value = json.loads(text) if text else None
        self[text] = value if isinstance(value, dict) and value.get("type") else None
        return self[text]


def _conflicting_sources(members: list[tuple], texts: dict[int, str], values: _Values) -> tuple[bool, set[int]]:
    """(whether two sources state values that cannot both be true, the sources that disagree).

    The sources that disagree are those no value of which agrees with the value most sources
    agree with; when no single value has the most (one source against one, say), every source
    whose value another's excludes. So one outlier among twenty sources that agree is one
    disagreeing source, not twenty-one. Values are compared once per distinct pair of values,
    not per pair of claims."""
    by_text: dict[str, set[int]] = {}
    for claim_id, source_id, _ in members:
        by_text.setdefault(texts[claim_id], set()).add(source_id)
    if len(by_text) < 2:
        return False, set()
    items = [(value, sources) for text, sources in by_text.items() if (value := values[text]) is not None]
    agreeing = [set(sources) for _, sources in items]  # sources agreeing with each value
    conflicting: set[int] = set()
    for i, (a, sources_a) in enumerate(items):
        for j in range(i + 1, len(items)):
            b, sources_b = items[j]
            if compatible(a, b):
                agreeing[i] |= sources_b
                agreeing[j] |= sources_a
            else:  # a source conflicts when another source states the other value
                conflicting |= sources_a if len(sources_b) > 1 else sources_a - sources_b
                conflicting |= sources_b if len(sources_a) > 1 else sources_b - sources_a
    if not conflicting:
        return False, set()
    most = max(agreeing, key=len)
    if any(len(other) == len(most) and other != most for other in agreeing):
        return True, conflicting  # no value has the most
    return True, {s for _, sources in items for s in sources} - most


def _label_of(held: list[tuple], kind: str) -> str:
    """A row without a fact is named by what its claims say they measure (the two most said),
    else by its kind and the values it holds ("Date: November 2012 vs August 16, 2012")."""
    said = Counter(c[3].strip() for c in held if c[3].strip())
    if said:
        names = [name for name, _ in said.most_common(3)]
        return " / ".join(names[:2]) + (" / …" if len(names) > 2 else "")
    label = ClaimKind(kind).label.split(" (")[0] if kind in ClaimKind.values else kind
    quoted = list(dict.fromkeys(c[5] for c in held))
    return f"{label}: " + " vs ".join(quoted[:3]) + (" vs …" if len(quoted) > 3 else "")


def _kind_of(kinds: list[str]) -> str:
    return Counter(kinds).most_common(1)[0][0] if kinds else ClaimKind.OTHER.value


def _property_key(kind: str, said: str) -> str:
    return "property-" + hashlib.sha1(f"{kind}\n{said}".encode()).hexdigest()[:12]


def _cells(members: list[tuple]) -> dict[int, Cell]:
    """A row's cells by source: a cell contradicts the fact when one of its claims does, else
    agrees when one does, else is undecided."""
    cells: dict[int, Cell] = {}
    for claim_id, source_id, status in members:
        cell = cells.get(source_id)
        if cell is None:
            cells[source_id] = Cell(source_id=source_id, claim_ids=[claim_id], statuses=[status], status=status)
        else:
            cell.claim_ids.append(claim_id)
            cell.statuses.append(status)
            if status == CONTRADICTS or (status == AGREES and cell.status == UNDECIDED):
                cell.status = status
    return cells


def _finish(row: Row, texts: dict[int, str], values: _Values) -> Row:
    """The row's sources, status, and the sources that conflict."""
    row.sources = tuple(dict.fromkeys(m[1] for m in row.members))
    if row.fact is not None:
        row.status = row.fact.status
        row.conflicting = frozenset(m[1] for m in row.members if m[2] == CONTRADICTS)
    elif any(c.status == ContradictionStatus.CONFIRMED for c in row.contradictions):
        # A reviewer confirmed they cannot all be true, whatever the values read as.
        row.conflicting = frozenset(row.sources)
        row.status = DISPUTED
    else:
        disputed, disagreeing = _conflicting_sources(row.members, texts, values)
        row.conflicting = frozenset(disagreeing)
        row.status = DISPUTED if disputed else AGREED
    return row


def _wanted_claims():
    """Claims a row may hold: evidence of a fact, claims of an open contradiction, and claims
    not rejected that say what they measure."""
    through = Contradiction.claims.through.objects.filter(
        contradiction__status__in=OPEN_STATUSES, contradiction__fact__isnull=True)
    return Claim.objects.filter(Q(pk__in=Evidence.objects.values("claim_id")) | Q(pk__in=through.values("claim_id"))
                                | (~Q(property="") & ~Q(status=ClaimStatus.REJECTED)))


def _load() -> tuple[dict, dict, dict, dict, dict, dict]:
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
    # The value as its JSON text: decoding it is most of the cost of a claim, and rows compare
    # distinct values only (``_Values`` decodes each distinct text once).
    claims, texts = {}, {}
    for row in _wanted_claims().annotate(value_text=Cast("value", TextField())).values_list(
            "id", "source_id", "kind", "property", "status", "exact", "value_text").order_by("source_id", "start"):
        claims[row[0]] = row[:6]
        texts[row[0]] = row[6] or ""
    return facts, evidence, contradictions, members, claims, texts


def all_rows() -> list[Row]:
    """Every point with its claims, sources and status (unsorted, unfiltered; the cells are made
    when a row is shown)."""
    facts, evidence, contradictions, members, claims, texts = _load()
    values = _Values()
    rows: list[Row] = []
    placed: set[int] = set()
    for fact_id, fact in facts.items():
        cited = [(claims[c], AGREES if stance == Stance.SUPPORTS else CONTRADICTS)
                 for c, stance in evidence.get(fact_id, []) if c in claims]
        placed.update(c[0][0] for c in cited)
        rows.append(Row(key=f"fact-{fact_id}", kind=_kind_of([c[0][2] for c in cited]), fact=fact,
                        members=[(c[0], c[1], status) for c, status in cited],
                        label=" — ".join(p for p in (fact.subject, fact.property) if p)))
    seen_sets: dict[frozenset, Row] = {}
    # Strongest first, so two contradictions between the very same claims make one row, named
    # by the stronger one (a reviewer's confirmation counts as certain).
    for info in sorted(contradictions.values(), key=lambda c: (c.status != ContradictionStatus.CONFIRMED,
                                                                -(c.score or 0), -c.id)):
        ids = frozenset(c for c in members.get(info.id, []) if c in claims and claims[c][4] != ClaimStatus.REJECTED)
        if len({claims[c][1] for c in ids}) < 2:
            continue  # a contradiction needs two sources; its other claims were rejected
        if ids in seen_sets:
            seen_sets[ids].contradictions.append(info)
            continue
        held = [claims[c] for c in sorted(ids)]
        placed |= ids
        kind = _kind_of([c[2] for c in held])
        row = Row(key=f"contradiction-{info.id}", kind=kind, contradictions=[info],
                  members=[(c[0], c[1], UNDECIDED) for c in held], label=_label_of(held, kind))
        seen_sets[ids] = row
        rows.append(row)
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for claim in claims.values():
        if claim[0] not in placed and claim[3] and claim[4] != ClaimStatus.REJECTED:
            groups[(claim[2], " ".join(claim[3].lower().split()))].append(claim)
    for (kind, said), held in groups.items():
        if len({c[1] for c in held}) < 2:
            continue  # one source saying it: nothing to hold it against
        rows.append(Row(key=_property_key(kind, said), kind=kind, members=[(c[0], c[1], UNDECIDED) for c in held],
                        label=_label_of(held, kind)))
    return [_finish(row, texts, values) for row in rows]


def _sort_key(row: Row) -> tuple:
    score = max((1.0 if c.status == ContradictionStatus.CONFIRMED else c.score or 0.0) for c in row.contradictions) \
        if row.contradictions else 0.0
    return (-row.disagreeing, _STATUS_ORDER.get(row.status, 9), -len(row.sources), -score, row.label.lower(), row.key)


# The rows of the latest version of the data, kept by this process: reading the page again,
# another page of it or another filter costs one query to learn nothing changed.
_latest: tuple[str, list[Row]] = ("", [])
_latest_lock = threading.Lock()


def current_rows() -> list[Row]:
    """Every point (as ``all_rows``), built again only when the data changed since the last
    build (``changes.data_version``). The rows are shared: callers copy before changing one."""
    global _latest
    version = data_version()
    latest = _latest
    if latest[0] == version:
        return latest[1]
    rows = all_rows()
    with _latest_lock:
        _latest = (version, rows)
    return rows


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
    rows, every = [], current_rows()
    for row in every:
        if kind and row.kind != kind or status and row.status != status or chosen.isdisjoint(row.sources):
            continue
        rows.append(replace(row, disagreeing=len(row.conflicting & chosen), cells={}))
    rows.sort(key=_sort_key)
    return Matrix(sources=sources, rows=rows, more_sources=more, every=every)
