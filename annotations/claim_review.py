"""schema.org ClaimReview JSON-LD for every claim a reconciled fact supports or refutes.

Rating scale (documented in the README): 1 = inaccurate (the fact refutes the claim),
3 = disputed or unverifiable (the fact is not settled), 5 = accurate (the fact supports it);
``alternateName`` says the verdict in words with the value the reviewers stand by.
"""
import json
import re
from collections.abc import Iterator

from django.conf import settings

from .models import Evidence, FactStatus, Source, Stance
from .web_annotation import base_url

CITATION = re.compile(r"\[\d{1,4}\]")
MAX_CLAIM_CHARS = 75


def claim_sentence(text: str, start: int, end: int, limit: int = MAX_CLAIM_CHARS) -> str:
    """The sentence stating the claim, cut to ``limit`` characters around it if longer."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    sentence = " ".join(CITATION.sub("", text[left + 1:right + 1]).split()).strip()
    if len(sentence) <= limit:
        return sentence
    quote = " ".join(CITATION.sub("", text[start:end]).split())
    at = sentence.find(quote)
    if at < 0 or len(quote) >= limit - 2:
        return quote[: limit - 1] + ("…" if len(quote) >= limit else "")
    # Words around the quote, as many as fit.
    before, after = sentence[:at].split(), sentence[at + len(quote):].split()
    kept = quote
    while before or after:
        grown = False
        if after and len(kept) + len(after[0]) + 3 <= limit:
            kept, grown = f"{kept} {after.pop(0)}", True
        if before and len(kept) + len(before[-1]) + 3 <= limit:
            kept, grown = f"{before.pop()} {kept}", True
        if not grown:
            break
    return ("…" if before else "") + kept + ("…" if after else "")


def _verdict(evidence: Evidence) -> tuple[int, str]:
    fact = evidence.fact
    settled = f"{fact.subject}{', ' + fact.property if fact.property else ''}: {fact.value_text}"
    if fact.status != FactStatus.RECONCILED:
        return 3, f"{fact.get_status_display()}: {settled}"
    if evidence.stance == Stance.SUPPORTS:
        return 5, f"Accurate: {settled}"
    return 1, f"Inaccurate: {settled}"


def claim_review(evidence: Evidence) -> dict:
    claim, fact, source = evidence.claim, evidence.fact, evidence.claim.source
    rating, verdict = _verdict(evidence)
    appearance = {"@type": "CreativeWork", "url": f"{base_url()}/sources/{source.pk}", "name": source.title}
    if source.published_on:
        appearance["datePublished"] = source.published_on.isoformat()
    if source.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": source.publisher}
    item = {"@type": "Claim", "appearance": appearance}
    if source.published_on:
        item["datePublished"] = source.published_on.isoformat()
    if source.publisher:
        item["author"] = {"@type": "Organization", "name": source.publisher}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base_url()}/facts/{fact.pk}/#claim-{claim.pk}",
        "datePublished": fact.reconciled_at.date().isoformat(),
        "claimReviewed": claim_sentence(source.text, claim.start, claim.end),
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": settings.WORKBENCH_ORGANISATION, "url": base_url() + "/"},
        "reviewRating": {
            "@type": "Rating", "ratingValue": rating, "bestRating": 5, "worstRating": 1,
            "alternateName": verdict,
        },
    }


def reviews() -> Iterator[dict]:
    # Evidence comes source by source so each source's text is loaded once, not per row.
    evidence = (Evidence.objects.select_related("fact", "claim__source")
                .defer("claim__source__text").order_by("claim__source_id", "fact_id", "pk"))
    texts: dict[int, str] = {}
    for item in evidence.iterator(chunk_size=1000):
        source = item.claim.source
        if source.pk not in texts:
            texts.clear()
            texts[source.pk] = Source.objects.values_list("text", flat=True).get(pk=source.pk)
        source.text = texts[source.pk]
        yield claim_review(item)


# ClaimReview is made to be pasted into a page's <script type="application/ld+json">, where a
# "</script>" quoted from a source would end the script and run what follows. Written as
# \u003c, \u003e, \u0026 (the escapes of Django's json_script) they are still valid JSON and
# parse back to the same text.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_safe_json(node) -> str:
    """JSON that can be embedded in an HTML <script> element as it is."""
    return json.dumps(node, ensure_ascii=False).translate(_SCRIPT_SAFE)


def review_chunks() -> Iterator[str]:
    """A JSON list of ClaimReview nodes, one per chunk."""
    yield "["
    for number, review in enumerate(reviews()):
        yield ("," if number else "") + "\n" + script_safe_json(review)
    yield "\n]\n"
