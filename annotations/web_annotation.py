"""Claims, contradictions and facts as W3C Web Annotations (JSON-LD).

One AnnotationCollection with its first (and only) AnnotationPage embedded, written piece by
piece so a corpus of any size streams. Every target carries a TextQuoteSelector (exact,
prefix, suffix) and a TextPositionSelector (start, end, in Unicode code points, as stored).

- a claim: motivation ``tagging``, a tagging body with its kind (and a describing body with
  its normalised value, a classifying body with its property: what the value measures),
  targeting its span; its embedding is derived data, recomputed, never exported;
- a contradiction: motivation ``linking`` (``assessing`` once resolved), a commenting body,
  targeting every claim's span;
- a fact: motivation ``assessing``, a body with the value, status and rationale, targeting
  the span of each piece of evidence.
"""
import json
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from .models import Claim, Contradiction, Evidence, Fact
from .values import describe

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def base_url() -> str:
    return settings.WORKBENCH_BASE_URL.rstrip("/")


def page_url(name: str, *args) -> str:
    """The absolute address of one of the app's pages: every address an export gives is one
    the app answers (``urls.py``), never an id nothing serves."""
    return base_url() + reverse(name, args=args)


def _time(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _creator(user) -> dict | None:
    # No id: the app has no page per person, and an id should resolve (the model makes an
    # Agent's id a SHOULD, not a MUST).
    if user is None:
        return None
    return {"type": "Person", "nickname": user.get_username()}


def _target(claim: Claim) -> dict:
    return {
        # The plain text the selectors' offsets count into.
        "source": page_url("source-text", claim.source_id),
        "selector": [
            {"type": "TextQuoteSelector", "exact": claim.exact, "prefix": claim.prefix, "suffix": claim.suffix},
            {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
        ],
    }


def _annotation(page: str, pk: int, *, motivation: str, body: list, targets: list, user, created) -> dict:
    annotation = {
        "id": page_url(page, pk),
        "type": "Annotation",
        "motivation": motivation,
        "created": _time(created),
        "body": body,
        "target": targets[0] if len(targets) == 1 else targets,
    }
    creator = _creator(user)
    if creator:
        annotation["creator"] = creator
    return annotation


def claim_annotation(claim: Claim) -> dict:
    body = [{"type": "TextualBody", "value": claim.kind, "purpose": "tagging"}]
    if claim.value.get("type"):
        body.append({"type": "TextualBody", "value": describe(claim.value), "purpose": "describing"})
    if claim.property:  # what the value measures: the class of fact it states
        body.append({"type": "TextualBody", "value": claim.property, "purpose": "classifying"})
    if claim.subject:
        body.append({"type": "TextualBody", "value": claim.subject, "purpose": "commenting"})
    return _annotation("claim-detail", claim.pk, motivation="tagging", body=body, targets=[_target(claim)],
                       user=claim.created_by, created=claim.created_at)


def contradiction_annotation(contradiction: Contradiction) -> dict:
    text = contradiction.note or contradiction.explanation or f"{contradiction.get_kind_display()} contradiction"
    body = [{"type": "TextualBody", "value": f"{contradiction.get_status_display()}: {text}",
             "purpose": "commenting"}]
    motivation = "assessing" if contradiction.fact_id else "linking"
    return _annotation("contradiction-detail", contradiction.pk, motivation=motivation, body=body,
                       targets=[_target(c) for c in contradiction.claims.all()],
                       user=contradiction.flagged_by, created=contradiction.created_at)


def fact_annotation(fact: Fact) -> dict:
    body = [{"type": "TextualBody", "purpose": "assessing",
             "value": f"{fact.subject}{' · ' + fact.property if fact.property else ''}: {fact.value_text} "
                      f"({fact.get_status_display()}). {fact.rationale}"}]
    body += [{"type": "TextualBody", "purpose": "classifying", "value": f"{e.stance}: {e.claim.exact}"}
             for e in fact.evidence.all()]
    return _annotation("fact-detail", fact.pk, motivation="assessing", body=body,
                       targets=[_target(e.claim) for e in fact.evidence.all()] or [],
                       user=fact.reviewer, created=fact.reconciled_at)


def _annotations() -> Iterator[dict]:
    claims = Claim.objects.select_related("created_by").defer("embedding", "context").order_by("pk")
    for claim in claims.iterator(chunk_size=2000):
        yield claim_annotation(claim)
    contradictions = Contradiction.objects.select_related("flagged_by").prefetch_related("claims").order_by("pk")
    for contradiction in contradictions.iterator(chunk_size=500):
        yield contradiction_annotation(contradiction)
    facts = Fact.objects.select_related("reviewer").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("claim"))
    ).order_by("pk")
    for fact in facts.iterator(chunk_size=500):
        if fact.evidence.all():
            yield fact_annotation(fact)


def annotation_count() -> int:
    return Claim.objects.count() + Contradiction.objects.count() + Fact.objects.filter(evidence__isnull=False).distinct().count()


def collection_chunks() -> Iterator[str]:
    """The AnnotationCollection as JSON text, one annotation per chunk."""
    collection_id = page_url("export", "all", "webannotation")
    head = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Fact-checking workbench: claims, contradictions and facts",
        "total": annotation_count(),
    }
    # The whole collection is its one page.
    page_head = {"id": f"{collection_id}?page=1", "type": "AnnotationPage", "partOf": collection_id, "startIndex": 0}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "first": ' + json.dumps(page_head, ensure_ascii=False)[:-1] + ', "items": ['
    for number, annotation in enumerate(_annotations()):
        yield ("," if number else "") + "\n" + json.dumps(annotation, ensure_ascii=False)
    yield "\n]}}\n"
