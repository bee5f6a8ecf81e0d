"""A source's new version in a real browser: imported by pasting it, its corrected amount
shown as a correction, an orphaned claim placed by selecting its new text."""
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
    expect(page.locator("#revision-diff ins", has_text="250")).to_have_count(1)
    page.screenshot(path=str(output_dir / "revision-page.png"), full_page=True)

    drag_select(page, f"#text-{new.pk}", "The first transfers took place")
    page.locator("#orphans tr", has_text="No transfers are known").get_by_role("button", name="Place here").click()
    expect(page.locator("#messages")).to_contain_text("Placed")
    expect(page.locator("#orphans")).to_have_count(0)
    step = Reanchoring.objects.get(old_claim__exact="No transfers are known to have occurred")
    assert step.outcome == "placed" and step.new_claim.exact == "The first transfers took place"
    assert step.new_claim.source == new and new.text[step.new_claim.start:step.new_claim.end] == step.new_claim.exact
