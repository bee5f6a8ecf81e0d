"""Precision, recall and F1 of the contradiction detector, per kind, on a gold-annotated folder.

    python -m bench.evaluate_detection [--docs tests/eval/docs] [--gold tests/eval/gold.json] [--min-score 0.5]
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "tests/eval/docs")
    parser.add_argument("--gold", type=Path, default=ROOT / "tests/eval/gold.json")
    parser.add_argument("--min-score", type=float, default=0.5)
    parser.add_argument("--show", action="store_true", help="Print every confident candidate.")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from annotations.evaluation import evaluate, load_folder, load_gold

    docs = load_folder(args.docs)
    started = time.perf_counter()
    result = evaluate(docs, load_gold(args.gold), min_score=args.min_score)
    elapsed = time.perf_counter() - started
    print(f"{len(docs)} documents, min score {args.min_score}, {elapsed:.2f} s (spaCy load included)")
    print(f"{'kind':<10}{'tp':>4}{'fp':>4}{'fn':>4}{'precision':>11}{'recall':>8}{'F1':>7}")
    for kind, s in sorted(result["per_kind"].items()):
        print(f"{kind:<10}{s.tp:>4}{s.fp:>4}{s.fn:>4}{s.precision:>11.2f}{s.recall:>8.2f}{s.f1:>7.2f}")
    t = result["total"]
    print(f"{'all':<10}{t.tp:>4}{t.fp:>4}{t.fn:>4}{t.precision:>11.2f}{t.recall:>8.2f}{t.f1:>7.2f}")
    print("traps fallen into: " + (", ".join(result["traps"]) or "none"))
    if args.show:
        for c in result["candidates"]:
            print(f"  {c.score:.2f} {c.kind}: " + " | ".join(f"{n}:{s.exact}" for n, s in c.claims))
            print(f"       {c.explanation}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
