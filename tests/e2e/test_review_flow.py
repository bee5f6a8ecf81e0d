"""The reviewing loop in a real browser, from login to the downloaded CSV.

Text is selected with a mouse drag and tagged with the Tag… button that appears when the mouse
is released, as a reader does; waits are on the element a swap puts on the page."""
import csv
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Claim, Contradiction, Fact, Source
from annotations.services import source_import

from .conftest import drag_select

pytestmark = pytest.mark.e2e
PASSWORD = "a-long-e2e-password"


@pytest.fixture
def reviewer_account(transactional_db):
    from tests.conftest import with_role

    return with_role(get_user_model().objects.create_user("reviewer", password=PASSWORD), "lead")


def log_in(page, live_server):
    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    expect(page.locator("h1")).to_have_text("Sources")


def claim_segment(page, column: str, quote: str):
    """The highlighted claim whose text is exactly ``quote`` in a column."""
    return page.locator(f"{column} .seg.claim").filter(has_text=re.compile(f"^{re.escape(quote)}$"))


def tag(page, column: str, quote: str, kind: str = "date", subject: str = "") -> None:
    drag_select(page, column, quote)
    page.locator("#tag-selection").click()  # shown when the mouse button is released
    form = page.locator("#claim-form")
    expect(form).to_be_visible()
    expect(page.locator("#claim-quote")).to_have_text(quote)
    form.locator("select[name=kind]").select_option(kind)
    if subject:
        form.locator("input[name=subject]").fill(subject)
    form.locator("button:has-text('Tag claim')").click()
    expect(page.locator("#messages")).to_contain_text(f"Tagged “{quote}”")
    expect(form).to_be_hidden()
    expect(claim_segment(page, column, quote)).to_have_count(1)  # the column the tag redrew


def test_review_loop_from_login_to_exported_csv(page, live_server, reviewer_account, output_dir):
    load_seeds(analyse=False)
    s000 = Source.objects.get(origin__startswith="000")
    s001 = Source.objects.get(origin__startswith="001")
    log_in(page, live_server)

    page.check(f"#pick-{s000.pk}")
    page.check(f"#pick-{s001.pk}")
    page.click("button:has-text('Compare side by side')")
    expect(page.locator("section.column")).to_have_count(2)
    url_before = page.url

    tag(page, f"#text-{s000.pk}", "November 2012", subject="Ecuador asylum for Julian Assange")
    tag(page, f"#text-{s001.pk}", "August 16, 2012", subject="Ecuador asylum for Julian Assange")
    assert page.url == url_before  # htmx: no page load
    expect(page.locator(f"#text-{s000.pk} .seg.claim.kind-date")).to_have_text("November 2012")
    expect(page.locator(f"#text-{s001.pk} .seg.claim.kind-date")).to_have_text("August 16, 2012")
    nov = Claim.objects.get(exact="November 2012")
    aug = Claim.objects.get(exact="August 16, 2012")
    assert s000.text[nov.start:nov.end] == "November 2012"
    assert (aug.source_id, s001.text[aug.start:aug.end]) == (s001.pk, "August 16, 2012")

    page.check(f"#tick-{nov.pk}")
    page.check(f"#tick-{aug.pk}")
    expect(page.locator("#flag-count")).to_have_text("2")
    page.fill("#flag-note", "Seed 000 says November 2012, seed 001 says August 16, 2012.")
    page.click("button:has-text('Flag contradiction')")
    expect(page.locator("#messages")).to_contain_text("Flagged contradiction")
    contradiction = Contradiction.objects.get()
    # Both columns are redrawn with the claim marked as contradicted.
    expect(page.locator(f"#text-{s000.pk} .seg.contradicted")).to_have_text("November 2012")
    expect(page.locator(f"#text-{s001.pk} .seg.contradicted")).to_have_text("August 16, 2012")

    # Clicking a claim shows it and lights up its counterpart in the other column.
    page.click(f"#text-{s000.pk} .seg.claim")
    expect(page.locator("#claim-panel")).to_contain_text("Linked claims")
    expect(page.locator("#claim-panel .linked")).to_contain_text("August 16, 2012")
    expect(page.locator(f"#text-{s001.pk} .seg.linked")).to_have_text("August 16, 2012")
    page.screenshot(path=str(output_dir / "side-by-side.png"))

    page.click("#messages a:has-text('Open it')")
    expect(page.locator("h1")).to_contain_text(f"Contradiction #{contradiction.pk}")
    page.fill("#id_value_text", "16 August 2012")
    page.fill("#id_property", "date asylum granted")
    page.fill("#id_rationale", "Foreign Minister Patiño announced the grant on 16 August 2012; "
                               "November 2012 is wrong.")
    page.check(f"input[name=stance_{nov.pk}][value=refutes]")
    page.check(f"input[name=stance_{aug.pk}][value=supports]")
    page.click("button:has-text('Reconcile')")
    expect(page.locator("h1")).to_have_text("Reconciled facts")
    fact_card = page.locator("article.fact")
    expect(fact_card).to_contain_text("16 August 2012")
    expect(fact_card).to_contain_text("“November 2012”")
    expect(fact_card).to_contain_text("Foreign relations of Ecuador (encyclopedia extract)")

    with page.expect_download() as download_info:
        page.click(".downloads a:has-text('CSV') >> nth=0")
    download = download_info.value
    assert download.suggested_filename == "facts.csv"
    path = output_dir / "facts.csv"
    download.save_as(path)
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    assert {(r["exact"], r["stance"], r["source_origin"]) for r in rows} == {
        ("November 2012", "refutes", s000.origin),
        ("August 16, 2012", "supports", s001.origin),
    }
    assert {r["value"] for r in rows} == {"16 August 2012"}
    assert Fact.objects.get().contradictions.get() == contradiction


def test_offsets_after_emoji_and_accents_are_code_points(page, live_server, reviewer_account):
    text = "🇪🇨 Patiño — 👍🏽 café said asylum was granted on August 16, 2012. Done."
    source = source_import(name="emoji.txt", raw=text.encode())
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={source.pk}")
    tag(page, f"#text-{source.pk}", "August 16, 2012")
    claim = Claim.objects.get()
    assert (claim.start, claim.end) == (text.index("August"), text.index("August") + 15)


def test_wrong_selection_gets_a_clear_message_and_keeps_what_was_typed(page, live_server, reviewer_account):
    load_seeds(analyse=False)
    s000 = Source.objects.get(origin__startswith="000")
    s001 = Source.objects.get(origin__startswith="001")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={s000.pk}&s={s001.pk}")
    drag_select(page, f"#text-{s000.pk}", "November 2012")
    page.keyboard.press("t")
    form = page.locator("#claim-form")
    form.locator("input[name=subject]").fill("Asylum for Julian Assange")
    form.locator("textarea[name=note]").fill("Checked against the decree.")
    # Tamper with the quote as a buggy client might: the server must refuse it.
    page.evaluate("document.querySelector('#claim-form [name=exact]').value = 'November 2013'")
    page.click("#claim-form button:has-text('Tag claim')")
    expect(page.locator("#messages .msg-error")).to_contain_text("does not match")
    assert Claim.objects.count() == 0
    # The form stays open with everything the reviewer typed, to correct and send again.
    expect(form).to_be_visible()
    expect(form.locator("input[name=subject]")).to_have_value("Asylum for Julian Assange")
    expect(form.locator("textarea[name=note]")).to_have_value("Checked against the decree.")


def test_escape_closes_the_tag_form_and_forgets_the_span(page, live_server, reviewer_account):
    load_seeds(analyse=False)
    s000 = Source.objects.get(origin__startswith="000")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={s000.pk}")
    drag_select(page, f"#text-{s000.pk}", "November 2012")
    page.locator("#tag-selection").click()
    form = page.locator("#claim-form")
    form.locator("input[name=subject]").fill("half typed")
    form.locator("input[name=subject]").press("Escape")
    expect(form).to_be_hidden()
    assert form.locator("[name=exact]").input_value() == ""
    page.keyboard.press("Enter")  # nothing left to send
    page.wait_for_timeout(300)
    assert Claim.objects.count() == 0
    # Opened again on a new selection, the form is empty.
    drag_select(page, f"#text-{s000.pk}", "2019")
    page.keyboard.press("t")
    expect(form).to_be_visible()
    expect(form.locator("input[name=subject]")).to_have_value("")
    expect(page.locator("#claim-quote")).to_have_text("2019")


def test_enter_in_the_tag_form_tags_the_claim(page, live_server, reviewer_account):
    load_seeds(analyse=False)
    s000 = Source.objects.get(origin__startswith="000")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={s000.pk}")
    column = f"#text-{s000.pk}"
    drag_select(page, column, "November 2012")
    page.locator("#tag-selection").click()
    form = page.locator("#claim-form")
    form.locator("input[name=subject]").fill("Asylum for Julian Assange")
    form.locator("input[name=subject]").press("Enter")
    expect(page.locator("#messages")).to_contain_text("Tagged “November 2012”")
    expect(form).to_be_hidden()
    expect(claim_segment(page, column, "November 2012")).to_have_count(1)
    claim = Claim.objects.get()
    assert (claim.exact, claim.subject, claim.kind) == ("November 2012", "Asylum for Julian Assange", "date")


def test_review_queue_by_keyboard(page, live_server, reviewer_account):
    load_seeds()
    first = Contradiction.objects.filter(status="candidate", score__gte=0.5).order_by("-score", "pk").first()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/review/")
    page.keyboard.press("?")
    expect(page.locator("#review-help")).to_be_visible()
    page.keyboard.press("j")
    expect(page.locator(".review-item.focused")).to_have_id(f"review-contradiction-{first.pk}")
    page.keyboard.press("c")
    expect(page.locator(f"#review-contradiction-{first.pk}")).to_contain_text("Confirmed")
    first.refresh_from_db()
    assert first.status == "confirmed"
    # The focus moved on: d now dismisses the next item.
    second = page.locator(".review-item.focused")
    second_id = second.get_attribute("id")
    page.keyboard.press("d")
    expect(page.locator(f"#{second_id}")).to_contain_text("Dismissed" if "contradiction" in second_id else "Rejected")


def test_markup_in_a_source_is_shown_as_text_never_run(page, live_server, reviewer_account):
    text = 'Before <script>window.pwned = true</script> <img src=x onerror="window.pwned=true"> <b>bold</b> after.'
    source = source_import(name="markup.txt", raw=text.encode(), metadata={"title": "<i>Markup</i> title"})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={source.pk}")
    column = page.locator(f"#text-{source.pk}")
    expect(column).to_contain_text("<script>window.pwned = true</script>")
    expect(column).to_contain_text('<b>bold</b>')
    assert page.evaluate("window.pwned === undefined")
    assert page.locator(f"#text-{source.pk} script, #text-{source.pk} img, #text-{source.pk} b").count() == 0
    expect(page.locator(f"#column-{source.pk} h2")).to_have_text("<i>Markup</i> title")
