"""Every change is kept with who and when, shown in the admin, and can be reverted there."""
from html.parser import HTMLParser

from django.urls import reverse

from annotations.models import Fact
from annotations.services import fact_update

from ..conftest import with_role


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with the given id."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.fields, self.in_form, self.select, self.textarea = [], False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None


def form_data(html: str, form_id: str) -> dict:
    parser = FormFields(form_id)
    parser.feed(html)
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, value)
    return data


def test_admin_shows_who_changed_a_fact_and_reverts_it(client, django_user_model, fact):
    lead = with_role(django_user_model.objects.create_user("lena", password="a-long-test-password"), "lead")
    fact_update(fact=fact, user=lead, version=1, value_text="November 2012", status="disputed",
                rationale="A later report says November.", subject="Julian Assange")
    admin = django_user_model.objects.create_superuser("root", password="a-long-test-password")
    client.force_login(admin)

    history = client.get(reverse("admin:annotations_fact_history", args=[fact.pk])).content.decode()
    assert "lena" in history and "rita" in history  # who made each version
    assert "November 2012" in history and "16 August 2012" in history  # before and after

    first = fact.history.earliest()
    revert_url = reverse("admin:annotations_fact_simple_history", args=[fact.pk, first.history_id])
    page = client.get(revert_url).content.decode()
    data = form_data(page, "historicalfact_form")
    assert "version" not in data  # the admin cannot set the version by hand
    assert data["value_text"] == "16 August 2012" and data["status"] == "reconciled"
    response = client.post(revert_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    fact.refresh_from_db()
    assert (fact.value_text, fact.status, fact.rationale) == ("16 August 2012", "reconciled", "Patiño announced it that day.")
    assert fact.version == 3  # a revert is a new version: forms opened on version 1 or 2 are now stale
    assert fact.history.first().history_user == admin and fact.history.count() == 3
    assert Fact.objects.count() == 1


def test_a_stale_admin_form_gets_the_apps_conflict_and_overwrites_nothing(client, django_user_model, fact):
    admin = django_user_model.objects.create_superuser("root", password="a-long-test-password")
    client.force_login(admin)
    change_url = reverse("admin:annotations_fact_change", args=[fact.pk])
    data = form_data(client.get(change_url).content.decode(), "fact_form")
    # Meanwhile a lead saves an edit of the same fact in the app.
    lead = with_role(django_user_model.objects.create_user("lena", password="a-long-test-password"), "lead")
    fact_update(fact=fact, user=lead, version=1, value_text="November 2012", status="disputed",
                rationale="A later report says November.", subject="Julian Assange")

    data["value_text"] = "stale admin value"
    response = client.post(change_url, data)

    assert response.status_code == 200  # the form again, not a redirect to the list
    page = response.content.decode()
    assert "lena changed this fact while you were editing it" in page and "“November 2012”" in page
    fact.refresh_from_db()
    assert (fact.value_text, fact.version) == ("November 2012", 2)


def test_a_fresh_admin_form_saves_and_moves_the_version_on(client, django_user_model, fact):
    admin = django_user_model.objects.create_superuser("root", password="a-long-test-password")
    client.force_login(admin)
    change_url = reverse("admin:annotations_fact_change", args=[fact.pk])
    data = form_data(client.get(change_url).content.decode(), "fact_form")
    data["value_text"] = "16 August 2012 (Quito)"
    response = client.post(change_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    fact.refresh_from_db()
    assert (fact.value_text, fact.version) == ("16 August 2012 (Quito)", 2)
