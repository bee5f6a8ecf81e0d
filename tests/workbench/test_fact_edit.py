"""Editing a fact with optimistic locking: a save based on a version someone replaced
meanwhile is refused, shows the current fact, and overwrites nothing."""
import json

from django.test import Client
from django.urls import reverse

from annotations.models import Fact
from workbench.models import ApiToken

from ..conftest import with_role


def lead_client(django_user_model, name):
    user = with_role(django_user_model.objects.create_user(name, password="a-long-test-password"), "lead")
    client = Client()
    client.force_login(user)
    return client


def edit(client, fact, version, **changes):
    data = {"version": version, "value_text": fact.value_text, "status": fact.status, "subject": fact.subject,
            "property": fact.property, "rationale": fact.rationale, **changes}
    return client.post(reverse("fact-edit", args=[fact.pk]), data)


def test_a_lead_edits_a_fact_and_its_version_moves_on(fact, django_user_model):
    client = lead_client(django_user_model, "lena")
    page = client.get(reverse("fact-edit", args=[fact.pk])).content.decode()
    assert 'name="version" value="1"' in page
    response = edit(client, fact, 1, rationale="Patiño announced it on 16 August 2012; the cable confirms it.")
    assert response.status_code == 302
    fact.refresh_from_db()
    assert fact.version == 2 and fact.rationale.endswith("the cable confirms it.")
    assert fact.history.first().history_user.username == "lena"


def test_two_leads_editing_at_once_the_second_gets_a_conflict_showing_the_current_fact(fact, django_user_model):
    first, second = lead_client(django_user_model, "first"), lead_client(django_user_model, "second")
    # Both open the form on version 1.
    for client in (first, second):
        assert 'name="version" value="1"' in client.get(reverse("fact-edit", args=[fact.pk])).content.decode()
    assert edit(first, fact, 1, value_text="16 August 2012 (announced)").status_code == 302

    response = edit(second, fact, 1, value_text="November 2012", rationale="I read it otherwise.")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Not saved: someone else changed this fact." in page
    assert "first changed this fact while you were editing it" in page
    assert "It now says: “16 August 2012 (announced)”" in page
    # The current fact is shown, and the second lead's text is kept, now on version 2.
    assert '<strong>16 August 2012 (announced)</strong>' in page
    assert 'value="November 2012"' in page and "I read it otherwise." in page
    # The edit form itself (not only the evidence form below it) is now on version 2.
    assert "Editing version 2." in page and "Editing version 1." not in page
    fact.refresh_from_db()
    assert (fact.value_text, fact.version) == ("16 August 2012 (announced)", 2)

    # Saving again after seeing the current fact is a deliberate overwrite.
    assert edit(second, fact, 2, value_text="November 2012").status_code == 302
    fact.refresh_from_db()
    assert (fact.value_text, fact.version) == ("November 2012", 3)


def test_a_reviewer_cannot_edit_a_fact(fact, django_user_model):
    user = with_role(django_user_model.objects.create_user("rev", password="a-long-test-password"), "reviewer")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("fact-edit", args=[fact.pk])).status_code == 403
    assert edit(client, fact, 1, value_text="changed").status_code == 403
    fact.refresh_from_db()
    assert fact.value_text == "16 August 2012"


def test_an_empty_value_is_refused_and_nothing_changes(fact, django_user_model):
    client = lead_client(django_user_model, "lena")
    response = edit(client, fact, 1, value_text="   ")
    assert response.status_code == 422
    fact.refresh_from_db()
    assert (fact.value_text, fact.version) == ("16 August 2012", 1)


def test_the_api_refuses_a_stale_version_with_409(fact, user, client):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user).key}"}
    body = {"version": 1, "value": "16 August 2012", "status": "reconciled", "rationale": "Checked twice.",
            "subject": "Julian Assange"}
    ok = client.put(f"/api/v1/facts/{fact.pk}", json.dumps(body), content_type="application/json", headers=headers)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.put(f"/api/v1/facts/{fact.pk}", json.dumps({**body, "value": "November 2012"}),
                       content_type="application/json", headers=headers)
    assert stale.status_code == 409
    assert "It now says: “16 August 2012”" in stale.json()["detail"]
    assert Fact.objects.get(pk=fact.pk).rationale == "Checked twice."
