"""Reads the pages and exports need, each in a fixed number of queries."""
import re

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, Greatest, Substr

from .models import (
    Claim,
    ClaimKind,
    Contradiction,
    ContradictionStatus,
    Evidence,
    Fact,
    ImportBatch,
    ImportFile,
    SENTENCE_WINDOW,
    Source,
    common_property,
    marked_contradictions,
)


SOURCES_PER_PAGE = 100


def with_sentence_window(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims (with their source selected) carrying the text around them, cut by the
    database (``Claim.sentence_parts`` reads it); the sources' whole texts stay unloaded."""
    window_from = Greatest(F("start") - SENTENCE_WINDOW, Value(0))
    return claims.defer("source__text", "embedding").annotate(
        sentence_window_from=window_from,
        sentence_window=Substr("source__text", window_from + 1, F("end") - window_from + SENTENCE_WINDOW),
    )


def source_versions(source: Source) -> list[Source]:
    """Every version of a source, oldest first (text left out)."""
    seen = set()
    first = source
    while first.supersedes_id and first.supersedes_id not in seen:
        seen.add(first.pk)
        first = Source.objects.defer("text").get(pk=first.supersedes_id)
    chain, at = [first], first
    while True:
        newer = Source.objects.defer("text").filter(supersedes=at).order_by("pk").first()
        if newer is None or newer in chain:
            return chain
        chain.append(newer)
        at = newer


def reanchorings(revision: Source):
    """What became of each claim of the old version in this one, in the old text's order."""
    from .models import Reanchoring

    return (Reanchoring.objects.filter(revision=revision)
            .select_related("old_claim", "new_claim", "placed_by").order_by("old_claim__start", "pk"))


def recent_corrections(limit: int):
    """The latest values sources corrected in their new versions, newest first."""
    from .models import Correction

    return list(Correction.objects.select_related("revision", "old_claim", "new_claim")
                .defer("revision__text").order_by("-created_at", "-pk")[:limit])


def facts_to_review(limit: int) -> list[Fact]:
    """Facts a claim they cite changed under (a correction, an orphan), oldest first."""
    return list(Fact.objects.exclude(needs_review="").order_by("updated_at", "pk")[:limit])


def source_page(*, page: int | str = 1, query: str = "", all_versions: bool = False) -> Page:
    """One page of the sources list (``query`` searches title, publisher and origin), each
    source with its claim count and the number of open contradictions touching it
    (confirmed ones, and candidates the detector is confident of). The counts are made for
    the page's sources only, so the page costs the same with ten sources or ten thousand."""
    sources = Source.objects.defer("text").order_by("origin", "pk").select_related("supersedes")
    if not all_versions:  # the latest version of each source; older ones from its chain
        sources = sources.filter(superseded_by__isnull=True)
    if query:
        sources = sources.filter(Q(title__icontains=query) | Q(publisher__icontains=query) | Q(origin__icontains=query))
    result = Paginator(sources, SOURCES_PER_PAGE).get_page(page)
    ids = [s.pk for s in result.object_list]
    claims = dict(Claim.objects.filter(source__in=ids).values("source").annotate(n=Count("pk")).values_list("source", "n"))
    open_ = dict(
        Claim.objects.filter(source__in=ids).filter(marked_contradictions("contradictions__"))
        .values("source").annotate(n=Count("contradictions", distinct=True)).values_list("source", "n"))
    for source in result.object_list:
        source.claim_count, source.open_contradiction_count = claims.get(source.pk, 0), open_.get(source.pk, 0)
    return result


def sources_by_ids(ids: list[int]) -> list[Source]:
    """The chosen sources in the order chosen; unknown ids are dropped."""
    # Each with the id of the version that supersedes it, if any (no query more).
    newer = Source.objects.filter(supersedes=OuterRef("pk")).order_by("pk").values("pk")[:1]
    found = {s.pk: s for s in Source.objects.filter(pk__in=ids).annotate(newer_id=Subquery(newer))}
    return [found[i] for i in ids if i in found]


# What a column shows of a claim; the rest (context, value, quote context) stays in the database.
# subject, property and what (the words the context names it by) let the claim list be filtered.
COLUMN_CLAIM_FIELDS = ("id", "source_id", "start", "end", "exact", "kind", "status", "origin", "subject",
                       "property")


def claims_for_sources(sources: list[Source]) -> list[Claim]:
    """The claims of the sources' columns with their contradictions' status, in two queries
    whatever their number: the sources are attached as already loaded, not joined again
    (which would copy each source's whole text into every claim's row)."""
    by_pk = {s.pk: s for s in sources}
    claims = list(
        Claim.objects.filter(source__in=sources).only(*COLUMN_CLAIM_FIELDS)
        .annotate(what=Coalesce(KeyTextTransform("what", "context"), Value(""), output_field=TextField()))
        .prefetch_related(
            Prefetch("contradictions", queryset=Contradiction.objects.only("id", "status", "kind", "score")),
            Prefetch("evidence", queryset=Evidence.objects.only("id", "claim_id", "fact_id", "stance")),
        )
        .order_by("source_id", "start", "-end", "pk")
    )
    for claim in claims:
        claim.source = by_pk[claim.source_id]
    return claims


def claim_detail(claim_id: int) -> Claim:
    return (
        Claim.objects.select_related("source", "created_by")
        .prefetch_related(
            Prefetch(
                "contradictions",
                queryset=Contradiction.objects.prefetch_related(
                    Prefetch("claims", queryset=Claim.objects.select_related("source"))
                ),
            ),
            Prefetch("evidence", queryset=Evidence.objects.select_related("fact").order_by("fact_id")),
        )
        .get(pk=claim_id)
    )


def _link_strength(contradiction: Contradiction) -> tuple:
    """Sort key, strongest link first: open contradictions (confirmed, then candidates by
    the detector's score; a reviewer's confirmation counts as certain), then the settled ones
    (resolved, dismissed)."""
    status = contradiction.status
    is_open = status in (ContradictionStatus.CONFIRMED, ContradictionStatus.CANDIDATE)
    score = 1.0 if status == ContradictionStatus.CONFIRMED else (contradiction.score or 0.0)
    return (not is_open, -score, -contradiction.pk)


def claim_links(claim: Claim) -> list[tuple[Contradiction, list[Claim]]]:
    """The claim's contradictions, strongest first, each with its other claims (prefetched by
    claim_detail)."""
    return [(c, [other for other in c.claims.all() if other.pk != claim.pk])
            for c in sorted(claim.contradictions.all(), key=_link_strength)]


def linked_claims(claim: Claim) -> list[Claim]:
    """Claims that share a contradiction with this one, the most strongly linked first: the
    other columns scroll to the first of them."""
    linked: dict[int, Claim] = {}
    for _, others in claim_links(claim):
        for other in others:
            linked.setdefault(other.pk, other)
    return list(linked.values())


def _claims_in_context() -> QuerySet[Claim]:
    return with_sentence_window(Claim.objects.select_related("source").order_by("source_id", "start"))


# How the contradictions list may be sorted (the ``sort`` parameter), ties newest first.
CONTRADICTION_ORDERS = {
    "-score": ("-score", "-created_at", "-pk"),
    "score": ("score", "-created_at", "-pk"),
    "-date": ("-created_at", "-pk"),
    "date": ("created_at", "pk"),
    "kind": ("kind", "-created_at", "-pk"),
}


def contradiction_list(*, status: str = "", kind: str = "", source: Source | None = None,
                       sort: str = "-date") -> QuerySet[Contradiction]:
    """Contradictions, filtered by status, kind and a source one of their claims is in,
    sorted by ``sort`` (a key of CONTRADICTION_ORDERS); each claim with its sentence."""
    qs = Contradiction.objects.select_related("flagged_by", "fact").prefetch_related(
        Prefetch("claims", queryset=_claims_in_context())
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if source is not None:
        qs = qs.filter(pk__in=Contradiction.claims.through.objects.filter(claim__source=source)
                       .values("contradiction_id"))
    order = CONTRADICTION_ORDERS.get(sort, CONTRADICTION_ORDERS["-date"])
    if order[0].lstrip("-") == "score":
        # Flagged contradictions have no score: they sort after every scored one.
        score = F("score").desc(nulls_last=True) if order[0] == "-score" else F("score").asc(nulls_last=True)
        return qs.order_by(score, *order[1:])
    return qs.order_by(*order)


def contradiction_detail(contradiction_id: int) -> Contradiction:
    return (
        Contradiction.objects.select_related("flagged_by", "confirmed_by", "fact")
        .prefetch_related(Prefetch("claims", queryset=_claims_in_context()))
        .get(pk=contradiction_id)
    )


def fact_list() -> QuerySet[Fact]:
    return Fact.objects.select_related("reviewer").prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("claim__source").order_by("stance", "pk"),
        ),
        "contradictions",
    )


def suggested_claims() -> QuerySet[Claim]:
    """Suggestions waiting for a reviewer, source by source in reading order."""
    return with_sentence_window(
        Claim.objects.filter(status="suggested").select_related("source").order_by("source_id", "start", "pk"))


RECENT_IMPORTS = 10


def import_batches(limit: int = RECENT_IMPORTS) -> list[ImportBatch]:
    return list(ImportBatch.objects.select_related("created_by")[:limit])


def import_files(batch: ImportBatch) -> QuerySet[ImportFile]:
    """A batch's files without their bytes, with the source each became."""
    return batch.files.defer("raw").select_related("source").defer("source__text").order_by("pk")


# Words of a title or office, not of a name ("Secretary of State Marco Rubio").
TITLE_WORDS = {"state", "minister", "foreign", "president", "secretary", "mr", "ms", "mrs", "dr", "general", "the"}


def _display_name(key: str, texts: list[str]) -> str:
    """How the texts write a person or entity the matcher keyed as ``key`` ("assange" is
    "Julian Assange"): the capitalised words running up to it, or the key capitalised."""
    pattern = re.compile(r"((?:[A-ZÀ-Þ][\w’'.-]*\s+){0,2})(" + re.escape(key) + r")\b", re.IGNORECASE)
    for text in texts:
        for match in pattern.finditer(text):
            if match.group(2)[:1].isupper():
                lead = [w for w in match.group(1).split() if w[:1].isupper()]
                while lead and lead[0].lower().strip(".") in TITLE_WORDS:
                    lead.pop(0)
                return " ".join([*lead, match.group(2)]).strip("\"“”'‘’ ")
    return key.strip("\"“”'‘’ ").title()


def reconcile_prefill(claims: list[Claim]) -> dict[str, str]:
    """Subject and property for the reconcile form, from what the claims measure: a claim's
    subject when it names no value, else the person (or entity) their readings share; the
    property most of the claims carry, else the kind with the words their readings share
    ("date (asylum)"). Never text that contains a claim's value: the form is where the lead
    states the value."""
    values = [c.exact for c in claims if c.exact]

    def valueless(text: str) -> str:
        return text if text and not any(v in text for v in values) else ""

    contexts = [c.context or {} for c in claims]
    texts = [ctx.get("masked", "") for ctx in contexts] + [c.subject for c in claims]
    subject = next((valueless(c.subject) for c in claims if valueless(c.subject)), "")
    names: dict[str, int] = {}
    for field in ("people", "entities"):
        for ctx in contexts:
            for key in ctx.get(field, []):
                names[key] = names.get(key, 0) + 1
        if names and not subject:
            subject = valueless(_display_name(max(names, key=lambda k: (names[k], -list(names).index(k))), texts))
    focus = [set(ctx.get("focus", [])) for ctx in contexts if ctx.get("focus")]
    shared = sorted(set.intersection(*focus) - set(names)) if focus else []
    said = common_property(claims)
    if said:  # what the claims say they measure (read from their sources, or a reviewer's)
        return {"subject": subject, "property": said}
    kinds = {c.kind for c in claims}
    label = ClaimKind(kinds.pop()).label.split(" / ")[-1].lower() if len(kinds) == 1 else ""
    prop = f"{label} ({', '.join(shared)})" if label and shared else label
    return {"subject": subject, "property": valueless(prop)}


ATTACH_CHOICES = 20


def facts_to_attach(contradiction: Contradiction, limit: int = ATTACH_CHOICES) -> list[Fact]:
    """Facts a contradiction could be attached to: those already weighing one of its claims
    first (most likely the same point), then the most recent of its kind."""
    claim_ids = [c.pk for c in contradiction.claims.all()]
    sharing = list(Fact.objects.filter(evidence__claim__in=claim_ids).distinct().order_by("-reconciled_at", "-pk"))
    others = (Fact.objects.exclude(pk__in=[f.pk for f in sharing])
              .filter(evidence__claim__kind=contradiction.kind).distinct().order_by("-reconciled_at", "-pk"))
    return (sharing + list(others[:limit]))[:limit]
