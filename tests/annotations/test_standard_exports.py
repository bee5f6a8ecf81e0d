"""Web Annotation and ClaimReview exports, checked by the standards' own validators."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.claim_review import claim_sentence
from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Claim
from annotations.services import contradiction_flag, fact_reconcile

# The shared conformance material beside the checkout (CI clones the project next to shared/).
CONFORMANCE = Path(os.environ.get("WORKBENCH_CONFORMANCE_DIR",
                                  Path(__file__).resolve().parents[3] / "shared" / "conformance"))


@pytest.fixture
def reviewed_seeds(db, user):
    load_seeds()  # with suggested claims and candidates
    nov = Claim.objects.get(exact="November 2012")
    aug = Claim.objects.get(exact="August 16, 2012")
    contradiction = next(c for c in nov.contradictions.all() if aug in c.claims.all())
    fact_reconcile(contradiction=contradiction, user=user, value_text="16 August 2012", status="reconciled",
                   rationale="Patiño announced the grant on 16 August 2012.",
                   stances={nov.pk: "refutes", aug.pk: "supports"}, subject="Julian Assange",
                   property="date asylum was granted")
    twenty = Claim.objects.get(exact="$20 million dollars")
    twenty_five = Claim.objects.filter(exact="$25 million").first()
    aid = contradiction_flag(claims=[twenty, twenty_five], user=user, note="Two packages?")
    fact_reconcile(contradiction=aid, user=user, value_text="two different packages", status="disputed",
                   rationale="One pledged in 2025, one signed in 2024.",
                   stances={twenty.pk: "supports", twenty_five.pk: "supports"}, subject="US security aid")


def run_validator(script: str, path: Path) -> subprocess.CompletedProcess:
    assert (CONFORMANCE / script).exists(), f"{CONFORMANCE / script} is missing: shared/ must sit beside the checkout"
    return subprocess.run([sys.executable, str(CONFORMANCE / script), str(path)],
                          capture_output=True, text=True, timeout=600)


def export_to(tmp_path, fmt) -> Path:
    out = tmp_path / f"export.{fmt}.json"
    call_command("export", "--format", fmt, "--output", str(out))
    return out


def test_web_annotation_export_passes_the_w3c_suite(reviewed_seeds, tmp_path):
    out = export_to(tmp_path, "webannotation")
    collection = json.loads(out.read_text())
    items = collection["first"]["items"]
    assert collection["type"] == "AnnotationCollection" and collection["total"] == len(items)
    motivations = {i["motivation"] for i in items}
    assert motivations == {"tagging", "linking", "assessing"}
    claim = next(i for i in items if i["motivation"] == "tagging")
    quote, position = claim["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    result = run_validator("validate_web_annotation.py", out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    # every annotation, and the collection and its page around them, checked and passed
    assert result.stdout.splitlines()[-1] == f"{len(items) + 2} passed, 0 failed"


def test_claimreview_export_passes_the_validator(reviewed_seeds, tmp_path):
    out = export_to(tmp_path, "claimreview")
    reviews = json.loads(out.read_text())
    assert len(reviews) == 4  # two facts, two pieces of evidence each
    nov = next(r for r in reviews if "November 2012" in r["claimReviewed"])
    assert nov["reviewRating"]["ratingValue"] == 1
    assert nov["reviewRating"]["alternateName"].startswith("Inaccurate: Julian Assange")
    assert "16 August 2012" in nov["reviewRating"]["alternateName"]
    assert len(nov["claimReviewed"]) <= 75
    assert nov["itemReviewed"]["appearance"]["name"].startswith("Ecuador–United States relations")
    result = run_validator("validate_claimreview.py", out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "4 passed, 0 failed" in result.stdout


def test_claim_sentence_keeps_the_quote_within_75_characters():
    text = ("Relations between the two nations have been strained. Ecuador offered political asylum "
            "to Julian Assange in November 2012, following long negotiations with many parties.[3] Next.")
    start = text.index("November 2012")
    sentence = claim_sentence(text, start, start + 13)
    assert "November 2012" in sentence and len(sentence) <= 75 and "[3]" not in sentence
