"""Export to a file or standard output: CSV or JSON Lines tables, W3C Web Annotation,
schema.org ClaimReview, or the lossless archive."""
from django.core.management.base import BaseCommand, CommandError

from annotations.exports import FORMATS, WHATS, export_lines


class Command(BaseCommand):
    help = "Export facts, claims, sources or contradictions (csv, jsonl), or everything (webannotation, claimreview, archive)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
        parser.add_argument("--what", choices=WHATS, default="facts",
                            help="Which table, for csv and jsonl (default facts).")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--with-emails", action="store_true",
                            help="Put users' e-mail addresses and names into the archive (left out by default).")

    def handle(self, *args, fmt, what, output, with_emails, **options):
        if with_emails and fmt != "archive":
            raise CommandError("--with-emails applies to --format archive only.")
        # The command line acts as the system (user None), which permissions allow everything.
        lines = export_lines(what=what, fmt=fmt, with_emails=with_emails)
        if not output:
            for line in lines:
                self.stdout.write(line, ending="")
            return
        try:
            # newline="" keeps the CSV writer's own \r\n row endings intact.
            with open(output, "w", encoding="utf-8", newline="") as handle:
                count = sum(1 for line in lines if handle.write(line) is not None)
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}") from exc
        self.stderr.write(f"Wrote {count:,} lines to {output}.")
