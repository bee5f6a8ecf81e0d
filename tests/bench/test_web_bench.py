"""`python -m bench web` runs end to end on a tiny corpus: it serves with gunicorn under the
production settings, drives reviewers through every action, and finds every acknowledged
write in the database (the figures it prints are not asserted: they are measurements)."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_web_benchmark_drives_every_action_and_loses_no_write(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench", "web", "--users", "3", "--seconds", "4", "--docs", "6",
         "--annotations", "10", "--list-repeats", "3", "--workers", "2", "--threads", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    for action in ["claim write (API, 1 client)", "list 100 claims (API, 1 client)", "open side by side",
                   "tag claim (htmx)", "flag contradiction (htmx)", "reconcile into a fact", "list 100 claims (API)"]:
        row = next(line for line in out.splitlines() if line.startswith(action))
        n, errors = int(row.split()[-7]), int(row.split()[-2])
        assert n > 0 and errors == 0, row
    written = re.search(r"writes acknowledged: (\d+); found in the database as acknowledged: (\d+); "
                        r"missing or different: (\d+)", out)
    assert written and int(written[1]) > 10 and written[1] == written[2] and written[3] == "0"
