"""Fit the contradiction score's weights on labelled pairs from the tuning sets.

    python -m bench.fit_scores [SET ...] [--write]

Every pair the detector scores on a set (``matching.scored_pairs``) is labelled 1 when it
sets the two sides of a gold contradiction against each other, else 0; a logistic regression
(scikit-learn, L2) on the pairs' features gives the weights, once with the embedding
feature and once without it (the rules alone, for machines without the model). It prints,
for each set, the precision and recall at 0.5 of weights fitted on the other sets only (the
honest figure), then, with ``--write``, saves the weights fitted on all the sets named to
annotations/score_weights.json. The held-out set is refused.
"""
import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests/eval/dev"
TUNING = ["cyclone_tendai", "quilanto_bridge"]
# Features left out in each mode: without the model, nothing that weighs meaning.
MODES = {"embedding": None, "rules": {"semantic", "best_match*semantic", "semantic*property"}}


def labelled_pairs(name: str) -> dict[str, list[tuple[dict, int, bool]]]:
    """{mode: [(features, label, trap) of every scored pair of one set]}."""
    from annotations.evaluation import DevSet, _gold_side, _matches, embed_views, views_of

    devset = DevSet.load(DEV / name)
    views = embed_views(views_of(devset.normalised))
    items = [(_gold_side(devset.saved, g["a"]), _gold_side(devset.saved, g["b"]))
             for g in devset.gold["contradictions"]]
    traps = [(_gold_side(devset.saved, t["a"]), _gold_side(devset.saved, t["b"]))
             for t in devset.gold["non_contradictions"]]
    def label(a, b):
        pair = devset.sides(a.ref, b.ref)
        return int(any(_matches(pair, item) for item in items)), any(_matches(pair, trap) for trap in traps)

    return _by_mode(views, label)


def _by_mode(views, label) -> dict[str, list[tuple[dict, int, bool]]]:
    """The labelled rows of each mode: with the embeddings, and as the rules alone see the
    claims (no vectors: other pairs, and best matches without meaning)."""
    from annotations.matching import scored_pairs, with_interactions

    rows = {"embedding": [(with_interactions(features), *label(a, b)) for a, b, features, _, _ in scored_pairs(views)]}
    for view in views:
        view.vector = None
    rows["rules"] = [(with_interactions(features), *label(a, b)) for a, b, features, _, _ in scored_pairs(views)]
    return rows


# The team's own sets (tests/eval/docs, second, third, and the seeds with the one contradiction
# known in them): written and tuned on here, so they
# are never evaluation figures, but their gold pairs are labelled examples like any other.
TEAM = {"team:dam": ("docs", "gold.json"), "team:hospital": ("second/docs", "second/gold.json"),
        "team:ferry": ("third/docs", "third/gold.json"), "team:seeds": ("../../seeds", "seeds/gold.json")}


def team_pairs(name: str) -> dict[str, list[tuple[dict, int, bool]]]:
    from annotations.evaluation import _spans, embed_views, load_folder, load_gold, views_of

    folder, gold_file = TEAM[name]
    docs = load_folder(ROOT / "tests/eval" / folder)
    gold = load_gold(ROOT / "tests/eval" / gold_file)
    items = [_spans(docs, g["claims"]) for g in gold["contradictions"]]
    traps = [_spans(docs, t["claims"]) for t in gold.get("traps", [])]

    def covers(ref, spans):
        doc, s = ref
        return {i for i, (name_, start, end) in enumerate(spans) if name_ == doc and s.start < end and start < s.end}

    def sets_against(a, b, spans):
        x, y = covers(a, spans), covers(b, spans)
        return any(i != j and spans[i][0] != spans[j][0] for i in x for j in y)

    def label(a, b):
        return (int(any(sets_against(a.ref, b.ref, spans) for spans in items)),
                any(sets_against(a.ref, b.ref, spans) for spans in traps))

    return _by_mode(embed_views(views_of(docs)), label)


# Right pairs are weighed this many times a wrong one: there are some 20 wrong pairs to a
# right one, and unweighed the fit puts the 0.5 line where little but the surest pairs pass.
POSITIVE_WEIGHT = 2.0


def fit(rows, leave_out: set, positive_weight: float = POSITIVE_WEIGHT) -> dict:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    names = sorted({k for features, _, _ in rows for k in features} - leave_out)
    x = np.array([[features.get(n, 0.0) for n in names] for features, _, _ in rows])
    y = np.array([label for _, label, _ in rows])
    model = LogisticRegression(C=1.0, class_weight={0: 1.0, 1: positive_weight}, max_iter=2000).fit(x, y)
    return {"bias": round(float(model.intercept_[0]), 4),
            **{n: round(float(w), 4) for n, w in zip(names, model.coef_[0])}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=TUNING)
    parser.add_argument("--team", action="store_true",
                        help="also fit on the team's own sets (tests/eval/docs, second, third)")
    parser.add_argument("--write", action="store_true", help="save the weights fitted on all sets")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from bench.evaluate_detection import HELD_OUT
    from annotations.matching import _probability

    if HELD_OUT & set(args.sets):
        parser.error(f"{', '.join(sorted(HELD_OUT & set(args.sets)))} is held out: nothing is fitted on it")
    by_set = {name: labelled_pairs(name) for name in args.sets}
    if args.team:
        by_set |= {name: team_pairs(name) for name in TEAM}
    weights = {}
    for mode, leave_out in MODES.items():
        leave_out = leave_out or set()
        rows = {name: modes[mode] for name, modes in by_set.items()}
        for name in args.sets:
            others = [r for n, rs in rows.items() if n != name for r in rs]
            if not others:
                continue
            w = fit(others, leave_out)
            chosen = [(label, trap) for features, label, trap in rows[name] if _probability(features, w) >= 0.5]
            positives = sum(label for _, label, _ in rows[name])
            print(f"{mode:<10} {name:<18} fitted on the others: {len(chosen):>4} pairs at 0.5, "
                  f"{sum(l for l, _ in chosen):>3} right of {positives} right pairs, "
                  f"traps {sum(t for _, t in chosen)}")
        weights[mode] = fit([r for rs in rows.values() for r in rs], leave_out)
        print(f"{mode:<10} all sets: {json.dumps(weights[mode])}")
    if args.write:
        path = ROOT / "annotations/score_weights.json"
        path.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
        print(f"written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
