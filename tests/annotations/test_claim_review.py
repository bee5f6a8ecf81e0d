"""ClaimReview JSON-LD can be pasted into a page's <script type="application/ld+json">."""
import json

from annotations.exports import export_lines
from annotations.services import contradiction_flag, fact_reconcile

SCRIPT = "</script><script>alert(1)</script>"


def test_claim_review_has_no_raw_markup_and_reads_back_the_same(make_source, make_claim, user):
    a = make_source(f"Asylum was offered in November 2012 {SCRIPT} by Ecuador.", name="a.txt")
    b = make_source("Asylum was granted on August 16, 2012 by Ecuador & friends.", name="b.txt")
    nov, aug = make_claim(a, "November 2012"), make_claim(b, "August 16, 2012")
    flagged = contradiction_flag(claims=[nov, aug], user=user)
    fact_reconcile(contradiction=flagged, user=user, value_text=f"16 August 2012 {SCRIPT}", status="reconciled",
                   rationale="r", stances={nov.pk: "refutes", aug.pk: "supports"}, subject="Assange & co")
    document = "".join(export_lines(fmt="claimreview"))
    assert "</script" not in document.lower()
    assert "<" not in document and ">" not in document and "&" not in document
    reviews = json.loads(document)
    verdicts = {r["reviewRating"]["alternateName"] for r in reviews}
    assert verdicts == {f"Inaccurate: Assange & co: 16 August 2012 {SCRIPT}",
                        f"Accurate: Assange & co: 16 August 2012 {SCRIPT}"}
    assert any(SCRIPT in r["claimReviewed"] for r in reviews)
