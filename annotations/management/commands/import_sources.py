"""Import .txt/.md files (or folders of them) as sources, reporting each file.

Files are imported a chunk at a time (one bulk insert each) and each chunk is read by spaCy
before the next, so an interrupted run loses at most one chunk's work: running it again
skips what was imported, reads any source left unread, and finishes the rest.
"""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from annotations.errors import WorkbenchError
from annotations.importing import IMPORTABLE_SUFFIXES
from annotations.models import Source
from annotations.services import claims_suggest, contradictions_detect, source_revise, sources_import_many

CHUNK = 200


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
        parser.add_argument("--chunk", type=int, default=CHUNK,
                            help=f"Files imported and read per step (default {CHUNK}).")
        parser.add_argument("--revision-of", type=int, metavar="ID",
                            help="Import the one FILE as a new version of source ID: its claims are "
                                 "re-anchored in the new text, corrections and orphans reported.")

    def handle(self, *args, paths, chunk, **options):
        if options.get("revision_of") is not None:
            return self.revise(paths, options["revision_of"])
        try:
            self.import_files(paths, chunk, **options)
        except KeyboardInterrupt:
            self.stderr.write("\nInterrupted. What was saved stays saved; run the same command again to "
                              "finish the rest (nothing is imported twice).")
            raise SystemExit(130)

    def import_files(self, paths, chunk, **options):
        files = iter_source_files(paths)
        if not files:
            raise CommandError("No .txt or .md files found in " + ", ".join(map(str, paths)) + ".")
        analyse = not options["no_analysis"]
        quiet = options.get("verbosity", 1) == 0
        counts = {"imported": 0, "already there": 0, "refused": 0}
        suggested = 0
        started = timezone.now()
        read = 0  # sources read by spaCy in this run (their text is not kept around)
        # The bar (rate and ETA) goes to stderr; the per-file report to stdout.
        bar = tqdm(total=len(files), desc="Importing and reading" if analyse else "Importing", unit="file",
                   file=sys.stderr, disable=quiet)
        for first in range(0, len(files), max(1, chunk)):
            paths_now = files[first:first + chunk]
            outcomes = sources_import_many(files=[(p.name, p.read_bytes()) for p in paths_now])
            for number, (path, outcome) in enumerate(zip(paths_now, outcomes), first + 1):
                prefix = f"[{number}/{len(files)}] {path}"
                if outcome.source is not None:
                    counts["imported"] += 1
                    self.stdout.write(f"{prefix}: imported as “{outcome.source.title}” "
                                      f"({len(outcome.source.text):,} characters)")
                elif outcome.duplicate_of is not None and outcome.duplicate_of.origin == path.name:
                    counts["already there"] += 1  # an earlier run imported it
                    self.stdout.write(f"{prefix}: already imported as “{outcome.duplicate_of.title}”")
                elif outcome.same_origin is not None:
                    counts["refused"] += 1
                    older = outcome.same_origin
                    self.stdout.write(self.style.WARNING(
                        f"{prefix}: refused: “{older.title}” (#{older.pk}) came from {path.name} too, with other "
                        f"bytes. If this is its new version, run: import_sources --revision-of {older.pk} {path}"))
                else:
                    counts["refused"] += 1
                    self.stdout.write(self.style.WARNING(f"{prefix}: refused: {outcome.reason}"))
            new = [o.source for o in outcomes if o.source is not None]
            if analyse and new:
                suggested += claims_suggest(sources=new)
                read += len(new)
            bar.update(len(paths_now))
            bar.set_postfix(counts, refresh=False)
        bar.close()
        self.stdout.write(self.style.SUCCESS(
            f"{counts['imported']} imported, {counts['already there']} already there, {counts['refused']} refused."))
        if not analyse:
            return
        # Sources an interrupted run saved but did not get to read.
        unread = list(Source.objects.filter(analysed_at__isnull=True))
        if unread:
            reading = tqdm(total=len(unread), desc="Reading unread sources", unit="source", file=sys.stderr,
                           disable=quiet)
            suggested += claims_suggest(sources=unread, progress=lambda done, total: reading.update(1))
            reading.close()
            read += len(unread)
        if read:
            found = contradictions_detect(sources=Source.objects.filter(analysed_at__gte=started).only("id"))
            self.stdout.write(f"Read {read} sources: suggested {suggested} claims; "
                              f"{len(found)} contradiction candidates.")

    def revise(self, paths: list[Path], source_id: int) -> None:
        if len(paths) != 1 or not paths[0].is_file():
            raise CommandError("--revision-of takes exactly one file: the new version's text.")
        path = paths[0]
        source = Source.objects.filter(pk=source_id).first()
        if source is None:
            raise CommandError(f"There is no source #{source_id}.")
        try:
            revision = source_revise(source=source, raw=path.read_bytes(), user=None, name=path.name)
        except WorkbenchError as exc:
            raise CommandError(str(exc)) from exc
        new = revision.source
        suggested = claims_suggest(sources=[new])  # at once, as this command reads what it imports
        self.stdout.write(
            f"{path}: imported as version #{new.pk} of “{source.title}” (#{source.pk}), "
            f"{len(new.text):,} characters. Claims: {revision.count('exact')} moved exactly, "
            f"{revision.count('changed')} moved with changes, {revision.count('orphaned')} orphaned; "
            f"{len(revision.corrections)} corrections; {suggested} new claims suggested.")
        for step in revision.reanchorings:
            if step.outcome == "orphaned":
                self.stdout.write(self.style.WARNING(
                    f"  orphaned: “{step.old_claim.exact}” ({step.old_claim.kind}, at {step.old_claim.start}): "
                    f"{step.reason}"))
        for correction in revision.corrections:
            self.stdout.write(f"  correction: “{correction.old_claim.exact}” became “{correction.new_claim.exact}”")
