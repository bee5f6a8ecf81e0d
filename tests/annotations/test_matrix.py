"""The facts × sources matrix: rows from facts, open contradictions and shared properties."""
import pytest

from annotations.matrix import AGREES, CONTRADICTS, EMPTY, UNDECIDED, matrix_build
from annotations.models import ContradictionStatus
from annotations.services import claim_set_status, contradiction_flag, contradiction_set_status, fact_reconcile


def built(**filters):
    """The matrix with what every claim says loaded (the page loads it for its rows only)."""
    matrix = matrix_build(**filters)
    matrix.fill()
    return matrix


def row_named(matrix, key):
    return next(r for r in matrix.rows if r.key == key)


@pytest.fixture
def asylum(seeds, make_claim, user):
    """The seeds' Assange asylum date, flagged: "November 2012" (000) against "August 16, 2012" (001)."""
    a = make_claim(seeds["000"], "November 2012")
    b = make_claim(seeds["001"], "August 16, 2012")
    return contradiction_flag(claims=[a, b], user=user), a, b


def test_a_flagged_contradiction_is_a_disputed_row_with_each_value_in_its_sources_column(seeds, asylum):
    contradiction, a, b = asylum
    matrix = built()
    row = row_named(matrix, f"contradiction-{contradiction.pk}")
    assert row.status == "disputed" and row.disagreeing == 2
    assert [s.pk for s in matrix.sources] == [seeds[k].pk for k in ("000", "001", "002", "003", "004")]
    cells = matrix.cells_of(row)
    assert [c.quoted for c in cells] == ["November 2012", "August 16, 2012", "", "", ""]
    assert [c.status for c in cells] == [UNDECIDED, UNDECIDED, EMPTY, EMPTY, EMPTY]
    november = cells[0].stated[0]
    assert (november.claim_id, november.start, november.end) == (a.pk, a.start, a.end)
    assert seeds["000"].text[november.start:november.end] == "November 2012"


def test_after_reconciling_the_row_is_the_fact_and_says_which_source_agrees(seeds, fact):
    matrix = built()
    row = row_named(matrix, f"fact-{fact.pk}")
    assert row.status == "reconciled" and row.label == "Julian Assange — date asylum granted"
    cells = matrix.cells_of(row)
    assert [(c.quoted, c.status) for c in cells[:2]] == [("November 2012", CONTRADICTS), ("August 16, 2012", AGREES)]
    assert row.disagreeing == 1
    # The contradiction it settled is no longer a row of its own.
    assert not [r for r in matrix.rows if r.key.startswith("contradiction-")]


def test_claims_saying_they_measure_the_same_property_make_one_row(seeds, make_claim):
    make_claim(seeds["000"], "2019", kind="date", property="date asylum revoked")
    make_claim(seeds["001"], "April 2019", kind="date", property="Date  asylum REVOKED")
    agreed = [r for r in built().rows if r.key.startswith("property-")]
    assert len(agreed) == 1 and agreed[0].status == "agreed" and agreed[0].disagreeing == 0
    assert agreed[0].cell(seeds["001"].pk).quoted == "April 2019"


def test_values_that_cannot_both_be_true_make_a_property_row_disputed(seeds, make_claim):
    make_claim(seeds["000"], "2013", kind="date", property="date trade pact ended")
    make_claim(seeds["001"], "2012", kind="date", property="date trade pact ended")
    row = next(r for r in built().rows if r.key.startswith("property-"))
    assert row.status == "disputed" and row.disagreeing == 2


def test_a_property_only_one_source_states_or_a_rejected_claim_makes_no_row(seeds, make_claim, user):
    make_claim(seeds["000"], "2013", kind="date", property="date trade pact ended")
    make_claim(seeds["000"], "2019", kind="date", property="date trade pact ended")
    rejected = make_claim(seeds["001"], "2012", kind="date", property="date trade pact ended")
    claim_set_status(claim=rejected, status="rejected", user=user)
    assert built().rows == []


def test_a_claim_in_a_contradiction_is_not_listed_again_under_its_property(seeds, asylum, make_claim):
    make_claim(seeds["002"], "2019", kind="date", property="x")  # another property, one source
    contradiction, a, b = asylum
    a.property = b.property = "date asylum granted"
    a.save()
    b.save()
    assert [r.key for r in built().rows] == [f"contradiction-{contradiction.pk}"]


def test_a_dismissed_contradiction_is_no_row(seeds, asylum, user):
    contradiction, _, _ = asylum
    contradiction_set_status(contradiction=contradiction, status=ContradictionStatus.DISMISSED, user=user)
    assert built().rows == []


def test_rows_sort_by_the_number_of_disagreeing_sources(seeds, asylum, make_claim, user):
    # Three sources, three counts that cannot all be true, against the two-source asylum row.
    claims = [make_claim(seeds["001"], "an estimated 150,000", kind="count"),
              make_claim(seeds["002"], "300", kind="count"),
              make_claim(seeds["003"], "two", kind="count")]
    three = contradiction_flag(claims=claims, user=user)
    rows = built().rows
    assert [(r.key, r.disagreeing) for r in rows] == [(f"contradiction-{three.pk}", 3),
                                                       (f"contradiction-{asylum[0].pk}", 2)]


def test_filters_by_kind_status_and_sources(seeds, fact, asylum_count):
    assert [r.kind for r in built(kind="count").rows] == ["count"]
    assert [r.status for r in built(status="reconciled").rows] == ["reconciled"]
    assert {r.status for r in built(status="disputed").rows} == {"disputed"}
    # Only the chosen columns, in the order chosen; a row none of them states is left out.
    chosen = built(source_ids=[seeds["003"].pk, seeds["002"].pk, 999_999])
    assert [s.pk for s in chosen.sources] == [seeds["003"].pk, seeds["002"].pk]
    assert [r.key for r in chosen.rows] == [f"contradiction-{asylum_count.pk}"]
    # Disagreement counts the chosen sources only: 002 alone disagrees with nobody shown.
    assert built(source_ids=[seeds["002"].pk]).rows[0].disagreeing == 1


@pytest.fixture
def asylum_count(seeds, make_claim, user):
    """A count contradiction between 002 and 003 beside the reconciled fact."""
    a = make_claim(seeds["002"], "300", kind="count")
    b = make_claim(seeds["003"], "two", kind="count")
    return contradiction_flag(claims=[a, b], user=user)


def test_two_contradictions_between_the_same_claims_make_one_row(seeds, asylum, user):
    from annotations.models import Contradiction

    contradiction, a, b = asylum
    twin = Contradiction.objects.create(kind="date", status="candidate", score=0.4)
    twin.claims.set([a, b])
    rows = built().rows
    assert len(rows) == 1 and [c.id for c in rows[0].contradictions] == [contradiction.pk, twin.pk]


def test_the_matrix_costs_the_same_few_queries_however_many_rows(seeds, make_claim, user, lead_user,
                                                                 django_assert_max_num_queries):
    texts = {"000": ["November 2012", "2019", "2013"], "001": ["August 16, 2012", "April 2019", "2012"],
             "002": ["July 2025", "September 1, 2025", "2019"], "003": ["November 16, 2022", "2023", "October 2021"]}
    claims = {k: [make_claim(seeds[k], t, property=f"point {i}") for i, t in enumerate(v)] for k, v in texts.items()}
    for i in range(3):  # three property rows, three contradictions, three facts
        flagged = contradiction_flag(claims=[claims["000"][i], claims["001"][i]], user=user)
        fact_reconcile(contradiction=flagged, user=lead_user, value_text="x", status="reconciled", rationale="r",
                       stances={claims["000"][i].pk: "supports", claims["001"][i].pk: "refutes"})
        contradiction_flag(claims=[claims["002"][i], claims["003"][i]], user=user)
        for k in ("000", "002"):
            make_claim(seeds[k], ["Ecuador", "United States", "Washington"][i], kind="entity", property=f"place {i}")
        make_claim(seeds["004"], ["Ecuador", "United States", "Noboa"][i], kind="entity", property=f"place {i}")
    with django_assert_max_num_queries(7):
        matrix = matrix_build()
    with django_assert_max_num_queries(1):
        matrix.fill(matrix.rows[:5])  # a page of rows
    assert len(matrix.rows) == 9 and all(c.stated for r in matrix.rows[:5] for c in r.cells.values())
    assert sum(len(r.sources) for r in matrix.rows) == 3 * 2 + 3 * 2 + 3 * 3


def test_a_fact_one_source_contradicts_sorts_before_a_point_three_sources_agree_on(seeds, fact, make_claim):
    for key, text in (("000", "2019"), ("001", "April 2019"), ("002", "2019")):
        make_claim(seeds[key], text, property="date asylum revoked")
    rows = built().rows
    assert [(r.status, r.disagreeing, len(r.sources)) for r in rows] == [("reconciled", 1, 2), ("agreed", 0, 3)]


def test_the_rows_are_built_again_only_when_the_data_changed(seeds, asylum, make_claim, user,
                                                              django_assert_num_queries):
    matrix_build()
    with django_assert_num_queries(2):  # what changed (nothing), and the sources
        assert len(matrix_build(kind="date").rows) == 1
    contradiction, a, _ = asylum
    make_claim(seeds["002"], "July 2025", property=a.property or "date asylum granted")
    make_claim(seeds["003"], "November 16, 2022", property=a.property or "date asylum granted")
    assert len(matrix_build().rows) == 2
    # The background reading of a claim (an update(), not a save) is a change too.
    from annotations.models import Claim
    from annotations.services import claim_describe

    from django.utils import timezone

    # As a candidate (the values decide; a reviewer's confirmation would make it disputed anyway).
    contradiction_set_status(contradiction=contradiction, status=ContradictionStatus.CANDIDATE, user=user)
    Claim.objects.filter(pk=a.pk).update(value={}, updated_at=timezone.now())
    key = f"contradiction-{contradiction.pk}"
    assert row_named(matrix_build(), key).status == "agreed"  # November 2012 no longer read as a date
    claim_describe(claim_id=a.pk)
    assert row_named(matrix_build(), key).status == "disputed"


def test_a_confirmed_contradiction_is_disputed_even_where_the_values_overlap(seeds, make_claim, user):
    from annotations.models import Contradiction

    a, b = make_claim(seeds["000"], "2019"), make_claim(seeds["001"], "April 2019")
    candidate = Contradiction.objects.create(kind="date", status="candidate", score=0.9)
    candidate.claims.set([a, b])
    row = built().rows[0]
    assert (row.status, row.disagreeing, row.label) == ("agreed", 0, "Date: 2019 vs April 2019")
    contradiction_set_status(contradiction=candidate, status=ContradictionStatus.CONFIRMED, user=user)
    row = built().rows[0]
    assert (row.status, row.disagreeing) == ("disputed", 2)


def test_one_outlier_among_sources_that_agree_is_the_one_source_that_disagrees(seeds, make_claim):
    for key, text in (("000", "2019"), ("001", "April 2019"), ("002", "2019"), ("003", "2023")):
        make_claim(seeds[key], text, property="date of the reform")
    row = built().rows[0]
    assert (row.status, row.conflicting, row.disagreeing) == ("disputed", {seeds["003"].pk}, 1)
