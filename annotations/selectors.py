"""Reads the pages and exports need, each in a fixed number of queries."""
from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    Claim,
    Contradiction,
    Evidence,
    Fact,
    ImportBatch,
    ImportFile,
    Source,
    marked_contradictions,
)


def source_list() -> QuerySet[Source]:
    """Sources with their claim count and the number of open contradictions touching them
    (confirmed ones, and candidates the detector is confident of)."""
    return Source.objects.annotate(
        claim_count=Count("claims", distinct=True),
        open_contradiction_count=Count(
            "claims__contradictions", filter=marked_contradictions("claims__contradictions__"), distinct=True),
    ).order_by("origin", "pk")


def sources_by_ids(ids: list[int]) -> list[Source]:
    """The chosen sources in the order chosen; unknown ids are dropped."""
    found = {s.pk: s for s in Source.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def claims_for_sources(sources: list[Source]) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(source__in=sources)
        .select_related("source", "created_by")
        .prefetch_related(
            Prefetch(
                "contradictions",
                queryset=Contradiction.objects.only("id", "status", "kind", "score"),
            )
        )
        .order_by("source_id", "start", "-end", "pk")
    )


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


def contradiction_list(*, status: str = "", kind: str = "") -> QuerySet[Contradiction]:
    qs = Contradiction.objects.select_related("flagged_by", "fact").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.select_related("source").order_by("source_id", "start"))
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk")


def contradiction_detail(contradiction_id: int) -> Contradiction:
    return (
        Contradiction.objects.select_related("flagged_by", "confirmed_by", "fact")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.select_related("source").order_by("source_id", "start"))
        )
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
    return Claim.objects.filter(status="suggested").select_related("source").order_by("source_id", "start", "pk")


RECENT_IMPORTS = 10


def import_batches(limit: int = RECENT_IMPORTS) -> list[ImportBatch]:
    return list(ImportBatch.objects.select_related("created_by")[:limit])


def import_files(batch: ImportBatch) -> QuerySet[ImportFile]:
    """A batch's files without their bytes, with the source each became."""
    return batch.files.defer("raw").select_related("source").defer("source__text").order_by("pk")
