"""The Content-Security-Policy in a real browser (issue 10, failure 5), and refusals that htmx
would not show (issue 10, fragile item): every one reaches the reviewer, whose typed text stays."""
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Claim, Source

from .conftest import drag_select
from .test_review_flow import PASSWORD, log_in, reviewer_account, tag  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

# Every violation, as the page sees it (an init script is not subject to the page's policy).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def csp_console(page):
    """Console errors about the Content Security Policy, and the page's violation events."""
    errors = []
    page.on("console", lambda msg: errors.append(f"{page.url}: {msg.text[:120]}")
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    page.add_init_script(RECORD_VIOLATIONS)
    return errors


def violations(page) -> list[str]:
    return page.evaluate("window.__violations || []")


def seeds_side_by_side(page, live_server):
    load_seeds(analyse=False)
    s000 = Source.objects.get(origin__startswith="000")
    s001 = Source.objects.get(origin__startswith="001")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/compare/?s={s000.pk}&s={s001.pk}")
    expect(page.locator("section.column")).to_have_count(2)
    return s000, s001


def test_the_pages_work_with_the_policy_on_and_break_none_of_it(page, live_server, reviewer_account, csp_console):
    reviewer_account.is_staff = reviewer_account.is_superuser = True
    reviewer_account.save()
    s000, s001 = seeds_side_by_side(page, live_server)
    assert "script-src 'self'" in page.request.get(page.url).headers["content-security-policy"]

    tag(page, f"#text-{s000.pk}", "November 2012")  # selection, kind, htmx save, column refresh
    expect(page.locator(f"#text-{s000.pk} .seg.claim.kind-date")).to_have_text("November 2012")
    claim = Claim.objects.get()
    page.click(f"#text-{s000.pk} .seg.claim")  # the claim panel, loaded by htmx.ajax
    expect(page.locator("#claim-panel")).to_contain_text("Linked claims")

    # Delete in place (htmx, no confirm() dialog), then Undo from the message restores it.
    page.click("#claim-panel button:has-text('Delete claim')")
    expect(page.locator("#messages")).to_contain_text("Deleted “November 2012”.")
    assert not Claim.objects.filter(pk=claim.pk).exists()
    page.click("#messages button:has-text('Undo')")
    expect(page.locator("#messages")).to_contain_text("Restored “November 2012”.")
    assert Claim.objects.filter(pk=claim.pk).exists()

    # The filters (hx-trigger="change"), the review queue, the admin and the API docs.
    page.goto(f"{live_server.url}/contradictions/")
    page.select_option("#id_status", "confirmed")
    expect(page).to_have_url(re.compile(r"/contradictions/\?status=confirmed"))
    page.goto(f"{live_server.url}/review/")
    page.keyboard.press("?")
    expect(page.locator("#review-help")).to_be_visible()
    for path in ["/admin/", "/admin/annotations/source/", f"/admin/annotations/source/{s001.pk}/change/",
                 f"/admin/annotations/source/{s001.pk}/history/"]:
        page.goto(live_server.url + path)
        expect(page.locator("#content")).to_be_visible()
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fact-checking workbench API")
    page.wait_for_load_state("networkidle")

    assert csp_console == [] and violations(page) == []


def test_an_injected_inline_script_is_blocked(page, live_server, reviewer_account, csp_console):
    seeds_side_by_side(page, live_server)
    ran = page.evaluate("""() => {
      const s = document.createElement("script");
      s.textContent = "window.__pwned = 1";
      document.body.appendChild(s);
      const b = document.createElement("button");
      b.setAttribute("onclick", "window.__pwned = 2");
      document.body.appendChild(b);
      b.click();
      return window.__pwned;
    }""")
    assert ran is None
    page.wait_for_function("() => window.__violations.length >= 2")
    assert all(v.startswith("script-src") for v in violations(page)), violations(page)
    assert any("Content Security Policy" in e for e in csp_console)
    # htmx evaluates trigger filters (and hx-on) with Function(): with allowEval off, an
    # injected one never runs.
    page.evaluate("""() => {
      const d = document.createElement("button");
      d.id = "injected"; d.textContent = "x";
      d.setAttribute("hx-get", "/sources/");
      d.setAttribute("hx-trigger", "click[window.__pwned = 3]");
      document.addEventListener("htmx:evalDisallowedError", () => { window.__refused = true; });
      document.body.prepend(d);
      htmx.process(d);
    }""")
    page.click("#injected")
    page.wait_for_function("() => window.__refused === true")
    assert page.evaluate("window.__pwned") is None


# --- refusals the person who caused them must see ------------------------------------------


def open_tag_form(page, column: str, quote: str, note: str):
    drag_select(page, column, quote)
    page.keyboard.press("t")
    form = page.locator("#claim-form")
    expect(form).to_be_visible()
    form.locator("input[name=subject]").fill("Asylum")
    form.locator("textarea[name=note]").fill(note)
    form.locator("button:has-text('Tag claim')").click()
    return form


def assert_refusal_shown_and_text_kept(page, form, message: str, note: str):
    expect(page.locator("#messages .msg-error")).to_contain_text(message)
    expect(form).to_be_visible()
    expect(form.locator("input[name=subject]")).to_have_value("Asylum")
    expect(form.locator("textarea[name=note]")).to_have_value(note)
    assert Claim.objects.count() == 0


def test_a_server_error_is_shown_and_the_typed_text_kept(page, live_server, reviewer_account):
    s000, _ = seeds_side_by_side(page, live_server)
    page.route("**/claims/new/", lambda route: route.fulfill(
        status=500, content_type="text/html", body="<h1>Server Error (500)</h1>"))
    form = open_tag_form(page, f"#text-{s000.pk}", "November 2012", "my careful note")
    assert_refusal_shown_and_text_kept(
        page, form, "The server could not save this (status 500); nothing was saved. Try again.", "my careful note")


def test_no_answer_at_all_is_shown_and_the_typed_text_kept(page, live_server, reviewer_account):
    s000, _ = seeds_side_by_side(page, live_server)
    page.route("**/claims/new/", lambda route: route.abort("connectionreset"))
    form = open_tag_form(page, f"#text-{s000.pk}", "November 2012", "my careful note")
    assert_refusal_shown_and_text_kept(page, form, "The server could not be reached; nothing was saved.",
                                       "my careful note")


def test_a_request_over_the_size_limit_is_shown_and_the_typed_text_kept(page, live_server, reviewer_account,
                                                                       settings):
    settings.WORKBENCH_MAX_REQUEST_BYTES = 4000  # the live server runs in this process
    s000, _ = seeds_side_by_side(page, live_server)
    note = "A long note. " * 400
    form = open_tag_form(page, f"#text-{s000.pk}", "November 2012", note)
    assert_refusal_shown_and_text_kept(page, form, "over the limit of 4,000 bytes", note)


def test_a_refusal_for_want_of_a_role_is_shown_and_the_typed_text_kept(page, live_server, transactional_db):
    get_user_model().objects.create_user("reviewer", password=PASSWORD)  # no role: reads only
    s000, _ = seeds_side_by_side(page, live_server)
    with page.expect_response("**/claims/new/") as answer:
        form = open_tag_form(page, f"#text-{s000.pk}", "November 2012", "my careful note")
    assert answer.value.status == 403
    assert_refusal_shown_and_text_kept(page, form, "The claim was not saved", "my careful note")


def test_a_stale_security_token_is_shown_and_the_typed_text_kept(page, live_server, reviewer_account):
    s000, _ = seeds_side_by_side(page, live_server)
    page.context.clear_cookies(name="csrftoken")  # as when it expired, or was cleared
    form = open_tag_form(page, f"#text-{s000.pk}", "November 2012", "my careful note")
    assert_refusal_shown_and_text_kept(page, form, "security token", "my careful note")
