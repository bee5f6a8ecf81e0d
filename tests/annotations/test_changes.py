"""What changed since a page read its token (live updates between reviewers)."""
import pytest

from annotations.changes import BadToken, changes_since, token_now
from annotations.services import claim_delete, contradiction_flag, fact_update


def test_nothing_changed_costs_one_query_and_keeps_the_token(seeds, make_claim, django_assert_num_queries):
    make_claim(seeds["000"], "November 2012")
    token = token_now()
    with django_assert_num_queries(1):
        changes = changes_since(token)
    assert not changes.changed and changes.token == token


def test_a_colleagues_new_claim_names_its_source(seeds, make_claim, other_user):
    token = token_now()
    make_claim(seeds["001"], "August 16, 2012", user=other_user)
    changes = changes_since(token)
    assert changes.changed and changes.sources == {seeds["001"].pk} and not changes.all_sources
    assert changes.token != token and not changes_since(changes.token).changed


def test_a_deleted_claim_or_a_flagged_contradiction_or_an_edited_fact_is_a_change(seeds, make_claim, user, fact,
                                                                                    monkeypatch):
    monkeypatch.setattr("annotations.changes.CLOCK_MARGIN", __import__("datetime").timedelta(0))
    claim = make_claim(seeds["002"], "July 2025")
    token = token_now()
    claim_delete(claim=claim, user=user)
    deleted = changes_since(token)
    assert deleted.changed and seeds["002"].pk in deleted.sources  # its history keeps its source
    a, b = make_claim(seeds["000"], "2019"), make_claim(seeds["001"], "April 2019")
    token = token_now()
    contradiction_flag(claims=[a, b], user=user)
    assert changes_since(token).changed
    token = token_now()
    fact_update(fact=fact, user=user, version=fact.version, value_text="August 2012", status=fact.status,
                rationale=fact.rationale, subject=fact.subject, property=fact.property)
    edited = changes_since(token)
    assert edited.changed and edited.all_sources  # no claim changed: any column may show the fact


@pytest.mark.parametrize("token", ["", "abc", "0123456789abcdef.", "0123456789abcdef.12x", "x" * 16 + "." + "9" * 20])
def test_a_token_it_did_not_write_is_refused(db, token):
    with pytest.raises(BadToken, match="not a change token"):
        changes_since(token)
