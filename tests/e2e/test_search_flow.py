"""Search across sources in a real browser: the header's box, the hits, the side-by-side page
opened at a hit, find in a column, and the claim list filters."""
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotations.services import claim_create, source_import

pytestmark = pytest.mark.e2e
PASSWORD = "a-long-e2e-password"

# The hit sits far down a long text, after emoji and accents (each one code point in the
# offsets, two UTF-16 units or a combining-free letter in the browser).
FILLER = "".join(f"Párrafo {i} 😀: el año pasado nada ocurrió en la ciudad de Cuenca.\n" for i in range(150))
HIT_TEXT = FILLER + "Canciller Patiño 🇪🇨 anunció que el zeppelin llegó a Quito el 16 de agosto.\n" + FILLER


@pytest.fixture
def reviewer(transactional_db):
    from tests.conftest import with_role

    return with_role(get_user_model().objects.create_user("reviewer", password=PASSWORD), "reviewer")


def log_in(page, live_server):
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    expect(page.locator("h1")).to_have_text("Sources")


def in_view_of_its_column(page, column: str) -> bool:
    """The selection lies inside the visible part of the column's text box."""
    return page.evaluate("""(column) => {
        const box = document.querySelector(column).getBoundingClientRect();
        const sel = window.getSelection();
        if (!sel.rangeCount) return false;
        const r = sel.getRangeAt(0).getBoundingClientRect();
        return r.height > 0 && r.top >= box.top && r.bottom <= box.bottom;
    }""", column)


def test_search_from_the_header_then_open_the_hit_side_by_side(page, live_server, reviewer, output_dir):
    source = source_import(name="cuenca.txt", raw=HIT_TEXT.encode(), metadata={"title": "Crónica de Cuenca"})
    source_import(name="other.txt", raw="Nothing about airships here.\n".encode())
    start = source.text.index("zeppelin")
    log_in(page, live_server)

    page.fill("#site-search", "zeppelin Quito")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Search the sources")
    expect(page.locator("#search-summary")).to_have_text("2 hits in 1 source.")
    expect(page.locator(".hit-source")).to_have_text("Crónica de Cuenca")
    first = page.locator(".hit").first
    expect(first.locator("mark.mark-hit")).to_have_text("zeppelin")
    expect(first).to_contain_text("anunció que el zeppelin llegó a Quito")
    page.screenshot(path=str(output_dir / "search-results.png"))

    first.locator("a.hit-link").click()
    expect(page.locator("section.column")).to_have_count(1)
    assert page.url.endswith(f"/compare/?s={source.pk}#at-{start}-{start + 8}")
    column = f"#text-{source.pk}"
    # Opened at the hit: the words selected (code points turned into the browser's UTF-16
    # positions past 300 emoji), in view inside the column, which had to scroll to show it.
    page.wait_for_function("() => window.getSelection().toString() === 'zeppelin'")
    assert page.evaluate(f"document.querySelector('{column}').scrollTop") > 1000
    assert in_view_of_its_column(page, column)
    page.screenshot(path=str(output_dir / "search-opened-at-hit.png"))


def test_a_search_with_no_hits_and_one_with_nothing_to_search(page, live_server, reviewer):
    source_import(name="a.txt", raw=b"The dam.\n")
    log_in(page, live_server)
    page.fill("#site-search", "zeppelin")
    page.keyboard.press("Enter")
    expect(page.locator("#search-empty")).to_contain_text("No source contains “zeppelin”")
    page.fill("#search-q", '"*" ( ) -')
    page.keyboard.press("Enter")
    expect(page.locator("#search-error")).to_contain_text("Nothing to search for")
    expect(page.locator("#search-q")).to_have_value('"*" ( ) -')


def test_find_in_a_column_moves_between_matches(page, live_server, reviewer, user, output_dir):
    a = source_import(name="a.txt", raw=("Intro 😀.\n" + "The año and the dam. " * 3 + "\nEnd.\n").encode())
    b = source_import(name="b.txt", raw=b"Another dam, far away.\n")
    claim_create(source=a, start=a.text.index("dam"), end=a.text.index("dam") + 3, exact="dam", kind="other",
                 user=user, subject="the reservoir wall")
    claim_create(source=a, start=a.text.index("año"), end=a.text.index("año") + 3, exact="año", kind="date",
                 user=user)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={a.pk}&s={b.pk}")

    find = page.locator(f"#find-{a.pk}")
    find.fill("DAM")
    count = page.locator(f"#find-count-{a.pk}")
    expect(count).to_have_text("1 of 3")
    find.press("Enter")
    expect(count).to_have_text("2 of 3")
    find.press("Enter")
    expect(count).to_have_text("3 of 3")
    find.press("Enter")
    expect(count).to_have_text("1 of 3")
    find.press("Shift+Enter")
    expect(count).to_have_text("3 of 3")
    page.click(f".find-prev[data-source='{a.pk}']")
    expect(count).to_have_text("2 of 3")
    # The other column is its own: nothing found there yet.
    expect(page.locator(f"#find-count-{b.pk}")).to_have_text("")
    # The highlighted matches are the words typed, at the right places (after the emoji).
    assert page.evaluate("[...CSS.highlights.get('find-hit')].map(r => r.toString())") == ["dam", "dam"]
    assert page.evaluate("[...CSS.highlights.get('find-current')].map(r => r.toString())") == ["dam"]
    find.fill("zeppelin")
    expect(count).to_have_text("no match")

    # Claim list filters: kind, status, subject or property.
    items = page.locator(f"#claim-items-{a.pk} .claim-item")
    expect(items).to_have_count(2)
    page.select_option(f".filter-kind[data-source='{a.pk}']", "date")
    expect(items.filter(has_text="año")).to_be_visible()
    expect(items.filter(has_text="dam")).to_be_hidden()
    expect(page.locator(f"#claim-filter-count-{a.pk}")).to_have_text("1 of 2 claims")
    page.select_option(f".filter-kind[data-source='{a.pk}']", "")
    page.fill(f".filter-property[data-source='{a.pk}']", "reservoir")
    expect(items.filter(has_text="dam")).to_be_visible()
    expect(items.filter(has_text="año")).to_be_hidden()
    page.select_option(f".filter-status[data-source='{a.pk}']", "suggested")
    expect(page.locator(f"#claim-filter-count-{a.pk}")).to_have_text("0 of 2 claims")
    page.screenshot(path=str(output_dir / "find-in-column.png"))
