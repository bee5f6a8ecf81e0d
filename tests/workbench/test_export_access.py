"""Who may take which export, and what the archive says about people."""
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from annotations.archive import archive_import, archive_lines
from annotations.models import Claim, Source
from tests.workbench.test_roles import ROLES, account, world  # noqa: F401 (fixture)

EMAIL = "author@example.org"


@pytest.fixture
def people(world):
    get_user_model().objects.filter(username="author").update(email=EMAIL, first_name="Ada", last_name="Author")
    return world


def body(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_table_exports_need_a_role(people, role):
    _, client = account(role)
    response = client.get(reverse("export", args=["claims", "csv"]))
    text = body(response)
    if role == "none":
        assert response.status_code == 403
        assert "November 2012" not in text and "reviewer role" in text
    else:
        assert response.status_code == 200 and "November 2012" in text


@pytest.mark.parametrize("role", ROLES)
def test_the_archive_is_for_leads(people, role):
    _, client = account(role)
    response = client.get(reverse("export", args=["all", "archive"]))
    text = body(response)
    if role in {"none", "reviewer"}:
        assert response.status_code == 403
        assert "author" not in text and "Only a lead" in text
    else:
        assert response.status_code == 200 and '"username": "author"' in text


def test_the_browser_archive_carries_no_emails_or_names(people):
    _, client = account("admin")
    text = body(client.get(reverse("export", args=["all", "archive"])))
    records = [json.loads(line) for line in text.splitlines()]
    users = [r for r in records if r["type"] == "user"]
    assert {u["username"] for u in users} >= {"author", "as-admin"}
    assert all(set(u) == {"type", "username"} for u in users)
    assert EMAIL not in text and "Ada" not in text


def test_the_export_command_leaves_emails_out_unless_asked(people):
    out = io.StringIO()
    call_command("export", "--format", "archive", stdout=out)
    assert EMAIL not in out.getvalue() and '"email"' not in out.getvalue()
    out = io.StringIO()
    call_command("export", "--format", "archive", "--with-emails", stdout=out)
    users = {r["username"]: r for r in map(json.loads, out.getvalue().splitlines()) if r["type"] == "user"}
    assert (users["author"]["email"], users["author"]["first_name"], users["author"]["last_name"]) == (
        EMAIL, "Ada", "Author")


def test_an_archive_without_emails_round_trips(people):
    lines = list(archive_lines())
    Claim.objects.all().delete()
    Source.objects.all().delete()
    get_user_model().objects.filter(username="author").delete()
    report = archive_import(lines)
    assert report.conflicts == []
    author = get_user_model().objects.get(username="author")
    assert author.email == "" and not author.is_active
    assert set(Claim.objects.values_list("created_by__username", flat=True)) == {"author"}
    # A second import finds every user as it is: no e-mail in the archive is no conflict.
    assert archive_import(lines).conflicts == []


def test_facts_page_offers_only_the_exports_the_role_may_take(people):
    pages = {}
    for role in ROLES:
        _, client = account(role)
        pages[role] = client.get(reverse("fact-list")).content.decode()
    csv_link, archive_link = reverse("export", args=["claims", "csv"]), reverse("export", args=["all", "archive"])
    assert csv_link not in pages["none"] and archive_link not in pages["none"]
    assert csv_link in pages["reviewer"] and archive_link not in pages["reviewer"]
    assert csv_link in pages["lead"] and archive_link in pages["lead"]


def test_with_emails_is_for_the_archive_only(people):
    with pytest.raises(CommandError, match="archive only"):
        call_command("export", "--format", "csv", "--what", "claims", "--with-emails", stdout=io.StringIO())
