"""Matching's small rules, each on claims written for it: which claims can be set against
each other, how alike two claims are, what the score's features say and what the reviewer
reads. Written against the mutants a mutation run of annotations/matching.py left alive
(issue 15)."""
import math

import pytest

from annotations.matching import (
    _comparability,
    _dice,
    _explain,
    _key_weights,
    _likeness_of,
    _same_subject,
    _stated_beside,
    _strong,
    pair_features,
)
from annotations.values import describe, parse_value

from .test_matching import view

FEATURES = {"idf": {}, "common": frozenset(), "sentence": 0.5, "lexical": True}


def claim(kind, text, source="a", prop="", **context):
    """test_matching's ``view`` with its value masked by its kind."""
    return view(source, kind, text, f"[{kind.upper()}]", prop=prop, **context)


def test_money_is_comparable_within_its_currency_or_its_family():
    dollars, euros, yen = claim("money", "$4 million"), claim("money", "€4 million"), claim("money", "JPY 400 million")
    pesos, clp = claim("money", "5,600 pesos"), claim("money", "CLP 6,500")
    assert _comparability(dollars) == "USD" and _comparability(euros) == "EUR"
    assert _comparability(pesos) == _comparability(clp) == "peso"
    # A currency of no family is its own class, not one with every other such currency.
    assert _comparability(yen) not in {None, _comparability(dollars)}


def test_measures_are_comparable_by_dimension_a_yearly_rate_with_its_amount():
    length, rate, mass = claim("measure", "48 km"), claim("measure", "450 kt/yr"), claim("measure", "640,000 tonnes")
    assert _comparability(length) == length.value["dimension"] is not None
    assert _comparability(rate) == _comparability(mass) != _comparability(length)
    assert _comparability(claim("count", "41")) is None


def test_weighted_dice_counts_rare_shared_words_more():
    idf = {"a": 1.0, "b": 2.0, "c": 3.0}
    assert _dice({"a", "b"}, {"b", "c"}, idf) == pytest.approx(2 * 2.0 / (3.0 + 5.0))
    assert _dice({"a"}, {"a"}, idf) == 1.0 and _dice(set(), {"a"}, idf) == 0.0


def test_key_weights_rise_with_rarity_and_the_commonest_keys_prove_nothing():
    views = [claim("count", str(n)) for n in range(12)]
    for n, view in enumerate(views):
        view.keys = {"flood"} | ({"storm"} if n < 6 else set()) | ({"malawi"} if n < 2 else set())
    idf, common = _key_weights(views)
    assert idf["malawi"] == pytest.approx(math.log(13 / 2) + 0.5)
    assert idf["flood"] == pytest.approx(math.log(13 / 12) + 0.5)
    assert common == {"flood", "storm"}  # in more than max(5, a tenth of the claims)


def test_likeness_adds_meaning_focus_words_sentence_and_clause_words():
    a, b = claim("count", "41", keys=["people", "died"]), claim("count", "47", source="b", keys=["people", "died"])
    a.keys = b.keys = {"died"}
    assert _likeness_of(a, b, {}, 0.5) == pytest.approx(0.0 + 1.0 + 0.5 + 1.0)  # no vectors: no meaning
    b.context["keys"] = ["rescued"]
    assert _likeness_of(a, b, {}, 0.5) == pytest.approx(1.5)


def test_people_named_apart_or_things_done_differently_are_other_subjects():
    moreno = claim("date", "2013", people=["Moreno"])
    assert not _same_subject(moreno, claim("date", "2015", source="b", people=["Correa"]))
    assert _same_subject(moreno, claim("date", "2015", source="b", people=["Moreno", "Correa"]))
    assert _same_subject(claim("date", "2013"), claim("date", "2015", source="b", people=["Correa"]))


def test_a_value_stated_beside_a_count_that_agrees_with_the_other_claim_marks_two_things():
    total = claim("count", "301", beside=[parse_value("count", "214")])
    table = claim("count", "214", source="b")
    assert _stated_beside(total, table) and _stated_beside(table, total)
    assert not _stated_beside(claim("count", "301"), table)
    dated = claim("date", "2013", anchors=[{"value": parse_value("date", "2011"), "text": "2011"}])
    assert _stated_beside(dated, claim("date", "2011", source="b"))


def test_two_direct_counts_are_strong_only_through_a_shared_act():
    a = claim("count", "41", direct=True)
    b = claim("count", "47", source="b", direct=True)
    a.keys, b.keys = {"act:die"}, {"act:die"}
    assert _strong(a, b, frozenset())  # "41 died" and "47 lost their lives"
    a.keys, b.keys = {"people"}, {"houses"}
    assert not _strong(a, b, frozenset())  # both direct, nothing shared


def test_the_value_gap_is_a_date_gap_for_dates_only():
    dates = pair_features(claim("date", "2013"), claim("date", "2019", source="b"), **FEATURES)[0]
    counts = pair_features(claim("count", "41"), claim("count", "4100", source="b"), **FEATURES)[0]
    assert dates["date_gap"] > 0 and dates["gap"] == 0.0
    assert counts["gap"] > 0 and counts["date_gap"] == 0.0


def test_property_likeness_ignores_case_and_undated_is_for_offices_only():
    deaths = pair_features(claim("count", "41", prop="Deaths"), claim("count", "47", source="b", prop="deaths"),
                           **FEATURES)[0]
    assert deaths["property"] == 1.0 and deaths["undated"] == 0.0
    holder = {"type": "entity", "name": "Ana Torres", "role": "minister of health"}
    other = dict(holder, name="Luis Vera")
    offices = pair_features(claim("entity", "Ana Torres", value=holder),
                            claim("entity", "Luis Vera", source="b", value=other), **FEATURES)[0]
    assert offices["undated"] == 1.0


def test_the_explanation_says_what_both_measure_each_value_as_read_and_when_they_mean_the_same():
    a, b = claim("count", "41", prop="deaths"), claim("count", "47", source="b", prop="deaths")
    a.keys = b.keys = set()
    said = _explain(a, b, [], {"semantic": 0.72})
    assert said == (f"Both measure deaths. Their sentences mean nearly the same (similarity 0.72). "
                    f"“41” ({describe(a.value)}) and “47” ({describe(b.value)}) cannot both be true: "
                    f"the values do not overlap.")
    assert "mean nearly the same" not in _explain(a, b, [], {"semantic": 0.59})


def test_the_explanation_of_two_office_holders_says_whether_their_dates_are_known():
    holder = {"type": "entity", "name": "Ana Torres", "role": "minister of health"}
    a = claim("entity", "Ana Torres", value=holder)
    b = claim("entity", "Luis Vera", source="b", value=dict(holder, name="Luis Vera"))
    a.keys = b.keys = set()
    assert "The same role (minister of health) at matching dates is held by Ana Torres in one source and " \
           "Luis Vera in the other." in _explain(a, b, [], {"undated": 0.0})
    assert "at dates the sources do not give" in _explain(a, b, [], {"undated": 1.0})


def _dated(exact, source, verb, year):
    return claim("money", exact, source=source, verb=verb,
                 anchors=[{"value": parse_value("date", year), "text": year}])


def test_two_events_dated_and_done_differently_are_said_to_be_so():
    from annotations.matching import _notes

    notes, flags = _notes(_dated("$20 million", "a", "pledge", "2025"), _dated("$25 million", "b", "sign", "2024"))
    assert notes == ["But they are likely two different events: “$20 million” (pledge, 2025) and "
                     "“$25 million” (sign, 2024) are dated differently."]
    assert flags == {"anchors_differ": True, "acts_differ": True, "what_differs": False}


# --- which scored pairs become candidates (find_candidates over given scores) ---------------


def candidates_from(monkeypatch, scored):
    """find_candidates over pairs scored as given: (a, b, score, features)."""
    from annotations import matching

    base = {"best_match": 0.5, "anchors_differ": False, "acts_differ": False, "what_differs": False}
    monkeypatch.setattr(matching, "scored_pairs", lambda views, workers=-1: [
        (a, b, base | features, [], score) for a, b, score, features in scored])
    return {tuple(sorted(ref[1] for ref in c.claims)) for c in matching.find_candidates([])}


def test_a_low_score_is_shown_only_for_mutual_best_matches_lower_still_when_dated_apart(monkeypatch):
    from annotations.matching import CANDIDATE_FLOOR

    pairs = [claim("count", str(n), source=s) for n in (10, 20, 30, 40) for s in "ab"]
    shown = candidates_from(monkeypatch, [
        (pairs[0], pairs[1], CANDIDATE_FLOOR * 0.9, {}),                       # not mutual: under the floor
        (pairs[2], pairs[3], CANDIDATE_FLOOR * 0.6, {"best_match": 1.0}),      # mutual: down to half
        (pairs[4], pairs[5], CANDIDATE_FLOOR * 0.4, {"best_match": 1.0}),      # mutual, under half
        (pairs[6], pairs[7], CANDIDATE_FLOOR * 0.3, {"best_match": 1.0, "anchors_differ": True}),  # a quarter
    ])
    assert shown == {("20", "20"), ("40", "40")}


def test_a_claim_keeps_its_best_pairs_unless_the_other_claim_still_has_room(monkeypatch):
    a, b1, b2, b3 = claim("count", "1"), claim("count", "21", "b"), claim("count", "22", "c"), claim("count", "23", "d")
    c1, c2 = claim("count", "31", "e"), claim("count", "32", "f")
    d, e = claim("count", "51", "g"), claim("count", "52", "h")
    shown = candidates_from(monkeypatch, [
        (b3, c1, 0.95, {}), (b3, c2, 0.94, {}),    # b3 has its two
        (a, b1, 0.9, {}), (a, b2, 0.8, {}),        # a has its two
        (a, b3, 0.7, {}),                          # both full: dropped
        (d, e, 0.6, {}),                           # and the pairs after it are still weighed
    ])
    assert shown == {("23", "31"), ("23", "32"), ("1", "21"), ("1", "22"), ("51", "52")}


def test_claims_agreeing_against_one_point_join_one_candidate_each_once():
    from annotations.matching import _merge

    a, d = claim("date", "2010"), claim("date", "2010", source="d")
    b, c = claim("date", "2011", source="b"), claim("date", "2011", source="c")
    found = [(0.9, "A vs B", False, a, b), (0.8, "A vs C", True, a, c), (0.7, "D vs B", True, d, b),
             (0.6, "D vs C", True, d, c)]
    [candidate] = _merge(found)
    assert candidate.claims == [a.ref, b.ref, c.ref, d.ref]  # each claim once
    assert (candidate.score, candidate.explanation, candidate.unsure) == (0.9, "A vs B", False)
    assert candidate.unsure is False
    [unsure] = _merge(found[1:2])
    assert unsure.unsure is True


def test_an_office_holder_is_blocked_by_the_role_held_and_only_by_a_role_read():
    from annotations.matching import _keys

    held = claim("entity", "Ana Torres", value={"type": "entity", "name": "Ana Torres", "role": "minister of health"},
                 focus=["visited"])
    unnamed = claim("entity", "Ana Torres", value={"type": "entity", "name": "Ana Torres", "role": ""},
                    focus=["visited"])
    assert _keys(held) == {"visited", "role:minister of health"}
    assert _keys(unnamed) == {"visited"}  # no role read: no empty role shared with every such claim
