"""Propose contradiction candidates and print them (JSON or a table)."""
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from annotations.models import Source
from annotations.services import contradictions_detect


def candidate_record(contradiction, candidate) -> dict:
    return {
        "kind": candidate.kind,
        "score": candidate.score,
        "explanation": candidate.explanation,
        "contradiction_id": contradiction.pk,
        "claims": [
            {"source": c.source.origin, "start": c.start, "end": c.end, "exact": c.exact,
             "prefix": c.prefix, "suffix": c.suffix, "value": c.value}
            for c in candidate.claims
        ],
    }


class Command(BaseCommand):
    help = "Detect contradiction candidates across sources; saves them for review and prints them."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="table", dest="fmt")
        parser.add_argument("--sources", nargs="+", metavar="SOURCE",
                            help="Only candidates touching these sources (ids or origin file names).")
        parser.add_argument("--min-score", type=float, default=settings.WORKBENCH_MIN_SCORE,
                            help=f"Print only candidates scoring at least this (default {settings.WORKBENCH_MIN_SCORE}, the WORKBENCH_MIN_SCORE setting).")

    def handle(self, *args, fmt, sources, min_score, **options):
        if not 0 <= min_score <= 1:
            raise CommandError("--min-score must lie between 0 and 1.")
        chosen = None
        if sources:
            query = Q()
            for name in sources:
                query |= Q(origin=name) | (Q(pk=int(name)) if name.isdigit() else Q())
            chosen = list(Source.objects.filter(query))
            missing = set(sources) - {s.origin for s in chosen} - {str(s.pk) for s in chosen}
            if missing:
                raise CommandError("Unknown sources: " + ", ".join(sorted(missing)))
        found = contradictions_detect(sources=chosen)
        records = [candidate_record(c, cand) for c, cand in found if cand.score >= min_score]
        records.sort(key=lambda r: -r["score"])
        if fmt == "json":
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
            return
        below = len(found) - len(records)
        for r in records:
            claims = "  vs  ".join(f"“{c['exact']}” ({c['source']}:{c['start']})" for c in r["claims"])
            self.stdout.write(f"{r['score']:.2f}  {r['kind']:<8} {claims}\n      {r['explanation']}")
        self.stdout.write(self.style.SUCCESS(
            f"{len(records)} candidates at score ≥ {min_score}; {below} more below it (low confidence)."
        ))
