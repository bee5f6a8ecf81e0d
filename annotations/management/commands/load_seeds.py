"""Load the seed documents once; running it again imports nothing twice."""
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from annotations.importing import sha256_of
from annotations.models import Source
from annotations.services import source_import, sources_analyse

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


def load_seeds(seeds_dir: Path = SEEDS_DIR, *, analyse: bool = True) -> tuple[list[Source], int]:
    """Import every seed not yet imported, then suggest claims and contradictions in them;
    returns (new sources, number already there)."""
    manifest_path = seeds_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    created, present = [], 0
    for path in sorted(seeds_dir.glob("*.txt")):
        raw = path.read_bytes()
        if Source.objects.filter(raw_sha256=sha256_of(raw)).exists():
            present += 1
            continue
        created.append(source_import(name=path.name, raw=raw, metadata=manifest.get(path.name, {})))
    if created and analyse:
        sources_analyse(sources=created)
    return created, present


class Command(BaseCommand):
    help = "Import the seed documents in seeds/ (idempotent)."

    def handle(self, *args, **options):
        created, present = load_seeds()
        for source in created:
            self.stdout.write(f"Loaded seed {source.origin}: “{source.title}”")
        self.stdout.write(self.style.SUCCESS(f"Seeds: {len(created)} loaded, {present} already present."))
