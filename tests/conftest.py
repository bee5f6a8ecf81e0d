import itertools

import pytest
from django.contrib.auth import get_user_model

from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Source
from annotations.services import claim_create, source_import

_counter = itertools.count()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def with_role(user, role):
    from django.contrib.auth.models import Group

    # get_or_create: transactional tests flush the groups the migration made.
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def user(db):
    """An admin: the domain tests are about behaviour; tests/workbench/test_roles.py about roles."""
    return with_role(get_user_model().objects.create_user("rita", password="a-long-test-password"), "admin")


@pytest.fixture
def other_user(db):
    return with_role(get_user_model().objects.create_user("omar", password="a-long-test-password"), "reviewer")


@pytest.fixture
def make_source(db):
    """Import a text through the real import path; each call gets a distinct file name."""
    def make(text: str, name: str | None = None, **metadata) -> Source:
        return source_import(
            name=name or f"doc-{next(_counter)}.txt", raw=text.encode("utf-8"), metadata=metadata
        )
    return make


@pytest.fixture
def make_claim(user):
    """Tag the first occurrence of ``exact`` in a source."""
    def make(source, exact: str, kind: str = "date", occurrence: int = 0, **kwargs):
        start = -1
        for _ in range(occurrence + 1):
            start = source.text.index(exact, start + 1)
        return claim_create(source=source, start=start, end=start + len(exact), exact=exact,
                            kind=kind, user=kwargs.pop("user", user), **kwargs)
    return make


@pytest.fixture
def pair(make_source, make_claim):
    """Two dates from two sources that cannot both be true."""
    return make_claim(make_source("Opened in 2010."), "2010"), make_claim(make_source("Opened in 2011."), "2011")


@pytest.fixture
def seeds(db):
    load_seeds(analyse=False)
    return {s.origin[:3]: s for s in Source.objects.all()}


@pytest.fixture
def fact(seeds, make_claim, user):
    """The Assange asylum date, reconciled by ``user`` (version 1)."""
    from annotations.services import contradiction_flag, fact_reconcile

    a = make_claim(seeds["000"], "November 2012")
    b = make_claim(seeds["001"], "August 16, 2012")
    flagged = contradiction_flag(claims=[a, b], user=user)
    return fact_reconcile(contradiction=flagged, user=user, value_text="16 August 2012", status="reconciled",
                          rationale="Patiño announced it that day.", stances={a.pk: "refutes", b.pk: "supports"},
                          subject="Julian Assange", property="date asylum granted")


@pytest.fixture
def lead_user(db):
    return with_role(get_user_model().objects.create_user("lena", password="a-long-test-password"), "lead")


@pytest.fixture
def run_tasks(db, monkeypatch):
    """Run every queued background task, as `manage.py db_worker` does, then return."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # The worker closes connections between tasks, as a long-running process should; inside
    # a test that would close the test's own transaction (PostgreSQL) under it.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    return run
