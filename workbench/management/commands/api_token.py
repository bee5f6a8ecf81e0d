"""Issue (or replace) the JSON API token of a user and print it: the only time it is shown."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from workbench.models import ApiToken


class Command(BaseCommand):
    help = ("Issue a new API token for a user (the old one stops working) and print it. Only a hash is "
            "stored: copy it now. A password change revokes it.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        self.stdout.write(ApiToken.issue(user).key)
