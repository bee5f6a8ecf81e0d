"""The subject at a glance, in a real browser: the matrix and the timeline built from the seeds,
a matrix cell followed to its span, and a colleague's work appearing without a reload."""
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Claim, Contradiction, Source
from annotations.services import claim_create, contradiction_flag

from .test_review_flow import log_in, reviewer_account  # noqa: F401 (a fixture)
from .test_security_policy import csp_console  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

WIDTHS = (1024, 1920)


def source(prefix: str) -> Source:
    return Source.objects.get(origin__startswith=prefix)


def claim(src, exact, *, user=None, kind="date", origin="suggested"):
    start = src.text.index(exact)
    return claim_create(source=src, start=start, end=start + len(exact), exact=exact, kind=kind, user=user,
                        origin=origin)


@pytest.fixture
def analysed_seeds(transactional_db):
    """The seeds as `make run` leaves them: read, with detection's suggested claims and candidates."""
    load_seeds(analyse=True)
    return source("000"), source("001")


@pytest.fixture
def asylum(transactional_db):
    """The seeds with the Assange asylum date as detection leaves it: a candidate of score 0.30."""
    load_seeds(analyse=False)
    s000, s001 = source("000"), source("001")
    nov, aug = claim(s000, "November 2012"), claim(s001, "August 16, 2012")
    candidate = Contradiction.objects.create(kind="date", status="candidate", score=0.30)
    candidate.claims.set([nov, aug])
    return s000, s001, nov, aug, candidate


def shots(page, output_dir, name: str) -> None:
    """Screenshots at 1024 and 1920 px wide (looked at by hand), back to the test's width after."""
    size = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(output_dir / f"{name}-{width}.png"))
    page.set_viewport_size(size)


def asylum_row(page):
    return page.locator("tr.matrix-row", has_text="November 2012").filter(has_text="August 16, 2012")


def test_the_seeds_matrix_shows_the_asylum_dates_disputed_then_which_agrees_after_reconciling(
        page, live_server, reviewer_account, analysed_seeds, output_dir):
    s000, s001 = analysed_seeds
    log_in(page, live_server)
    page.goto(f"{live_server.url}/matrix/?kind=date")
    row = asylum_row(page)
    expect(row).to_have_count(1)
    expect(row.locator("th.point")).to_contain_text("Disputed")
    expect(row.locator("th.point")).to_contain_text("2 sources disagree")
    # Each value in its own source's column, said undecided in words.
    heads = page.locator("thead th.source-head")
    columns = [heads.nth(i).get_attribute("data-source") for i in range(heads.count())]
    cells = row.locator("td.cell")
    november = cells.nth(columns.index(str(s000.pk)))
    august = cells.nth(columns.index(str(s001.pk)))
    expect(november.locator("a.cell-value")).to_have_text("November 2012")
    expect(august.locator("a.cell-value")).to_have_text("August 16, 2012")
    expect(november.locator(".cell-status")).to_contain_text("undecided")
    shots(page, output_dir, "matrix-seeds-disputed")

    # The row opens its contradiction; the lead reconciles it there.
    row.locator("a.contradiction-link").first.click()
    expect(page.locator("h1")).to_contain_text("Contradiction")
    ids = {c.exact: c.pk for c in Claim.objects.filter(exact__in=["November 2012", "August 16, 2012"],
                                                       source__in=[s000, s001])}
    page.fill("#id_value_text", "16 August 2012")
    page.fill("#id_subject", "Julian Assange")
    page.fill("#id_property", "date asylum granted")
    page.fill("#id_rationale", "Patiño announced the grant on 16 August 2012.")
    page.check(f"input[name=stance_{ids['November 2012']}][value=refutes]")
    page.check(f"input[name=stance_{ids['August 16, 2012']}][value=supports]")
    page.click("button:has-text('Reconcile')")
    expect(page.locator("h1")).to_have_text("Reconciled facts")

    page.goto(f"{live_server.url}/matrix/?kind=date&status=reconciled")
    row = asylum_row(page)
    expect(row.locator("th.point")).to_contain_text("Reconciled")
    expect(row.locator("th.point")).to_contain_text("Julian Assange — date asylum granted")
    cells = row.locator("td.cell")
    expect(cells.nth(columns.index(str(s001.pk))).locator(".cell-status")).to_have_text("✓ agrees with the fact")
    expect(cells.nth(columns.index(str(s000.pk))).locator(".cell-status")).to_have_text("✗ contradicts the fact")
    expect(row.locator("th.point")).to_contain_text("1 source disagrees")
    shots(page, output_dir, "matrix-seeds-reconciled")


def test_a_matrix_cell_opens_the_side_by_side_view_at_its_span_flashing(page, live_server, reviewer_account, asylum,
                                                                          output_dir):
    s000, s001, nov, aug, candidate = asylum
    page.set_viewport_size({"width": 1500, "height": 700})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/matrix/")
    asylum_row(page).locator("a.cell-value", has_text="August 16, 2012").click()
    page.wait_for_url(f"**/compare/?s={s001.pk}&s={s000.pk}#claim-{aug.pk}")
    column = page.locator(f"#text-{s001.pk}")
    span = column.locator(f".seg[data-claims~='{aug.pk}']").first
    expect(span).to_have_class(__import__("re").compile(r"\bflash\b"))
    seg, col = span.bounding_box(), column.bounding_box()
    assert col["y"] <= seg["y"] and seg["y"] + seg["height"] <= col["y"] + col["height"], "the span is not in view"
    # Its counterpart's source is open beside it.
    expect(page.locator(f"#text-{s000.pk}")).to_be_visible()
    page.screenshot(path=str(output_dir / "matrix-cell-to-span.png"))


def test_the_timeline_draws_the_asylum_dates_joined_and_downloads_as_svg_and_png(page, live_server, reviewer_account,
                                                                                asylum, output_dir):
    s000, s001, nov, aug, candidate = asylum
    log_in(page, live_server)
    page.goto(f"{live_server.url}/timeline/?s={s000.pk}&s={s001.pk}")
    svg = page.locator("#timeline svg")
    expect(svg).to_be_visible()
    november = svg.locator("a.mark", has=page.locator("title", has_text="“November 2012”"))
    august = svg.locator("a.mark", has=page.locator("title", has_text="“August 16, 2012”"))
    expect(november).to_have_count(1)
    expect(august).to_have_count(1)
    # A month is a bar, a day a tick: the bar is many times wider.
    assert november.bounding_box()["width"] > 4 * august.locator("rect").first.bounding_box()["width"]
    join = svg.locator("a.join")
    expect(join).to_have_count(1)
    assert join.get_attribute("href") == f"/contradictions/{candidate.pk}/"
    shots(page, output_dir, "timeline-seeds")
    with page.expect_download() as download:
        page.click(".downloads a:has-text('PNG')")
    path = output_dir / "timeline.png"
    download.value.save_as(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as download:
        page.click(".downloads a:has-text('SVG')")
    assert download.value.suggested_filename == "timeline.svg"


def test_a_colleagues_claim_appears_without_a_reload_keeping_scroll_and_selection(
        page, live_server, reviewer_account, asylum, output_dir, live_polling):
    s000, s001, nov, aug, candidate = asylum
    colleague = get_user_model().objects.create_user("colleague", password="a-long-test-password")
    from tests.conftest import with_role

    with_role(colleague, "reviewer")
    page.set_viewport_size({"width": 1500, "height": 700})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={s000.pk}&s={s001.pk}")
    page.evaluate("window.notReloaded = true")
    text = page.locator(f"#text-{s001.pk}")
    from .conftest import drag_select

    drag_select(page, f"#text-{s001.pk}", "Foreign Minister Ricardo Patiño")  # scrolls the column there
    scrolled = text.evaluate("el => el.scrollTop")
    assert scrolled > 0

    new = claim(s001, "Ricardo Patiño", user=colleague, kind="entity", origin="manual")
    expect(text.locator(f".seg[data-claims~='{new.pk}']")).to_have_count(1, timeout=10_000)
    assert page.evaluate("window.notReloaded") is True
    assert abs(text.evaluate("el => el.scrollTop") - scrolled) <= 2
    assert page.evaluate("window.getSelection().toString()") == "Foreign Minister Ricardo Patiño"
    page.screenshot(path=str(output_dir / "live-colleague-claim.png"))

    # The matrix, open meanwhile, shows a colleague's new contradiction as a row.
    page.goto(f"{live_server.url}/matrix/")
    page.evaluate("window.notReloaded = true")
    expect(page.locator("tr.matrix-row")).to_have_count(1)
    a, b = claim(s000, "2019", user=colleague, origin="manual"), claim(s001, "April 2019", user=colleague,
                                                                        origin="manual")
    flagged = contradiction_flag(claims=[a, b], user=colleague)
    expect(page.locator(f"#row-contradiction-{flagged.pk}")).to_be_visible(timeout=10_000)
    expect(page.locator(f"#row-contradiction-{flagged.pk}")).to_have_class(__import__("re").compile(r"\bchanged\b"))
    assert page.evaluate("window.notReloaded") is True
    shots(page, output_dir, "live-matrix")


def test_a_colleagues_suggestion_appears_in_an_open_review_queue_keeping_the_focus(
        page, live_server, reviewer_account, asylum, live_polling):
    s000, s001, nov, aug, candidate = asylum
    log_in(page, live_server)
    page.goto(f"{live_server.url}/review/")
    page.evaluate("window.notReloaded = true")
    page.keyboard.press("j")  # the reviewer is on the first item
    focused = page.evaluate("document.activeElement.id")
    assert focused
    new = claim(s001, "April 2019")  # detection, reading a colleague's upload, suggests it
    expect(page.locator(f"#review-claim-{new.pk}")).to_be_visible(timeout=10_000)
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == focused


def test_the_matrix_and_the_timeline_break_none_of_the_content_security_policy(
        page, live_server, reviewer_account, asylum, csp_console, live_polling):
    from .test_security_policy import violations

    s000, s001, nov, aug, candidate = asylum
    log_in(page, live_server)
    page.goto(f"{live_server.url}/timeline/")
    expect(page.locator("#timeline svg a.join")).to_have_count(1)
    assert violations(page) == []
    page.goto(f"{live_server.url}/matrix/")
    new = claim(s001, "April 2019", user=reviewer_account, origin="manual")
    other = claim(s000, "2019", user=reviewer_account, origin="manual")
    contradiction_flag(claims=[new, other], user=reviewer_account)
    expect(page.locator("tr.matrix-row")).to_have_count(2, timeout=10_000)  # a live redraw
    assert csp_console == [] and violations(page) == []


def test_a_colleagues_change_to_the_open_claim_shows_in_its_panel_unless_the_reader_typed_there(
        page, live_server, reviewer_account, asylum, live_polling):
    from annotations.services import claim_property_set

    s000, s001, nov, aug, candidate = asylum
    colleague = get_user_model().objects.create_user("colleague", password="a-long-test-password")
    from tests.conftest import with_role

    with_role(colleague, "lead")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={s000.pk}&s={s001.pk}")
    page.locator(f"#text-{s000.pk} .seg[data-claims~='{nov.pk}']").first.click()
    panel = page.locator("#claim-panel")
    expect(panel.locator("#claim-card")).to_be_visible()
    page.locator("h1, .column-head h2").first.click()  # the reader's focus leaves the panel
    claim_property_set(claim=Claim.objects.get(pk=nov.pk), property="date asylum offered", user=colleague)
    expect(panel).to_contain_text("date asylum offered", timeout=10_000)
    # Typed into (not saved): the panel is left as it is.
    field = panel.locator("input[name=property]")
    field.fill("date the offer was made")
    page.locator(".column-head h2").first.click()
    claim_property_set(claim=Claim.objects.get(pk=nov.pk), property="date of the asylum offer", user=colleague)
    page.wait_for_timeout(3000)
    expect(field).to_have_value("date the offer was made")
    expect(panel).not_to_contain_text("date of the asylum offer")
