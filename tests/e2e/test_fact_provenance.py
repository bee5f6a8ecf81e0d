"""Facts in the reading view, in a real browser: a claim's strongest counterpart is the one
scrolled to, the claims a fact weighs are marked, and a provenance link opens the source
scrolled to its span, flashing."""
import re

import pytest
from playwright.sync_api import expect

from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Contradiction, Source
from annotations.services import claim_create, contradiction_flag, fact_reconcile

from .test_review_flow import log_in, reviewer_account  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e


def claim(source, exact, kind="date"):
    start = source.text.index(exact)
    return claim_create(source=source, start=start, end=start + len(exact), exact=exact, kind=kind,
                        user=None, origin="suggested")


@pytest.fixture
def assange(transactional_db):
    """The seeds' Assange date as the detector left it: "November 2012" (000) against four
    dates of 001, the right one (0.69) last in the text."""
    load_seeds(analyse=False)
    s000 = Source.objects.get(origin__startswith="000")
    s001 = Source.objects.get(origin__startswith="001")
    nov = claim(s000, "November 2012")
    others = {}
    for exact, score in [("July 1981", 0.257), ("March 3, 2008", 0.262), ("2010", 0.27), ("August 16, 2012", 0.692)]:
        others[exact] = claim(s001, exact)
        candidate = Contradiction.objects.create(kind="date", status="candidate", score=score)
        candidate.claims.set([nov, others[exact]])
    return s000, s001, nov, others


def in_view(page, segment, column) -> bool:
    seg, col = segment.bounding_box(), column.bounding_box()
    return seg is not None and col["y"] <= seg["y"] and seg["y"] + seg["height"] <= col["y"] + col["height"]


def test_clicking_a_claim_scrolls_the_other_column_to_its_strongest_counterpart(page, live_server, reviewer_account, assange, output_dir):
    s000, s001, nov, others = assange
    page.set_viewport_size({"width": 1500, "height": 700})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={s000.pk}&s={s001.pk}")
    page.locator(f"#text-{s000.pk} .seg[data-claims~='{nov.pk}']").first.click()
    panel = page.locator("#claim-panel")
    expect(panel.locator(".linked li").first).to_be_visible()
    column = page.locator(f"#text-{s001.pk}")
    august = column.locator(f".seg[data-claims~='{others['August 16, 2012'].pk}']").first
    page.wait_for_function("id => document.querySelector(`#text-${id}`).scrollTop > 0", arg=s001.pk)
    assert in_view(page, august, column), "the column did not scroll to “August 16, 2012”"
    assert not in_view(page, column.locator(f".seg[data-claims~='{others['July 1981'].pk}']").first, column)
    expect(panel.locator(".linked li").first).to_contain_text("August 16, 2012")
    first = panel.locator(".claim-contradictions li").first
    expect(first).to_contain_text("August 16, 2012")
    expect(first).to_contain_text("score 0.69")
    page.screenshot(path=str(output_dir / "strongest-counterpart.png"))


@pytest.fixture
def reconciled(transactional_db):
    load_seeds(analyse=False)
    s000 = Source.objects.get(origin__startswith="000")
    s001 = Source.objects.get(origin__startswith="001")
    nov, aug = claim(s000, "November 2012"), claim(s001, "August 16, 2012")
    flagged = contradiction_flag(claims=[nov, aug], user=None)
    fact = fact_reconcile(contradiction=flagged, user=None, value_text="16 August 2012", status="reconciled",
                          rationale="Patiño announced it that day.", stances={nov.pk: "refutes", aug.pk: "supports"},
                          subject="Julian Assange", property="date asylum granted")
    return s000, s001, nov, aug, fact


def test_the_reading_view_marks_refuted_and_supporting_claims(page, live_server, reviewer_account, reconciled, output_dir):
    s000, s001, nov, aug, fact = reconciled
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={s000.pk}&s={s001.pk}")
    refuted = page.locator(f"#text-{s000.pk} .seg[data-claims~='{nov.pk}']").first
    supported = page.locator(f"#text-{s001.pk} .seg[data-claims~='{aug.pk}']").first
    # Confirmed by the reconciling: no longer dashed as a suggestion.
    expect(refuted).to_have_class(re.compile(r"\brefuted\b"))
    assert "suggested" not in refuted.get_attribute("class")
    expect(supported).to_have_class(re.compile(r"\bsupported\b"))
    label = refuted.evaluate("el => getComputedStyle(el, '::before').content")
    assert f"✘ refuted by fact #{fact.pk}" in label
    assert f"✔ supports fact #{fact.pk}" in supported.evaluate("el => getComputedStyle(el, '::before').content")
    refuted.click()
    expect(page.locator("#claim-panel .verdict")).to_have_text(f"✘ refuted by fact #{fact.pk} {fact}")
    page.screenshot(path=str(output_dir / "verdict-marks.png"))


def test_a_provenance_link_opens_the_source_scrolled_to_the_span_and_flashes_it(page, live_server, reviewer_account, reconciled, output_dir):
    s000, s001, nov, aug, fact = reconciled
    page.set_viewport_size({"width": 1500, "height": 600})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/facts/{fact.pk}/")
    page.locator(f"#claim-{aug.pk} a[href*='#claim-{aug.pk}']").click()
    page.wait_for_url(f"**/compare/?s={s001.pk}#claim-{aug.pk}")
    column = page.locator(f"#text-{s001.pk}")
    span = column.locator(f".seg[data-claims~='{aug.pk}']").first
    expect(span).to_have_class(re.compile(r"\bflash\b"))
    assert in_view(page, span, column), "the source did not open scrolled to the span"
    page.screenshot(path=str(output_dir / "provenance-flash.png"))
