"""Import .txt/.md files (or folders of them) as sources, reporting each file."""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.errors import ImportRefused
from annotations.importing import IMPORTABLE_SUFFIXES
from annotations.services import source_import, sources_analyse


def iter_source_files(paths: list[Path]) -> list[Path]:
    """Files named directly, plus the .txt/.md files inside named folders, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{path} does not exist.")
    return files


class Command(BaseCommand):
    help = "Import text files, or folders of .txt/.md files, as sources."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--no-analysis", action="store_true",
                            help="Skip claim suggestion and contradiction detection.")

    def handle(self, *args, paths, **options):
        files = iter_source_files(paths)
        if not files:
            raise CommandError("No .txt or .md files found in " + ", ".join(map(str, paths)) + ".")
        imported = refused = 0
        new_sources = []
        # The bar (rate and ETA) goes to stderr; the per-file report to stdout.
        bar = tqdm(total=len(files), desc="Importing", unit="file", file=sys.stderr,
                   disable=options.get("verbosity", 1) == 0)
        for number, path in enumerate(files, 1):
            bar.update(1)
            prefix = f"[{number}/{len(files)}] {path}"
            try:
                source = source_import(name=path.name, raw=path.read_bytes())
            except ImportRefused as exc:
                refused += 1
                self.stdout.write(self.style.WARNING(f"{prefix}: refused: {exc.reason}"))
            else:
                imported += 1
                new_sources.append(source)
                self.stdout.write(f"{prefix}: imported as “{source.title}” ({len(source.text):,} characters)")
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"{imported} imported, {refused} refused."))
        if new_sources and not options["no_analysis"]:
            reading = tqdm(total=len(new_sources), desc="Reading sources", unit="source", file=sys.stderr,
                           disable=options.get("verbosity", 1) == 0)
            suggested, candidates = sources_analyse(
                sources=new_sources, progress=lambda done, total: reading.update(1))
            reading.close()
            self.stdout.write(f"Read {len(new_sources)} sources: suggested {suggested} claims; "
                              f"{candidates} contradiction candidates.")
