"""Browser uploads go to a background worker (django-tasks, database backend); the import's
page shows progress by htmx polling, and a failed import shows its error and can be retried."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import TaskResultStatus

from annotations import services
from annotations.models import Claim, ImportBatch, ImportStatus, Source
from annotations.tasks import import_batch_run

from ..conftest import with_role

TEXTS = {
    "dam.txt": "The Brenn dam opened in March 2004 and cost $120 million, officials said.",
    "dam-2.txt": "The Brenn dam opened in 2006, after a delay; it cost $150 million in the end.",
}


@pytest.fixture
def admin_client(client, django_user_model):
    user = with_role(django_user_model.objects.create_user("ada", password="a-long-test-password"), "admin")
    client.force_login(user)
    return client


def upload(client, texts=TEXTS):
    files = [SimpleUploadedFile(name, text.encode()) for name, text in texts.items()]
    response = client.post(reverse("source-upload"), {"files": files})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.get(), response["Location"]


def test_upload_returns_at_once_and_the_worker_does_the_import(admin_client, run_tasks):
    batch, page_url = upload(admin_client)
    assert page_url == reverse("import-detail", args=[batch.pk])
    assert (batch.status, batch.total, Source.objects.count()) == (ImportStatus.QUEUED, 2, 0)
    page = admin_client.get(page_url).content.decode()
    assert "Queued" in page and 'hx-trigger="every 1s"' in page

    run_tasks()

    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.analysed, batch.percent) == (ImportStatus.DONE, 2, 2, 100)
    assert set(Source.objects.values_list("origin", flat=True)) == set(TEXTS)
    assert Source.objects.filter(analysed_at__isnull=True).count() == 0
    assert batch.suggested == Claim.objects.count() > 0
    page = admin_client.get(page_url).content.decode()
    assert "hx-trigger" not in page  # finished: polling stops
    assert f"{batch.suggested} claims suggested" in page
    assert import_batch_run.get_result(batch.task_id).status == TaskResultStatus.SUCCESSFUL


def test_polling_gets_only_the_progress_partial(admin_client):
    batch, page_url = upload(admin_client)
    response = admin_client.get(page_url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="import-progress"')
    assert "<html" not in html and "files 0/2" in html


def test_the_uploaded_bytes_wait_in_the_database_and_are_dropped_once_imported(admin_client, run_tasks):
    batch, _ = upload(admin_client)
    assert [bytes(f.raw) for f in batch.files.order_by("pk")] == [t.encode() for t in TEXTS.values()]
    run_tasks()
    assert [bytes(f.raw) for f in batch.files.all()] == [b"", b""]


def test_a_failed_import_shows_its_error_and_a_retry_finishes_it(admin_client, run_tasks, monkeypatch):
    real_suggest = services.claims_suggest

    def broken(**kwargs):
        raise MemoryError("spaCy ran out of memory")

    monkeypatch.setattr(services, "claims_suggest", broken)
    batch, page_url = upload(admin_client)
    run_tasks()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.error == "MemoryError: spaCy ran out of memory"
    result = import_batch_run.get_result(batch.task_id)
    assert result.status == TaskResultStatus.FAILED
    assert "spaCy ran out of memory" in result.errors[-1].traceback
    page = admin_client.get(page_url).content.decode()
    assert "The import failed:" in page and "spaCy ran out of memory" in page
    assert reverse("import-retry", args=[batch.pk]) in page and "hx-trigger" not in page
    # The files were imported before the failure; they stay, unread.
    assert Source.objects.filter(analysed_at__isnull=True).count() == 2

    monkeypatch.setattr(services, "claims_suggest", real_suggest)
    response = admin_client.post(reverse("import-retry", args=[batch.pk]))
    assert response["Location"] == page_url
    run_tasks()
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.error) == (ImportStatus.DONE, 2, "")
    assert Source.objects.count() == 2  # nothing imported twice
    assert Source.objects.filter(analysed_at__isnull=True).count() == 0
    assert [f.status for f in batch.files.all()] == ["imported", "imported"]


def test_only_a_failed_import_can_be_retried(admin_client, run_tasks):
    batch, page_url = upload(admin_client)
    run_tasks()
    response = admin_client.post(reverse("import-retry", args=[batch.pk]), follow=True)
    assert "only a failed or stalled import can be retried" in response.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == (ImportStatus.DONE, 1)


@pytest.mark.parametrize("role", ["reviewer", "lead"])
def test_imports_pages_are_for_admins(admin_client, client, django_user_model, role):
    batch, page_url = upload(admin_client)
    other = django_user_model.objects.create_user(f"x-{role}", password="a-long-test-password")
    client.force_login(with_role(other, role))
    assert client.get(page_url).status_code == 403
    assert client.post(reverse("import-retry", args=[batch.pk])).status_code == 403


def test_upload_page_lists_recent_imports_with_their_status(admin_client, run_tasks):
    batch, _ = upload(admin_client)
    run_tasks()
    page = admin_client.get(reverse("source-upload")).content.decode()
    assert f'href="{reverse("import-detail", args=[batch.pk])}"' in page and "Done" in page


def test_an_import_whose_worker_stopped_shows_as_stalled_and_can_be_retried(admin_client, run_tasks, settings):
    from datetime import timedelta

    from django.utils import timezone

    batch, page_url = upload(admin_client)
    # A worker took it and was killed: the batch says running, and nothing moves.
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, attempts=1)
    assert "No progress for a while" not in admin_client.get(page_url).content.decode()
    assert admin_client.post(reverse("import-retry", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.RUNNING  # not stalled yet: no retry

    stale = timezone.now() - timedelta(minutes=settings.WORKBENCH_IMPORT_STALL_MINUTES + 1)
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=stale)
    page = admin_client.get(page_url).content.decode()
    assert "No progress for a while" in page and reverse("import-retry", args=[batch.pk]) in page
    admin_client.post(reverse("import-retry", args=[batch.pk]))
    run_tasks()
    batch.refresh_from_db()
    assert (batch.status, batch.processed) == (ImportStatus.DONE, 2)
    assert Source.objects.count() == 2


def test_a_running_import_saves_its_progress_time(admin_client, run_tasks):
    batch, _ = upload(admin_client)
    before = ImportBatch.objects.get(pk=batch.pk).updated_at
    run_tasks()
    batch.refresh_from_db()
    assert batch.updated_at > before and not batch.is_stalled


# Bug 3: the encoding is chosen on upload, shown on the source page, and a wrong guess is
# put right by re-importing the same file with its encoding while nobody has reviewed it.
HUNGARIAN = "Árvíztűrő tükörfúrógép: Budapest lakossága körülbelül 1,7 millió fő 2024-ben.\n"


def test_upload_with_a_chosen_encoding_uses_it(admin_client, run_tasks):
    file = SimpleUploadedFile("hu.txt", HUNGARIAN.encode("cp1250"))
    response = admin_client.post(reverse("source-upload"), {"files": [file], "encoding": "cp1250"})
    assert response.status_code == 302
    run_tasks()
    source = Source.objects.get()
    assert source.text == HUNGARIAN and source.encoding == "cp1250"


def test_the_source_page_shows_the_encoding_and_offers_a_reimport_to_admins(admin_client, user):
    source = services.source_import(name="hu.txt", raw=HUNGARIAN.encode("cp1250"), user=user)
    page = admin_client.get(reverse("source-edit", args=[source.pk])).content.decode()
    assert "Decoded as Western European (Windows-1252)" in page
    assert f'action="{reverse("source-reimport", args=[source.pk])}"' in page
    assert "Re-import with encoding" in page


def test_reimport_with_the_right_encoding_replaces_the_text_and_reads_it_again(admin_client, user, run_tasks):
    raw = HUNGARIAN.encode("cp1250")
    source = services.source_import(name="hu.txt", raw=raw, user=user)
    services.claims_suggest(sources=[source])
    assert source.text != HUNGARIAN and Claim.objects.filter(source=source).exists()
    response = admin_client.post(reverse("source-reimport", args=[source.pk]),
                                 {"file": SimpleUploadedFile("hu.txt", raw), "encoding": "cp1250"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.text, source.encoding, source.analysed_at) == (HUNGARIAN, "cp1250", None)
    run_tasks()
    source.refresh_from_db()
    assert source.analysed_at is not None
    assert all(source.text[c.start:c.end] == c.exact for c in Claim.objects.filter(source=source))


def test_reimport_is_refused_once_a_reviewer_has_worked_on_the_source(admin_client, user, make_claim):
    raw = HUNGARIAN.encode("cp1250")
    source = services.source_import(name="hu.txt", raw=raw, user=user)
    make_claim(source, "2024")
    before = source.text
    response = admin_client.post(reverse("source-reimport", args=[source.pk]),
                                 {"file": SimpleUploadedFile("hu.txt", raw), "encoding": "cp1250"}, follow=True)
    page = response.content.decode()
    assert "was not re-imported: reviewers have worked on it (1 claim tagged, confirmed or rejected" in page
    source.refresh_from_db()
    assert (source.text, source.encoding) == (before, "cp1252") and Claim.objects.count() == 1


def test_reimport_of_a_different_file_is_refused(admin_client, user):
    source = services.source_import(name="hu.txt", raw=HUNGARIAN.encode("cp1250"), user=user)
    before = source.text
    response = admin_client.post(reverse("source-reimport", args=[source.pk]),
                                 {"file": SimpleUploadedFile("x.txt", b"other bytes"), "encoding": "cp1250"},
                                 follow=True)
    assert "its bytes differ" in response.content.decode()
    source.refresh_from_db()
    assert source.text == before


def test_a_long_source_reports_progress_within_itself_while_it_is_read(admin_client, run_tasks, monkeypatch):
    # Bug 10: a 40,000-word upload sat at "50 % · sources read 0/1" for two minutes.
    from annotations import extraction

    monkeypatch.setattr(extraction, "PROGRESS_CHUNK_CHARS", 400)
    seen = []
    progress = services._progress

    def record(batch, **fields):
        progress(batch, **fields)
        if fields.get("reading_fraction"):  # reported while the source is read
            seen.append(ImportBatch.objects.get(pk=batch.pk).progress_fraction)
    monkeypatch.setattr(services, "_progress", record)
    upload(admin_client, {"long.txt": "The Brenn dam opened in March 2004 and cost $120 million.\n" * 60})
    run_tasks()

    assert len(seen) >= 5 and all(0 < f < 1 for f in seen) and seen == sorted(seen)
    assert ImportBatch.objects.get().progress_fraction == 1


def test_the_import_page_says_which_source_is_being_read_how_far_and_the_time_left(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    batch, page_url = upload(admin_client, {"long.txt": "The Brenn dam opened in March 2004.\n"})
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.RUNNING, processed=1, to_analyse=1, reading_title="The Brenn dam",
        reading_fraction=0.4, started_at=timezone.now() - timedelta(seconds=28))
    page = admin_client.get(page_url, headers={"HX-Request": "true"}).content.decode()
    assert "reading The Brenn dam: 40 %" in page
    # 70 % done in 28 s: about 12 s to go.
    assert "about 12 s left" in page and 'value="70"' in page
