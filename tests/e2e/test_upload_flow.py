"""Uploading in a real browser: the request returns at once, the import page follows the
background worker's progress by itself (htmx polling), and a failed import is retried from its page."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import ImportBatch, Source

pytestmark = pytest.mark.e2e
PASSWORD = "a-long-e2e-password"


@pytest.fixture
def admin_account(transactional_db):
    from tests.conftest import with_role

    return with_role(get_user_model().objects.create_user("ada", password=PASSWORD), "admin")


def test_upload_progress_updates_without_a_reload(page, live_server, admin_account, output_dir, tmp_path):
    files = []
    for name, text in [("bridge.txt", "The Brenn bridge opened in March 2004 and cost $120 million."),
                       ("bridge-2.txt", "The Brenn bridge opened in 2006; it cost $150 million in the end."),
                       ("empty.txt", "")]:
        (tmp_path / name).write_text(text)
        files.append(str(tmp_path / name))
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.goto(live_server.url + "/sources/upload/")
    page.set_input_files("input[type=file]", files)
    page.click("button:has-text('Import')")

    expect(page.locator("h1")).to_contain_text("Import #")
    expect(page.locator(".import-status")).to_contain_text("Queued")
    url = page.url
    assert Source.objects.count() == 0

    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)

    # The page was not reloaded: htmx polling brings the result in.
    expect(page.locator(".import-status")).to_contain_text("Done", timeout=10_000)
    assert page.url == url
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator("tr.imported")).to_have_count(2)
    expect(page.locator("tr.refused")).to_contain_text("refused: it is empty.")
    page.screenshot(path=str(output_dir / "import-done.png"), full_page=True)
    assert ImportBatch.objects.get().status == "done" and Source.objects.count() == 2


def test_a_failed_import_is_retried_from_its_page(page, live_server, admin_account, tmp_path, monkeypatch):
    from annotations import services

    real_suggest = services.claims_suggest

    def out_of_memory(**kwargs):
        raise MemoryError("spaCy ran out of memory")

    (tmp_path / "bridge.txt").write_text("The Brenn bridge opened in March 2004 and cost $120 million.")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.goto(live_server.url + "/sources/upload/")
    page.set_input_files("input[type=file]", [str(tmp_path / "bridge.txt")])
    page.click("button:has-text('Import')")
    expect(page.locator(".import-status")).to_contain_text("Queued")
    url = page.url

    monkeypatch.setattr(services, "claims_suggest", out_of_memory)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    # The polling page shows the failure by itself, with the retry it offers.
    error = page.locator("#import-progress .error-box")
    expect(error).to_contain_text("The import failed: MemoryError: spaCy ran out of memory", timeout=10_000)
    assert page.url == url and ImportBatch.objects.get().status == "failed"

    monkeypatch.setattr(services, "claims_suggest", real_suggest)
    error.locator("button:has-text('Retry')").click()
    expect(page.locator("#messages")).to_contain_text("is queued again")
    expect(page.locator(".import-status")).to_contain_text("Queued")
    expect(page.locator("#import-progress .error-box")).to_have_count(0)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    expect(page.locator(".import-status")).to_contain_text("Done", timeout=10_000)
    expect(page.locator("p.counts")).to_contain_text("attempt 2")
    expect(page.locator("tr.imported")).to_have_count(1)
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.attempts) == ("done", 2) and Source.objects.count() == 1
