"""Peak memory of every export over many claims: streamed exports stay bounded.

    python -m bench.export_memory [--claims 100000]

Builds a throwaway SQLite database (nothing else is touched) with one source per 1,000
claims, contradictions between pairs of them and a fact per 50 contradictions, then runs each
export to /dev/null and prints its time and the peak Python heap (tracemalloc) it needed.
"""
import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="bench-export-")
    os.environ["WORKBENCH_SQLITE_PATH"] = str(Path(workdir) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from annotations.exports import FORMATS, TABLE_FORMATS, WHATS, export_lines
    from annotations.models import Claim, Contradiction, Evidence, Fact, Source

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench")
    per_source = 1000
    sentence = "In March 2014 the council approved $1.2 billion for 3,000 workers. "
    started = time.perf_counter()
    sources = Source.objects.bulk_create([
        Source(title=f"Source {i}", origin=f"s{i}.txt", text=sentence * per_source, raw_sha256=f"{i:064x}")
        for i in range(max(1, args.claims // per_source))
    ])
    claims = []
    for source in sources:
        for j in range(per_source):
            start = j * len(sentence) + 3
            claims.append(Claim(source=source, start=start, end=start + 10, exact=source.text[start:start + 10],
                                kind="date", value={"type": "date", "start": "2014-03-01", "end": "2014-03-31",
                                       "granularity": "month", "text": "March 2014"},
                                created_by=user))
    Claim.objects.bulk_create(claims, batch_size=5000)
    claim_ids = list(Claim.objects.values_list("pk", flat=True))
    contradictions = Contradiction.objects.bulk_create(
        [Contradiction(kind="date", status="confirmed", note="bench") for _ in range(len(claim_ids) // 20)])
    through = Contradiction.claims.through
    through.objects.bulk_create(
        [through(contradiction_id=c.pk, claim_id=claim_ids[i * 2 + k]) for i, c in enumerate(contradictions)
         for k in (0, 1)], batch_size=5000)
    facts = Fact.objects.bulk_create([Fact(subject=f"point {i}", value_text="March 2014", rationale="bench",
                                           reconciled_at=timezone.now(), reviewer=user)
                                      for i in range(len(contradictions) // 50)])
    Evidence.objects.bulk_create([Evidence(fact=f, claim_id=claim_ids[i * 2], stance="supports")
                                  for i, f in enumerate(facts)])
    print(f"{Claim.objects.count():,} claims, {len(contradictions):,} contradictions, {len(facts):,} facts "
          f"in {len(sources)} sources (built in {time.perf_counter() - started:.1f} s)")
    print(f"{'export':<26}{'seconds':>9}{'MB out':>9}{'peak heap MB':>14}")
    runs = [(what, fmt) for fmt in TABLE_FORMATS for what in WHATS] + [
        ("all", fmt) for fmt in FORMATS if fmt not in TABLE_FORMATS]
    for what, fmt in runs:
        tracemalloc.start()
        started = time.perf_counter()
        size = 0
        with open(os.devnull, "w", encoding="utf-8") as sink:
            for chunk in export_lines(what=what, fmt=fmt):
                size += len(chunk.encode("utf-8"))
                sink.write(chunk)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{what + ' ' + fmt:<26}{elapsed:>9.1f}{size / 1e6:>9.1f}{peak / 1e6:>14.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
