"""The "New version" action, the revision page (outcomes, orphans placed by selection,
corrections, the word diff) and the sources list showing the latest versions."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.models import Reanchoring, Source

OLD = ("Officials said the death toll rose to 190 on Monday.\n"
       "Aid agencies pledged $1.5 million for repairs.\n")
NEW = ("Officials said the death toll rose to 220 on Monday.\n"
       "Repairs will be paid by the regional government.\n")


def _revised(reviewer, make_source, make_claim):
    old = make_source(OLD, name="toll.txt")
    make_claim(old, "190", kind="count")
    make_claim(old, "$1.5 million", kind="money")
    response = reviewer.post(reverse("source-revise", args=[old.pk]), {"text": NEW})
    return old, Source.objects.get(supersedes=old), response


def test_pasting_a_new_version_leads_to_its_page_with_the_correction_and_the_orphan(reviewer, make_source, make_claim):
    old, new, response = _revised(reviewer, make_source, make_claim)
    assert response.status_code == 302 and response["Location"] == reverse("revision-detail", args=[new.pk])
    page = reviewer.get(response["Location"]).content.decode()
    assert "<del>190</del>" in page and "<ins>220</ins>" in page
    assert "The source itself changed this value on" in page
    assert "“$1.5 million”" in page and "Place here" in page
    assert "<ins>220</ins>" in page.split('id="revision-diff"')[1]  # the word diff


def test_uploading_a_new_version_works_too_and_a_form_with_neither_is_refused(reviewer, make_source):
    old = make_source(OLD, name="toll.txt")
    empty = reviewer.post(reverse("source-revise", args=[old.pk]), {"text": " "})
    assert empty.status_code == 200 and "Choose the new version" in empty.content.decode()
    upload = SimpleUploadedFile("toll.txt", NEW.encode(), content_type="text/plain")
    assert reviewer.post(reverse("source-revise", args=[old.pk]), {"file": upload}).status_code == 302
    assert Source.objects.get(supersedes=old).text == NEW


def test_an_orphan_is_placed_on_the_selected_span(reviewer, make_source, make_claim):
    old, new, _ = _revised(reviewer, make_source, make_claim)
    step = Reanchoring.objects.get(outcome="orphaned")
    start = NEW.index("the regional government")
    response = reviewer.post(reverse("reanchoring-place", args=[step.pk]),
                             {"start": start, "end": start + 23, "exact": "the regional government"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.outcome == "placed" and step.new_claim.exact == "the regional government"
    wrong = reviewer.post(reverse("reanchoring-place", args=[step.pk]), {"start": 0, "end": 3, "exact": "Off"})
    assert wrong.status_code in (302, 409)  # refused: no longer orphaned
    step.refresh_from_db()
    assert step.new_claim.exact == "the regional government"


def test_the_sources_list_shows_the_latest_version_with_its_chain(reviewer, make_source, make_claim):
    old, new, _ = _revised(reviewer, make_source, make_claim)
    page = reviewer.get(reverse("source-list")).content.decode()
    assert f'value="{new.pk}"' in page and f'value="{old.pk}"' not in page
    assert "New version of" in page and reverse("revision-detail", args=[new.pk]) in page
    every = reviewer.get(reverse("source-list") + "?versions=all").content.decode()
    assert f'value="{old.pk}"' in every and f'value="{new.pk}"' in every


def test_only_an_admin_brings_in_a_new_version(client, other_user, make_source):
    old = make_source(OLD)
    client.force_login(other_user)
    assert client.post(reverse("source-revise", args=[old.pk]), {"text": NEW}).status_code == 403
    assert Source.objects.count() == 1


def test_the_review_queue_shows_corrections_and_the_facts_to_review_again(reviewer, make_source, make_claim, user):
    from annotations.services import contradiction_flag, fact_reconcile

    old = make_source(OLD, name="toll.txt")
    toll = make_claim(old, "190", kind="count")
    other = make_source("The toll was 200 by Monday night.\n")
    counterpart = make_claim(other, "200", kind="count")
    flagged = contradiction_flag(claims=[toll, counterpart], user=user)
    fact = fact_reconcile(contradiction=flagged, user=user, value_text="200", status="reconciled", rationale="R.",
                          stances={toll.pk: "refutes", counterpart.pk: "supports"}, subject="Toll")
    reviewer.post(reverse("source-revise", args=[old.pk]), {"text": NEW})
    page = reviewer.get(reverse("review")).content.decode()
    queue = page.split('id="review-corrections"')[1]
    assert "<del>190</del> → <ins>220</ins>" in queue
    assert reverse("fact-detail", args=[fact.pk]) in page.split('id="review-facts"')[1]
    assert "To review again" in reviewer.get(reverse("fact-detail", args=[fact.pk])).content.decode()


def test_reading_an_older_version_side_by_side_points_to_the_latest(reviewer, make_source, make_claim):
    old, new, _ = _revised(reviewer, make_source, make_claim)
    page = reviewer.get(reverse("compare") + f"?s={old.pk}").content.decode()
    assert "An older version" in page and f"?s={new.pk}" in page
    latest = reviewer.get(reverse("compare") + f"?s={new.pk}").content.decode()
    assert "An older version" not in latest and reverse("revision-detail", args=[new.pk]) in latest


def test_an_upload_from_a_sources_origin_with_other_bytes_asks_whether_it_is_a_new_version(reviewer, make_source, user):
    from annotations.services import import_batch_create, import_batch_process

    old = make_source(OLD, name="toll.txt")
    batch = import_batch_create(files=[("toll.txt", NEW.encode())], user=user)
    import_batch_process(batch_id=batch.pk)
    page = reviewer.get(reverse("import-detail", args=[batch.pk])).content.decode()
    assert "refused" in page and "Is it a new version of" in page
    assert reverse("source-revise", args=[old.pk]) in page
    assert Source.objects.count() == 1


def test_a_file_refused_as_a_possible_new_version_does_not_get_its_source_read_again(make_source, user):
    from annotations.services import import_batch_create, import_batch_process

    old = make_source(OLD, name="toll.txt")
    Source.objects.filter(pk=old.pk).update(analysed_at=None)
    batch = import_batch_create(files=[("toll.txt", NEW.encode())], user=user)
    batch = import_batch_process(batch_id=batch.pk)
    assert batch.to_analyse == 0
    old.refresh_from_db()
    assert old.analysed_at is None
