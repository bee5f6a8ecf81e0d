"""The Django admin as each role sees it: the `admin` group (made by a migration) carries the
model permissions its README row promises, so a staff admin who is not a superuser can work."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from annotations.models import Claim

from .test_history_admin import form_data

# What an admin manages there (README: sources, claims, contradictions, facts, evidence, users).
ADMIN_MODELS = {"Source", "Claim", "Contradiction", "Fact", "Evidence", "ImportBatch", "User", "Group",
                "ApiToken", "AccessAttempt"}


@pytest.fixture
def staff_client(client, django_user_model):
    def make(role=None):
        user = django_user_model.objects.create_user(f"staff-{role}", password="a-long-test-password",
                                                     is_staff=True)
        if role:
            user.groups.add(Group.objects.get(name=role))  # the group the migration made, as it is
        client.force_login(user)
        return client
    return make


def admin_index_models(client) -> set[str]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {model["object_name"] for app in response.context["app_list"] for model in app["models"]}


def test_a_staff_admin_sees_the_workbench_models_in_the_admin(staff_client):
    client = staff_client("admin")
    assert ADMIN_MODELS <= admin_index_models(client)
    page = client.get(reverse("admin:index")).content.decode()
    for name in ("Sources", "Claims", "Contradictions", "Facts", "Users"):
        assert f">{name}</a>" in page


def test_a_staff_admin_edits_a_claim_in_the_admin(staff_client, make_source, make_claim):
    claim = make_claim(make_source("Asylum was granted on August 16, 2012."), "August 16, 2012")
    client = staff_client("admin")
    url = reverse("admin:annotations_claim_change", args=[claim.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "claim_form")
    data["subject"] = "Assange's asylum"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    claim.refresh_from_db()
    assert claim.subject == "Assange's asylum"
    assert claim.history.first().history_user.username == "staff-admin"


def test_a_staff_admin_may_not_delete_users(staff_client, django_user_model):
    # Deleting an account would blank the author of every claim and fact it made (SET_NULL):
    # an admin deactivates it instead; only a superuser deletes.
    client = staff_client("admin")
    other = django_user_model.objects.create_user("leaver", password="a-long-test-password")
    response = client.post(reverse("admin:auth_user_delete", args=[other.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert django_user_model.objects.filter(username="leaver").exists()
    change = client.get(reverse("admin:auth_user_change", args=[other.pk]))
    assert change.status_code == 200 and 'name="is_active"' in change.content.decode()


@pytest.mark.parametrize("role", [None, "reviewer", "lead"])
def test_staff_without_the_admin_role_sees_nothing_in_the_admin(staff_client, make_source, make_claim, role):
    claim = make_claim(make_source("Asylum was granted on August 16, 2012."), "August 16, 2012")
    client = staff_client(role)
    assert admin_index_models(client) == set()
    url = reverse("admin:annotations_claim_change", args=[claim.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"subject": "changed"}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).subject == ""
