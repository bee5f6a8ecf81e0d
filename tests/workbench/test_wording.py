"""Issue 12, bug 11: each phrase a reviewer reads says its thing once, in plain words."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.errors import WorkbenchError
from annotations.models import Claim, ClaimOrigin, ClaimStatus
from annotations.services import claims_suggest, source_import


def test_a_span_tagged_again_as_other_reads_an_other_claim(make_source, make_claim, other_user):
    source = make_source("The Brenn dam is run by Hydro Nord, officials said.")
    make_claim(source, "Hydro Nord", kind="other")
    with pytest.raises(WorkbenchError) as refused:
        make_claim(source, "Hydro Nord", kind="other", user=other_user)
    assert "is already tagged as an “other” claim by rita" in str(refused.value)
    assert "a other" not in str(refused.value)


def test_a_suggested_claim_says_suggested_once(reviewer, make_source):
    source = make_source("The Brenn dam opened in March 2004 and cost $120 million, officials said.")
    claims_suggest(sources=[source])
    claim = Claim.objects.filter(origin=ClaimOrigin.SUGGESTED).first()
    page = reviewer.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert "Suggested by the workbench" in page
    assert "Suggested · Suggested" not in page


def test_a_tagged_claim_names_its_tagger_once(reviewer, make_source, make_claim):
    claim = make_claim(make_source("The Brenn dam opened in March 2004."), "March 2004")
    page = reviewer.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    assert "Tagged by rita" in page
    assert "Tagged by a reviewer by" not in page and "Confirmed · Tagged" not in page


def test_a_rejected_suggestion_says_so(make_source):
    source = make_source("The Brenn dam opened in March 2004.")
    claims_suggest(sources=[source])
    claim = Claim.objects.first()
    claim.status = ClaimStatus.REJECTED
    assert claim.provenance == "Suggested by the workbench · rejected"


def test_a_markdown_title_loses_its_heading_marks(db, user):
    source = source_import(name="dam.md", raw=b"# The Brenn dam opening\n\nThe dam opened in March 2004.\n", user=user)
    assert source.title == "The Brenn dam opening"


def test_a_finished_import_with_refusals_says_how_many_were_refused(client, user, run_tasks):
    client.force_login(user)
    files = [SimpleUploadedFile("a.txt", b"The dam opened in 2004."), SimpleUploadedFile("empty.txt", b"  "),
             SimpleUploadedFile("binary.txt", b"\x00\x01\x02")]
    response = client.post(reverse("source-upload"), {"files": files})
    run_tasks()
    page = client.get(response["Location"]).content.decode()
    assert "<strong>Done, 2 refused</strong>" in page


def test_the_sources_page_and_the_compare_refusal_give_the_same_range(reviewer, make_source):
    make_source("The Brenn dam opened in March 2004.")
    hint = "Tick 1 to 5 sources: one to read it, two or more to read them side by side."
    assert hint in reviewer.get(reverse("source-list")).content.decode()
    assert hint in reviewer.get(reverse("compare"), follow=True).content.decode()
