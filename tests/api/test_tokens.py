"""API tokens: only a hash is stored, the token is shown once when it is made, and a password
change (or a deactivated account) revokes it."""
import hashlib
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from workbench.models import ApiToken

API = "/api/v1"


def answers(token: str) -> int:
    return Client().get(API + "/sources", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def stored_rows() -> str:
    """Every value of every token row, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        return repr(cursor.fetchall())


def test_a_token_works_and_the_database_holds_only_its_hash(user):
    token = ApiToken.issue(user).key
    assert answers(token) == 200
    rows = stored_rows()
    assert token not in rows and token[:12] not in rows
    assert hashlib.sha256(token.encode()).hexdigest() in rows
    assert ApiToken.objects.get(user=user).prefix == token[:8]


def test_a_new_token_replaces_the_old_one(user):
    old = ApiToken.issue(user).key
    new = ApiToken.issue(user).key
    assert (answers(old), answers(new)) == (401, 200)
    assert ApiToken.objects.count() == 1


def test_a_password_change_revokes_the_token(user):
    token = ApiToken.issue(user).key
    user.set_password("another-long-password")
    user.save()
    assert answers(token) == 401
    assert answers(ApiToken.issue(user).key) == 200  # a token made after the change works


def test_a_password_change_through_changepassword_revokes_the_token(user, monkeypatch):
    token = ApiToken.issue(user).key
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "another-long-password")
    call_command("changepassword", user.username, stdout=io.StringIO())
    assert answers(token) == 401


def test_a_deactivated_account_token_is_refused(user):
    token = ApiToken.issue(user).key
    user.is_active = False
    user.save()
    assert answers(token) == 401


def test_the_command_prints_the_token_once_and_stores_its_hash(user):
    out = io.StringIO()
    call_command("api_token", user.username, stdout=out)
    token = out.getvalue().strip().splitlines()[0]
    assert answers(token) == 200
    assert token not in stored_rows()


@pytest.fixture
def admin_client(db):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-admin-password")
    client = Client()
    client.force_login(admin)
    return client


def test_the_admin_shows_a_new_token_once_and_never_again(admin_client, user):
    response = admin_client.post("/admin/workbench/apitoken/add/", {"user": user.pk}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    shown = re.search(r"API token for rita: ([A-Za-z0-9_-]{40,})", page)
    assert shown, page[:3000]
    token = shown.group(1)
    assert answers(token) == 200
    listing = admin_client.get("/admin/workbench/apitoken/").content.decode()
    change = admin_client.get(f"/admin/workbench/apitoken/{ApiToken.objects.get().pk}/change/").content.decode()
    for later in (listing, change):
        assert token not in later and token[:12] not in later
        assert token[:8] in later  # the prefix tells tokens apart
    assert token not in stored_rows()


def test_the_admin_never_shows_an_existing_secret(admin_client, user):
    token = ApiToken.issue(user).key
    listing = admin_client.get("/admin/workbench/apitoken/").content.decode()
    change = admin_client.get(f"/admin/workbench/apitoken/{ApiToken.objects.get().pk}/change/").content.decode()
    assert "rita" in listing and "rita" in change
    assert token not in listing and token not in change


def test_plain_tokens_from_before_keep_working_after_the_migration(transactional_db, django_user_model):
    from tests.conftest import with_role

    executor = MigrationExecutor(connection)
    executor.migrate([("workbench", "0001_initial")])
    old = MigrationExecutor(connection).loader.project_state([("workbench", "0001_initial")]).apps
    user = with_role(django_user_model.objects.create_user("olga", password="a-long-test-password"), "admin")
    old.get_model("workbench", "ApiToken").objects.create(user_id=user.pk, key="plain-token-from-before-0123456789")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert answers("plain-token-from-before-0123456789") == 200
    assert "plain-token-from-before" not in stored_rows()
    user.set_password("another-long-password")
    user.save()
    assert answers("plain-token-from-before-0123456789") == 401
