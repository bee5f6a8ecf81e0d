"""Load the seeds and make sure the demo reviewer account exists; print how to log in."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load seeds (idempotent) and create or reset the demo reviewer account."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/",
            help="Address the app will be served on, printed with the account.",
        )

    def handle(self, *args, **options):
        call_command("load_seeds", stdout=self.stdout)
        username = settings.WORKBENCH_DEMO_USERNAME
        password = settings.WORKBENCH_DEMO_PASSWORD
        user, created = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        # The demo account may manage everything, so the admin can be tried too.
        user.is_staff = user.is_superuser = True
        user.save()
        user.groups.add(Group.objects.get_or_create(name="admin")[0])
        self.stdout.write(self.style.SUCCESS(
            f"Demo account {'created' if created else 'ready'}: username “{username}”, "
            f"password “{password}” (log in at {options['url']})"
        ))
        self.stdout.write("API token for it: python manage.py api_token " + username)
