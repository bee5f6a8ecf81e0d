"""Who may do what, asked of the domain functions themselves (the browser, the API and the
command line all go through them): each rule tried by someone it allows and someone it refuses."""
import pytest
from django.contrib.auth import get_user_model

from annotations import permissions
from annotations.errors import NotAllowed
from annotations.models import Claim, Contradiction
from annotations.services import claim_create, claim_set_status, contradiction_flag, fact_reconcile
from tests.conftest import with_role

A = "Ecuador offered asylum to Julian Assange in November 2012."
B = "Assange was granted asylum on August 16, 2012."


def person(name, *roles, **fields):
    user = get_user_model().objects.create_user(name, password="a-long-test-password", **fields)
    for role in roles:
        with_role(user, role)
    return user


def tag(source, quote, user, **kwargs):
    start = source.text.index(quote)
    return claim_create(source=source, start=start, end=start + len(quote), exact=quote, kind="date",
                        user=user, **kwargs)


@pytest.fixture
def sources(make_source):
    return make_source(A, name="a.txt"), make_source(B, name="b.txt")


# --- roles_of: superusers and inactive accounts ---------------------------------------


def test_a_superuser_without_any_group_holds_every_role(db):
    boss = person("boss", is_superuser=True)
    assert permissions.roles_of(boss) == {"reviewer", "lead", "admin"}
    assert permissions.is_lead(boss) and permissions.is_admin(boss)


def test_a_superuser_may_reconcile_with_no_group(sources):
    boss = person("boss", is_superuser=True)
    a, b = sources
    nov, aug = tag(a, "November 2012", boss), tag(b, "August 16, 2012", boss)
    flagged = contradiction_flag(claims=[nov, aug], user=boss)
    fact = fact_reconcile(contradiction=flagged, user=boss, value_text="16 August 2012", status="reconciled",
                          rationale="The decree.", stances={nov.pk: "refutes", aug.pk: "supports"})
    assert fact.reviewer == boss


def test_an_inactive_account_holds_no_role_even_in_the_admin_group(db):
    gone = person("gone", "admin", is_active=False)
    assert permissions.roles_of(gone) == set()
    assert not permissions.is_reviewer(gone)


def test_an_inactive_superuser_holds_no_role(db):
    gone = person("gone", is_superuser=True, is_active=False)
    assert permissions.roles_of(gone) == set()


def test_an_inactive_account_cannot_tag(sources):
    gone = person("gone", "admin", is_active=False)
    with pytest.raises(NotAllowed, match=r"^Your account has no reviewer role yet; ask an admin to give you one\.$"):
        tag(sources[0], "November 2012", gone)
    assert not Claim.objects.exists()


def test_a_users_roles_are_read_from_the_database_once_a_request(db, django_assert_num_queries):
    # Every check of a request asks again (a page asks a dozen times): one query, then none.
    lead = get_user_model().objects.get(pk=person("l", "lead").pk)
    with django_assert_num_queries(1):
        assert permissions.roles_of(lead) == {"lead"}
        assert permissions.is_lead(lead) and permissions.is_reviewer(lead) and not permissions.is_admin(lead)


def test_an_account_in_no_group_holds_no_role(db):
    assert permissions.roles_of(person("nobody")) == set()


def test_each_group_gives_its_own_role(db):
    assert (permissions.is_reviewer(person("r", "reviewer")), permissions.is_lead(person("r2", "reviewer"))) == (
        True, False)
    lead = person("l", "lead")
    assert permissions.is_lead(lead) and not permissions.is_admin(lead)
    assert permissions.is_admin(person("a", "admin"))


# --- confirming and rejecting claims --------------------------------------------------


@pytest.mark.parametrize("status", ["confirmed", "rejected"])
def test_a_reviewer_cannot_change_the_status_of_someone_elses_manual_claim(sources, status):
    author, colleague = person("author", "reviewer"), person("colleague", "reviewer")
    claim = tag(sources[0], "November 2012", author)
    if status == "confirmed":
        claim_set_status(claim=claim, status="rejected", user=author)
    before = Claim.objects.get(pk=claim.pk).status
    with pytest.raises(NotAllowed, match=r"^Only a lead can change the status of someone else's claim\.$"):
        claim_set_status(claim=Claim.objects.get(pk=claim.pk), status=status, user=colleague)
    assert Claim.objects.get(pk=claim.pk).status == before


def test_a_lead_may_reject_someone_elses_manual_claim(sources):
    author, lead = person("author", "reviewer"), person("lead", "lead")
    claim = tag(sources[0], "November 2012", author)
    claim_set_status(claim=claim, status="rejected", user=lead)
    assert Claim.objects.get(pk=claim.pk).status == "rejected"


def test_a_reviewer_may_reject_their_own_claim_and_any_suggestion(sources):
    author = person("author", "reviewer")
    own = tag(sources[0], "November 2012", author)
    suggestion = tag(sources[1], "August 16, 2012", None, origin="suggested")
    claim_set_status(claim=own, status="rejected", user=author)
    claim_set_status(claim=suggestion, status="confirmed", user=author)
    assert Claim.objects.get(pk=own.pk).status == "rejected"
    assert Claim.objects.get(pk=suggestion.pk).status == "confirmed"


def test_an_account_with_no_role_cannot_judge_a_suggestion(sources):
    suggestion = tag(sources[1], "August 16, 2012", None, origin="suggested")
    with pytest.raises(NotAllowed, match="no reviewer role"):
        claim_set_status(claim=suggestion, status="confirmed", user=person("nobody"))
    assert Claim.objects.get(pk=suggestion.pk).status == "suggested"


# --- flagging contradictions ----------------------------------------------------------


def test_an_account_with_no_role_cannot_flag_a_contradiction(sources):
    author = person("author", "reviewer")
    claims = [tag(sources[0], "November 2012", author), tag(sources[1], "August 16, 2012", author)]
    with pytest.raises(NotAllowed, match="no reviewer role"):
        contradiction_flag(claims=claims, user=person("nobody"))
    assert not Contradiction.objects.exists()


def test_an_inactive_reviewer_cannot_flag_a_contradiction(sources):
    author = person("author", "reviewer")
    claims = [tag(sources[0], "November 2012", author), tag(sources[1], "August 16, 2012", author)]
    author.is_active = False
    author.save()
    author = get_user_model().objects.get(pk=author.pk)
    with pytest.raises(NotAllowed):
        contradiction_flag(claims=claims, user=author)
    assert not Contradiction.objects.exists()


# --- exports --------------------------------------------------------------------------


def test_only_an_admin_may_take_peoples_emails_with_the_archive(db):
    with pytest.raises(NotAllowed, match=r"^Only an admin can export people's e-mail addresses and names\.$"):
        permissions.require_export(person("lead", "lead"), "archive", with_emails=True)
    permissions.require_export(person("admin", "admin"), "archive", with_emails=True)
    permissions.require_export(None, "archive", with_emails=True)  # the command line


def test_the_archive_is_a_leads_and_says_so(db):
    with pytest.raises(NotAllowed, match=r"^Only a lead can download the archive \(every account and everything "
                                         r"anyone did\)\.$"):
        permissions.require_export(person("r", "reviewer"), "archive")
    permissions.require_export(person("lead", "lead"), "archive")


def test_table_exports_need_a_role_and_say_so(db):
    with pytest.raises(NotAllowed, match=r"^Downloading exports takes a reviewer role; ask an admin to give your "
                                         r"account one\.$"):
        permissions.require_export(person("nobody"), "csv")
    permissions.require_export(person("r", "reviewer"), "csv")
