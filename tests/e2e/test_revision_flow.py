"""A source's new version in a real browser: imported by pasting it, its corrected amount
shown as a correction, an orphaned claim placed by selecting its new text; the two versions
side by side, stepped through change by change."""
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Reanchoring, Source
from annotations.services import claim_create

from .conftest import drag_select

pytestmark = pytest.mark.e2e
PASSWORD = "a-long-e2e-password"


@pytest.fixture
def admin_account(transactional_db):
    from tests.conftest import with_role

    return with_role(get_user_model().objects.create_user("admin", password=PASSWORD), "admin")


def _tag(source, quote, kind, user):
    start = source.text.index(quote)
    return claim_create(source=source, start=start, end=start + len(quote), exact=quote, kind=kind, user=user)


def test_new_version_of_seed_002_shows_the_correction_and_an_orphan_is_placed_by_selection(
        page, live_server, admin_account, output_dir):
    load_seeds(analyse=False)
    old = Source.objects.get(origin__startswith="002")
    _tag(old, "300", "count", admin_account)
    _tag(old, "No transfers are known to have occurred", "other", admin_account)
    new_text = (old.text.replace("annual cap of 300 individuals", "annual cap of 250 individuals")
                .replace("No transfers are known to have occurred.", "The first transfers took place in November 2025."))

    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    expect(page.locator("h1")).to_have_text("Sources")
    page.locator("#source-table tr", has_text=old.title).get_by_role("link", name="New version").click()
    expect(page.locator("h1")).to_contain_text("New version of")
    page.fill("textarea[name=text]", new_text)
    page.click("button:has-text('Import the new version')")

    expect(page.locator("h1")).to_contain_text("What changed")
    new = Source.objects.get(supersedes=old)
    corrections = page.locator("#corrections")
    expect(corrections).to_contain_text("300")
    expect(corrections).to_contain_text("250")
    expect(corrections).to_contain_text("The source itself changed this value on")
    # The two versions side by side: 300 struck in the old column, 250 inserted in the new one,
    # each drawn as a claim of its own version too.
    expect(page.locator("#column-old del.change .seg.claim", has_text="300")).to_have_count(1)
    expect(page.locator("#column-new ins.change .seg.claim", has_text="250")).to_have_count(1)
    expect(page.locator("#column-old ins, #column-new del")).to_have_count(0)  # only places, no words
    page.screenshot(path=str(output_dir / "revision-page.png"), full_page=True)
    page.locator(".revision-columns").screenshot(path=str(output_dir / "revision-columns.png"))

    drag_select(page, f"#text-{new.pk}", "The first transfers took place")
    page.locator("#orphans tr", has_text="No transfers are known").get_by_role("button", name="Place here").click()
    expect(page.locator("#messages")).to_contain_text("Placed")
    expect(page.locator("#orphans")).to_have_count(0)
    step = Reanchoring.objects.get(old_claim__exact="No transfers are known to have occurred")
    assert step.outcome == "placed" and step.new_claim.exact == "The first transfers took place"
    assert step.new_claim.source == new and new.text[step.new_claim.start:step.new_claim.end] == step.new_claim.exact


def _column_shows(page, side: str, selector: str) -> bool:
    """Whether the element is inside the visible part of its scrolling column."""
    return page.evaluate("""([side, selector]) => {
        const col = document.querySelector("#column-" + side + " .source-text");
        const el = col.querySelector(selector);
        const c = col.getBoundingClientRect(), r = el.getBoundingClientRect();
        return r.bottom > c.top && r.top < c.bottom;
    }""", [side, selector])


@pytest.mark.parametrize("width", [1024, 1920])
def test_the_two_versions_side_by_side_step_change_by_change_and_rows_show_both_places(
        page, live_server, admin_account, output_dir, width):
    load_seeds(analyse=False)
    old = Source.objects.get(origin__startswith="002")
    _tag(old, "300", "count", admin_account)
    last = old.text.rstrip().rsplit(" ", 1)[-1]  # a word near the end, far down both columns
    _tag(old, last, "other", admin_account)
    new_text = old.text.replace("annual cap of 300 individuals", "annual cap of 250 individuals").rstrip() + " Updated."
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.goto(live_server.url + f"/sources/{old.pk}/revise/")
    page.fill("textarea[name=text]", new_text)
    page.click("button:has-text('Import the new version')")
    expect(page.locator("h1")).to_contain_text("What changed")

    old_col, new_col = page.locator("#column-old .source-text"), page.locator("#column-new .source-text")
    assert old_col.bounding_box()["y"] == new_col.bounding_box()["y"]  # side by side, not stacked
    assert old_col.bounding_box()["x"] < new_col.bounding_box()["x"]
    assert page.evaluate("document.querySelector('#column-new .source-text').scrollHeight") > new_col.bounding_box()["height"]

    # n: change 1 (300 → 250) in view and marked in both columns; n again: change 2, at the
    # end, where the new column has "Updated." inserted and the old one its place.
    page.keyboard.press("n")
    expect(page.locator("#change-status")).to_have_text("Change 1 of 2")
    expect(page.locator("#old-change-1")).to_have_class("change current")
    expect(page.locator("#new-change-1")).to_contain_text("250")
    page.keyboard.press("n")
    expect(page.locator("#change-status")).to_have_text("Change 2 of 2")
    expect(page.locator("#new-change-2")).to_have_text("Updated.")
    assert _column_shows(page, "new", "#new-change-2") and _column_shows(page, "old", "#old-change-2")
    page.screenshot(path=str(output_dir / f"revision-columns-{width}.png"))
    page.keyboard.press("p")
    expect(page.locator("#change-status")).to_have_text("Change 1 of 2")
    assert _column_shows(page, "new", "#new-change-1") and _column_shows(page, "old", "#old-change-1")
    assert not _column_shows(page, "new", "#new-change-2")

    # The correction's "old" link shows 300 in the old column and 250 in the new one.
    page.locator("#corrections").get_by_role("link", name="Show “300” in the old version").click()
    assert _column_shows(page, "old", "#old-change-1") and _column_shows(page, "new", "#new-change-1")
    page.screenshot(path=str(output_dir / f"revision-page-{width}.png"), full_page=True)
