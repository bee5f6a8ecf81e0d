"""Issue 12, narrow screens: at 1024 px five columns keep a readable width and scroll
sideways, titles stay distinguishable, and the tool panel folds away and comes back."""
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Source

from .conftest import drag_select
from .test_review_flow import PASSWORD, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeded(transactional_db):
    from tests.conftest import with_role

    with_role(get_user_model().objects.create_user("reviewer", password=PASSWORD), "lead")
    load_seeds(analyse=False)


def test_five_columns_at_1024_px_stay_readable_and_the_panel_folds(browser, live_server, seeded, output_dir):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server)
        ids = "&".join(f"s={pk}" for pk in Source.objects.order_by("pk").values_list("pk", flat=True))
        page.goto(f"{live_server.url}/compare/?{ids}")
        columns = page.locator(".column")
        expect(columns).to_have_count(5)

        # Folded by default at this width: the columns get the room, and at least 18rem each.
        toggle = page.locator("#panel-toggle")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#tag-panel")).to_be_hidden()
        widths = [columns.nth(i).bounding_box()["width"] for i in range(5)]
        assert min(widths) >= 18 * 16 - 1, widths
        strip = page.locator(".columns")
        assert strip.evaluate("el => el.scrollWidth > el.clientWidth")  # the rest scrolls sideways

        # Titles wrap (two lines at most) instead of all reading "Ecuador–…".
        first = page.locator(".column-head h2").first
        assert "…" not in first.inner_text() and first.evaluate("el => el.scrollHeight > 1.5 * parseFloat(getComputedStyle(el).lineHeight)")
        assert first.get_attribute("title") == first.inner_text()
        page.screenshot(path=str(output_dir / "narrow-1024-folded.png"))

        toggle.click()
        expect(page.locator("#tag-panel")).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(toggle).to_have_text("Hide panel »")
        # The choice is remembered on the next page.
        page.reload()
        expect(page.locator("#tag-panel")).to_be_visible()
        page.screenshot(path=str(output_dir / "narrow-1024-open.png"))

        # Folded again, selecting text to tag opens the panel with the tag form by itself.
        page.locator("#panel-toggle").click()
        expect(page.locator("#tag-panel")).to_be_hidden()
        first_source = Source.objects.order_by("pk").first()
        drag_select(page, f"#text-{first_source.pk}", "November 2012")
        page.keyboard.press("t")
        expect(page.locator("#claim-form")).to_be_visible()
        expect(page.locator("#claim-quote")).to_have_text("November 2012")
    finally:
        context.close()
