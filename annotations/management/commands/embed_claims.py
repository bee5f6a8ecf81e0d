"""Embed the claims that have none yet (saved before the embedding model was installed)."""
from django.core.management.base import BaseCommand, CommandError

from annotations.errors import WorkbenchError
from annotations.services import claims_embed_missing


class Command(BaseCommand):
    help = ("Embed every claim that has no embedding yet, in batches (each saved as it is done), "
            "so that matching compares it by meaning.")

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{done:,} of {total:,} claims embedded", ending="")
            self.stderr.flush()

        try:
            done = claims_embed_missing(progress=progress)
        except WorkbenchError as exc:
            raise CommandError(str(exc)) from exc
        if done:
            self.stderr.write("")
        self.stdout.write(f"{done:,} claims embedded." if done else "Every claim already has its embedding.")
