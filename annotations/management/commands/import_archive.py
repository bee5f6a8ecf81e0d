"""Load a workbench archive (written by `export --format archive`)."""
from django.core.management.base import BaseCommand, CommandError

from annotations.archive import archive_import
from annotations.errors import WorkbenchError


class Command(BaseCommand):
    help = "Import a workbench archive: adds what is missing, reports conflicts, overwrites nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                report = archive_import(handle)
        except OSError as exc:
            raise CommandError(f"Could not read {file}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text; nothing was imported.") from exc
        except WorkbenchError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        for conflict in report.conflicts:
            self.stdout.write(self.style.WARNING(f"Conflict: {conflict}"))
        self.stdout.write(self.style.SUCCESS(report.summary()))
