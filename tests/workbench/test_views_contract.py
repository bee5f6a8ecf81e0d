"""What the pages and their htmx answers carry, written against the mutants a mutation run of
workbench/views.py left alive (issue 15): the events the columns listen for, the Undo each
report offers, the counts and forms a page is built from, an export's file name."""
import json
import re

import pytest
from django.urls import reverse

from annotations.models import Claim, Contradiction, Reanchoring
from annotations.services import contradiction_flag, last_change_id, source_revise

HTMX = {"HTTP_HX_REQUEST": "true"}


def event(response, name):
    return json.loads(response["HX-Trigger"])[name]


def undo_of(response):
    """The action and history record the report's Undo button names."""
    page = response.content.decode()
    action = re.search(r'name="action" value="([^"]+)"', page)
    record = re.search(r'name="record" value="(\d+)"', page)
    return (action.group(1) if action else None, int(record.group(1)) if record else None)


def test_a_claim_deleted_in_its_panel_says_so_offers_undo_and_redraws_its_column(reviewer, pair):
    claim = pair[0]
    response = reviewer.post(reverse("claim-delete", args=[claim.pk]), **HTMX)
    assert response.status_code == 200
    assert "Deleted “2010”." in response.content.decode()
    assert undo_of(response) == ("delete", last_change_id(Claim, claim.pk))
    assert event(response, "claims-changed") == {"source": claim.source_id}
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_a_status_changed_in_the_claim_panel_offers_the_undo_of_that_change(reviewer, pair):
    claim = pair[0]
    response = reviewer.post(reverse("claim-status", args=[claim.pk]), {"status": "rejected"},
                             HTTP_HX_TARGET="claim-card", **HTMX)
    assert response.status_code == 200
    assert undo_of(response) == ("claim-status", last_change_id(Claim, claim.pk))
    assert event(response, "claims-changed") == {"source": claim.source_id}


def test_a_contradiction_flagged_in_place_reports_it_and_tells_the_columns(reviewer, pair):
    response = reviewer.post(reverse("contradiction-flag"), {"claims": [c.pk for c in pair]}, **HTMX)
    flagged = Contradiction.objects.get()
    assert f"Flagged contradiction #{flagged.pk} between 2 claims." in response.content.decode()
    assert event(response, "claims-changed") == {"contradiction": flagged.pk}


def test_a_judged_contradiction_is_reported_in_lower_case_and_its_undo_names_it(reviewer, pair, user):
    flagged = contradiction_flag(claims=pair, user=user)
    response = reviewer.post(reverse("contradiction-status", args=[flagged.pk]), {"status": "dismissed"})
    page = reviewer.get(response["Location"]).content.decode()
    assert f"Contradiction #{flagged.pk} is now dismissed." in page
    record = last_change_id(Contradiction, flagged.pk)
    undone = reviewer.post(reverse("undo"), {"action": "contradiction-status", "record": record}, **HTMX)
    assert undone.status_code == 200
    assert event(undone, "claims-changed") == {"contradiction": flagged.pk}
    flagged.refresh_from_db()
    assert flagged.status == "confirmed"


def test_a_columns_full_claim_list_holds_every_claim(reviewer, make_source, make_claim):
    source = make_source("Opened in 2010, extended in 2014, closed in 2019.")
    claims = [make_claim(source, year) for year in ("2010", "2014", "2019")]
    page = reviewer.get(reverse("source-claims", args=[source.pk])).content.decode()
    assert f'id="claim-items-{source.pk}"' in page
    assert [int(pk) for pk in re.findall(r'<li class="claim-item[^"]*" data-claim="(\d+)"', page)] == [
        c.pk for c in claims]


def test_the_edit_page_offers_a_reimport_in_the_sources_own_encoding(reviewer, make_source):
    source = make_source("Zurich opened in 2010.")
    source.encoding = "cp1252"
    source.save(update_fields=["encoding"])
    page = reviewer.get(reverse("source-edit", args=[source.pk])).content.decode()
    assert re.search(r'<option value="cp1252"[^>]*selected', page)


def test_the_changes_page_counts_each_outcome(reviewer, make_source, make_claim, user):
    old = make_source("The toll rose to 190 on Monday.\nAid arrived on Tuesday.\nThe council met.\n", name="t.txt")
    for exact, kind in [("190", "count"), ("Tuesday", "date"), ("Monday", "date"), ("council", "other")]:
        make_claim(old, exact, kind=kind)
    revision = source_revise(source=old, raw=b"The toll rose to 220 on Monday.\nThe council met.\n", user=user)
    page = reviewer.get(reverse("revision-detail", args=[revision.source.pk])).content.decode()
    counts = re.search(r'<p id="outcome-counts">(.*?)</p>', page, re.S).group(1)
    badges = dict((label, int(n)) for n, label in re.findall(r'<span class="badge">(\d+) ([^<]+)</span>', counts))
    outcomes = list(Reanchoring.objects.filter(revision=revision.source).values_list("outcome", flat=True))
    assert sorted(outcomes) == ["changed", "exact", "exact", "orphaned"]  # 190 became 220; Tuesday went
    assert badges == {"moved exactly": 2, "moved with changes": 1, "orphaned": 1, "placed by a reviewer": 0}


def test_the_matrix_downloads_as_a_named_attachment(reviewer, pair):
    response = reviewer.get(reverse("matrix-export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="matrix.csv"'


def test_a_refused_evidence_edit_says_why(reviewer, fact):
    claim_ids = list(fact.evidence.values_list("claim_id", flat=True))
    response = reviewer.post(reverse("fact-evidence", args=[fact.pk]), {
        "version": fact.version, **{f"remove_{pk}": "on" for pk in claim_ids},
        **{f"stance_{pk}": "supports" for pk in claim_ids}, "remove": claim_ids})
    assert response.status_code == 400  # the domain's refusal, not the form's (422)
    assert "A fact keeps at least one piece of evidence" in response.content.decode()


def test_a_refusal_of_a_fact_edit_is_shown_on_the_form_with_what_was_typed(reviewer, fact, monkeypatch):
    from annotations import services
    from annotations.errors import WorkbenchError

    def refuse(**kwargs):
        raise WorkbenchError("The value cannot be read as a date.")

    monkeypatch.setattr(services, "fact_update", refuse)
    response = reviewer.post(reverse("fact-edit", args=[fact.pk]), {
        "version": fact.version, "value_text": "sometime in 2012", "status": fact.status,
        "subject": fact.subject, "property": fact.property, "rationale": "A guess."})
    assert response.status_code == 422
    page = response.content.decode()
    assert "The value cannot be read as a date." in page and 'value="sometime in 2012"' in page


def test_a_claim_tagged_in_place_tells_its_column(reviewer, make_source):
    source = make_source("Ecuador offered asylum in November 2012.")
    start = source.text.index("November 2012")
    response = reviewer.post(reverse("claim-create"), {"source": source.pk, "start": start, "end": start + 13,
                                                        "exact": "November 2012", "kind": "date"}, **HTMX)
    claim = Claim.objects.get()
    assert event(response, "claims-changed") == {"source": source.pk, "claim": claim.pk}


def test_the_contradiction_list_pages_on(reviewer, db):
    from workbench.views import PAGE_SIZE

    Contradiction.objects.bulk_create(Contradiction(kind="date", explanation=f"#{i}") for i in range(PAGE_SIZE + 1))
    first = reviewer.get(reverse("contradiction-list")).content.decode()
    second = reviewer.get(reverse("contradiction-list") + "?page=2").content.decode()
    last = Contradiction.objects.order_by("pk").last().pk
    assert second.count('href="/contradictions/') < first.count('href="/contradictions/')
    assert (f'href="/contradictions/{last}/"' in second) != (f'href="/contradictions/{last}/"' in first)


def test_a_refused_matrix_export_is_a_full_page_naming_the_account(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("nora", password="a-long-test-password"))
    response = client.get(reverse("matrix-export", args=["csv"]))
    assert response.status_code == 403
    page = response.content.decode()
    assert '<span class="who">nora</span>' in page and "reviewer" in page
