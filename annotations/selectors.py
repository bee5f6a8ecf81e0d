"""Reads the pages and exports need, each in a fixed number of queries."""
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Greatest, Substr

from .models import (
    Claim,
    Contradiction,
    Evidence,
    Fact,
    ImportBatch,
    ImportFile,
    SENTENCE_WINDOW,
    Source,
    marked_contradictions,
)


SOURCES_PER_PAGE = 100


def with_sentence_window(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims (with their source selected) carrying the text around them, cut by the
    database (``Claim.sentence_parts`` reads it); the sources' whole texts stay unloaded."""
    window_from = Greatest(F("start") - SENTENCE_WINDOW, Value(0))
    return claims.defer("source__text").annotate(
        sentence_window_from=window_from,
        sentence_window=Substr("source__text", window_from + 1, F("end") - window_from + SENTENCE_WINDOW),
    )


def source_page(*, page: int | str = 1, query: str = "") -> Page:
    """One page of the sources list (``query`` searches title, publisher and origin), each
    source with its claim count and the number of open contradictions touching it
    (confirmed ones, and candidates the detector is confident of). The counts are made for
    the page's sources only, so the page costs the same with ten sources or ten thousand."""
    sources = Source.objects.defer("text").order_by("origin", "pk")
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
    found = {s.pk: s for s in Source.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


# What a column shows of a claim; the rest (context, value, quote context) stays in the database.
COLUMN_CLAIM_FIELDS = ("id", "source_id", "start", "end", "exact", "kind", "status", "origin")


def claims_for_sources(sources: list[Source]) -> list[Claim]:
    """The claims of the sources' columns with their contradictions' status, in two queries
    whatever their number: the sources are attached as already loaded, not joined again
    (which would copy each source's whole text into every claim's row)."""
    by_pk = {s.pk: s for s in sources}
    claims = list(
        Claim.objects.filter(source__in=sources).only(*COLUMN_CLAIM_FIELDS)
        .prefetch_related(
            Prefetch("contradictions", queryset=Contradiction.objects.only("id", "status", "kind", "score"))
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
            Prefetch("evidence", queryset=Evidence.objects.select_related("fact")),
        )
        .get(pk=claim_id)
    )


def linked_claims(claim: Claim) -> list[Claim]:
    """Claims that share a contradiction with this one (prefetched by claim_detail)."""
    linked = {}
    for contradiction in claim.contradictions.all():
        for other in contradiction.claims.all():
            if other.pk != claim.pk:
                linked[other.pk] = other
    return sorted(linked.values(), key=lambda c: (c.source_id, c.start))


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
