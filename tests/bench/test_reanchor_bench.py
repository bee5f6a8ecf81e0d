"""`python -m bench reanchor` runs on a small corpus and prints its last line in the agreed
form; on it no claim is anchored in a wrong place and every deleted claim is listed as an
orphan (the time it prints is a measurement, not asserted)."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_reanchor_benchmark_prints_its_figures_and_anchors_nothing_wrongly(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench", "reanchor", "--claims", "600", "--words", "3000", "--long-claims", "200"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    figures = re.fullmatch(r"right: ([\d.]+) %, wrong: (\d+), orphans listed: ([\d.]+) %, 50k-word source: [\d.]+ s", last)
    assert figures, last
    assert float(figures[1]) >= 99 and figures[2] == "0" and float(figures[3]) == 100.0
