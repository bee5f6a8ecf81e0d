"""The side-by-side view with real gestures (issue 12): a double submit tags one claim (bug 1),
the claim panel's actions work in place (bug 4), tagging with the keyboard alone, and undo.

Selections are made as a reader makes them: a mouse drag (down, move, up) or the keyboard
(focus the column, arrows move the caret, shift+arrows extend it), never built in JavaScript.
"""
import pytest
from playwright.sync_api import expect

from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Claim, ClaimStatus, Contradiction, Source
from annotations.services import claim_create

from .conftest import drag_select, scroll_into_view
from .test_review_flow import PASSWORD, log_in, reviewer_account  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

@pytest.fixture
def seeded(transactional_db):
    load_seeds(analyse=False)
    return {s.origin[:3]: s for s in Source.objects.all()}


def open_compare(page, live_server, *sources):
    log_in(page, live_server)
    page.goto(live_server.url + "/compare/?" + "&".join(f"s={s.pk}" for s in sources))
    expect(page.locator("section.column")).to_have_count(len(sources))


def test_double_click_on_tag_claim_saves_one_claim_of_the_chosen_kind(page, live_server, reviewer_account, seeded):
    """Bug 1: the second click was queued, read the form after it was reset and tagged a date."""
    source = seeded["001"]
    open_compare(page, live_server, source)
    drag_select(page, f"#text-{source.pk}", "OPEC")
    page.keyboard.press("t")
    form = page.locator("#claim-form")
    expect(form).to_be_visible()
    form.locator("select[name=kind]").select_option("entity")
    form.locator("input[name=subject]").fill("OPEC")
    form.locator("button[type=submit]").dblclick()
    expect(page.locator("#messages")).to_contain_text("Tagged “OPEC”")
    expect(page.locator(f"#text-{source.pk} .seg.claim.kind-entity")).to_have_text("OPEC")  # the column redrawn
    page.wait_for_timeout(500)  # a queued second request would have gone out by now
    claims = list(Claim.objects.filter(source=source).values_list("exact", "kind", "subject"))
    assert claims == [("OPEC", "entity", "OPEC")]


def test_enter_twice_in_subject_saves_one_claim(page, live_server, reviewer_account, seeded):
    source = seeded["001"]
    open_compare(page, live_server, source)
    drag_select(page, f"#text-{source.pk}", "OPEC")
    page.keyboard.press("t")
    form = page.locator("#claim-form")
    form.locator("select[name=kind]").select_option("entity")
    form.locator("input[name=subject]").fill("OPEC")
    form.locator("input[name=subject]").press("Enter")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Tagged “OPEC”")
    expect(page.locator(f"#text-{source.pk} .seg.claim.kind-entity")).to_have_text("OPEC")  # the column redrawn
    page.wait_for_timeout(500)  # a second request would have gone out by now
    assert list(Claim.objects.filter(source=source).values_list("kind", "subject")) == [("entity", "OPEC")]


def _suggest(source, exact: str) -> Claim:
    start = source.text.index(exact)
    return claim_create(source=source, start=start, end=start + len(exact), exact=exact, kind="date",
                        user=None, origin="suggested")


def test_confirm_in_the_panel_keeps_the_column_scrolled_and_the_panel_open(page, live_server, reviewer_account,
                                                                          seeded):
    """Bug 4: confirming reloaded the page: the column jumped to the top and the panel closed."""
    source = seeded["001"]
    claim = _suggest(source, "August 4, 1852")
    open_compare(page, live_server, source)
    text = f"#text-{source.pk}"
    scroll_into_view(page, text, "August 4, 1852")
    segment = page.locator(f"{text} .seg.claim.suggested")
    segment.click()
    panel = page.locator("#claim-panel")
    expect(panel).to_contain_text("Suggested")
    scrolled = page.locator(text).evaluate("el => el.scrollTop")
    assert scrolled > 200
    panel.locator("button:has-text('Confirm')").click()
    expect(panel.locator("#claim-card")).to_contain_text("Suggested by the workbench · confirmed")
    expect(panel.locator("button:has-text('Confirm')")).to_have_count(0)
    expect(page.locator("#messages")).to_contain_text("Confirmed “August 4, 1852”")
    # The column is redrawn with the claim confirmed (a class list is matched whole, so ask
    # for the segments that have the class, not for one lacking it).
    expect(page.locator(f"{text} .seg.claim.suggested")).to_have_count(0)
    expect(page.locator(f"{text} .seg.claim.kind-date")).to_have_text("August 4, 1852")
    assert page.locator(text).evaluate("el => el.scrollTop") == scrolled
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED

    # Undo from the message: back to a suggestion, in the database and on the page.
    page.locator("#messages button:has-text('Undo')").click()
    expect(page.locator("#messages")).to_contain_text("Undone")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUGGESTED
    expect(page.locator(f"{text} .seg.claim.suggested")).to_have_count(1)
    expect(panel.locator("#claim-card")).not_to_contain_text("· confirmed")
    expect(panel.locator("button:has-text('Confirm')")).to_be_visible()  # a suggestion again


def test_delete_in_the_panel_then_undo_restores_the_claim(page, live_server, reviewer_account, seeded):
    source = seeded["001"]
    start = source.text.index("November 16, 2008")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="reviewer")
    claim = claim_create(source=source, start=start, end=start + 17, exact="November 16, 2008", kind="date",
                         user=user, subject="A dated event", note="Its date, to be checked.")
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.REJECTED)
    before = Claim.objects.values().get(pk=claim.pk)
    open_compare(page, live_server, source)
    text = f"#text-{source.pk}"
    scroll_into_view(page, text, "November 16, 2008")
    page.locator(f"{text} .seg.claim").click()
    panel = page.locator("#claim-panel")
    expect(panel).to_contain_text("A dated event")
    scrolled = page.locator(text).evaluate("el => el.scrollTop")
    assert scrolled > 200
    panel.locator("button:has-text('Delete claim')").click()
    expect(page.locator("#messages")).to_contain_text("Deleted “November 16, 2008”")
    assert not Claim.objects.filter(pk=claim.pk).exists()
    expect(page.locator(f"{text} .seg.claim")).to_have_count(0)  # the column redrawn
    assert page.locator(text).evaluate("el => el.scrollTop") == scrolled

    page.locator("#messages button:has-text('Undo')").click()
    expect(page.locator("#messages")).to_contain_text("Restored “November 16, 2008”")
    after = Claim.objects.values().get(pk=claim.pk)
    assert {k: after[k] for k in before if k != "updated_at"} == {k: before[k] for k in before if k != "updated_at"}
    expect(page.locator(f"{text} .seg.claim.rejected")).to_have_count(1)
    expect(panel.locator("#claim-card")).to_contain_text("· rejected")


def test_tagging_with_the_keyboard_alone_then_undo(page, live_server, reviewer_account, seeded, output_dir):
    """Focus the column, move the caret, shift+arrows, t, a kind key, a subject, Enter; no mouse."""
    source = seeded["001"]
    open_compare(page, live_server, source)
    text = f"#text-{source.pk}"
    # Tab from the page's start to the column text.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == f"text-{source.pk}":
            break
    assert page.evaluate("document.activeElement.id") == f"text-{source.pk}"
    # The caret starts at the beginning of the text; the text opens "Ecuador–United States..."?
    # Whatever it says, move to the word "Ecuador" at the start of line 1 by words.
    first_word = source.text.split()[0]
    page.keyboard.press("Home")
    for _ in range(len(first_word)):
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("window.getSelection().toString()") == first_word
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("t")
    expect(page.locator("#claim-form")).to_be_visible()
    expect(page.locator("#claim-quote")).to_have_text(first_word)
    page.keyboard.press("e")
    expect(page.locator("#id_kind")).to_have_value("entity")
    page.keyboard.type("The country")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text(f"Tagged “{first_word}”")
    claim = Claim.objects.get(source=source)
    assert (claim.exact, claim.kind, claim.subject, claim.start) == (first_word, "entity", "The country", 0)
    expect(page.locator(f"{text} .seg.claim[tabindex]")).to_have_count(1)  # the column redrawn
    # The keyboard stays in the column (it fell to the page's body, found by a browser walk).
    expect(page.locator(text)).to_be_focused()

    # The new claim is reachable with Tab, Enter opens its panel, and the panel has focus.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.claims")
    assert focused == str(claim.pk)
    page.keyboard.press("Enter")
    expect(page.locator("#claim-card")).to_be_focused()

    # Screenshots with the panel open and an undo message showing, at both widths.
    page.locator(text).focus()
    expect(page.locator("#tag-selection")).to_be_hidden()  # no selection, no Tag… button
    for width in (1024, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(output_dir / f"side-by-side-undo-{width}.png"))

    # Undo the tag from the message: the claim is gone.
    page.locator("#messages button:has-text('Undo')").press("Enter")
    expect(page.locator("#messages")).to_contain_text("Undone")
    assert not Claim.objects.filter(source=source).exists()


def test_releasing_the_mouse_after_a_selection_does_not_take_focus(page, live_server, reviewer_account, seeded,
                                                                   output_dir):
    """Selecting text only to copy it leaves focus where it was and opens no form; a small
    Tag… button appears instead, and Ctrl+C copies the text."""
    source = seeded["001"]
    open_compare(page, live_server, source)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    expect(page.locator("#tag-selection")).to_be_hidden()
    drag_select(page, f"#text-{source.pk}", "OPEC")
    expect(page.locator("#claim-form")).to_be_hidden()
    expect(page.locator("#tag-selection")).to_be_visible()
    assert page.evaluate("document.activeElement.tagName") != "SELECT"  # the form did not take focus
    page.screenshot(path=str(output_dir / "side-by-side-tag-button.png"))
    page.keyboard.press("Control+c")
    assert page.evaluate("navigator.clipboard.readText()") == "OPEC"
    page.locator("#tag-selection").click()
    expect(page.locator("#claim-form")).to_be_visible()
    expect(page.locator("#claim-quote")).to_have_text("OPEC")


def test_undo_of_a_dismissal_in_the_review_queue_redraws_the_item(page, live_server, reviewer_account, seeded):
    """Found by a browser walk: the Undo form is swapped away by its own answer, so the
    redraw listener never heard it and the item stayed "Dismissed" until a reload."""
    a = seeded["000"].text.index("November 2012")
    b = seeded["001"].text.index("August 16, 2012")
    claims = [claim_create(source=seeded["000"], start=a, end=a + 13, exact="November 2012", kind="date",
                           user=None, origin="suggested"),
              claim_create(source=seeded["001"], start=b, end=b + 15, exact="August 16, 2012", kind="date",
                           user=None, origin="suggested")]
    candidate = Contradiction.objects.create(kind="date", status="candidate", score=0.9, explanation="dates differ")
    candidate.claims.set(claims)
    log_in(page, live_server)
    page.goto(live_server.url + "/review/")
    item = page.locator(f"#review-contradiction-{candidate.pk}")
    item.locator("button.dismiss").click()
    expect(item).to_contain_text("Dismissed")
    page.locator("#messages form.undo button").click()
    expect(page.locator("#messages")).to_contain_text("candidate again")
    expect(item.locator("button.dismiss")).to_be_visible()  # the list was redrawn, the item is open again
    expect(item).not_to_contain_text("Dismissed")
    assert Contradiction.objects.get(pk=candidate.pk).status == "candidate"


def test_a_pasted_note_over_the_limit_is_held_back_whole_not_cut(page, live_server, reviewer_account, seeded):
    """Found by a browser walk: maxlength cut an 11,000-character paste to 10,000 and the
    claim was saved with the note cut short, without a word."""
    source = seeded["000"]
    open_compare(page, live_server, source)
    drag_select(page, f"#text-{source.pk}", "November 2012")
    page.keyboard.press("t")
    form = page.locator("#claim-form")
    expect(form).to_be_visible()
    note = form.locator("textarea[name=note]")
    note.fill("x" * 11_000)
    expect(form.locator(".limit-note")).to_have_text("At most 10,000 characters (this one has 11,000).")
    form.locator("button:has-text('Tag claim')").click()
    page.wait_for_timeout(500)
    assert Claim.objects.filter(exact="November 2012", origin="manual").count() == 0
    assert len(note.input_value()) == 11_000  # every character kept for the reviewer to shorten
    note.fill("x" * 100)
    expect(form.locator(".limit-note")).to_be_hidden()
    form.locator("button:has-text('Tag claim')").click()
    expect(page.locator("#messages")).to_contain_text("Tagged “November 2012”")
    assert Claim.objects.get(exact="November 2012", status="confirmed").note == "x" * 100


def test_white_space_around_a_selection_is_not_part_of_the_claim(page, live_server, reviewer_account, seeded):
    """Found by a browser walk: a selection by words took the space before them into the
    claim ("␠elimination efforts.")."""
    source = seeded["000"]
    open_compare(page, live_server, source)
    drag_select(page, f"#text-{source.pk}", " November 2012")
    page.keyboard.press("t")
    expect(page.locator("#claim-quote")).to_have_text("November 2012")
    page.keyboard.press("d")
    page.locator("#claim-form button:has-text('Tag claim')").click()
    expect(page.locator("#messages")).to_contain_text("Tagged “November 2012”")
    claim = Claim.objects.get(source=source, origin="manual")
    assert (claim.exact, source.text[claim.start:claim.end]) == ("November 2012", "November 2012")
