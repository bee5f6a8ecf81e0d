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
from .web_annotation import base_url, page_url

MAX_CLAIM_CHARS = 75
# Where a sentence ends: a stop (with closing quotes and citation markers such as "[106]")
# before white space, or a line break.
SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*(?:\[\d{1,4}\])*(?=\s)|\n")


def claim_sentence(text: str, start: int, end: int, limit: int = MAX_CLAIM_CHARS) -> str:
    """The sentence stating the claim, quoted as the source writes it (runs of white space
    read as one space), cut to ``limit`` characters around the claim at word boundaries,
    with "…" where it was cut."""
    left = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    after = SENTENCE_END.search(text, end)
    right = after.end() if after and after.group() != "\n" else (after.start() if after else len(text))
    # Words, as (start, end) offsets into the text: the quote is cut out of the text itself,
    # never rebuilt from words (which put a space before the comma after the claim).
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[left:right])]
    words = [(left + a, left + b) for a, b in words]
    def quoted(a: int, b: int) -> str:
        return " ".join(text[a:b].split())

    if not words or len(quoted(words[0][0], words[-1][1])) <= limit:
        return quoted(left, right)
    lo = next((a for a, b in words if b > start), start)
    hi = next((b for a, b in reversed(words) if a < end), end)
    if len(quoted(lo, hi)) >= limit - 2:
        quote = quoted(start, end)
        return quote[: limit - 1] + ("…" if len(quote) >= limit else "")
    before = [w for w in words if w[1] <= lo]
    later = [w for w in words if w[0] >= hi]
    while before or later:
        grown = False
        if later and len(quoted(lo, later[0][1])) + 2 <= limit:
            hi, grown = later.pop(0)[1], True
        if before and len(quoted(before[-1][0], hi)) + 2 <= limit:
            lo, grown = before.pop()[0], True
        if not grown:
            break
    return ("…" if before else "") + quoted(lo, hi) + ("…" if later else "")


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
    appearance = {"@type": "CreativeWork", "url": base_url() + source.get_absolute_url(), "name": source.title}
    if source.published_on:
        appearance["datePublished"] = source.published_on.isoformat()
    if source.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": source.publisher}
    item = {"@type": "Claim", "appearance": appearance}
    # The claim's kind ("measure") and what its value measures ("distance from the epicentre").
    item["keywords"] = [claim.kind] + ([claim.property] if claim.property else [])
    if source.published_on:
        item["datePublished"] = source.published_on.isoformat()
    if source.publisher:
        item["author"] = {"@type": "Organization", "name": source.publisher}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        # The claim's line on the fact's page carries this id.
        "url": page_url("fact-detail", fact.pk) + f"#claim-{claim.pk}",
        "datePublished": fact.reconciled_at.date().isoformat(),
        "claimReviewed": claim_sentence(source.text, claim.start, claim.end),
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": settings.WORKBENCH_ORGANISATION, "url": page_url("source-list")},
        "reviewRating": {
            "@type": "Rating", "ratingValue": rating, "bestRating": 5, "worstRating": 1,
            "alternateName": verdict,
        },
    }


def reviews() -> Iterator[dict]:
    # Evidence comes source by source so each source's text is loaded once, not per row.
    evidence = (Evidence.objects.select_related("fact", "claim__source")
                .defer("claim__source__text", "claim__embedding").order_by("claim__source_id", "fact_id", "pk"))
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
