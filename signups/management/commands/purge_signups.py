import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from signups.models import Signup, SignupSettings


class Command(BaseCommand):
    help = (
        "Delete sign-ups (names, numbers) of occurrences that ended longer ago than the "
        "retention period set in 设置 → 报名设置."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would go.")

    def handle(self, *args, dry_run=False, **options):
        days = SignupSettings.load().retention_days
        cutoff = timezone.now() - datetime.timedelta(days=days)
        expired = Signup.objects.filter(occurrence__end__lt=cutoff)
        count = expired.count()
        if dry_run:
            self.stdout.write(f"{count} sign-up(s) older than {days} days would be deleted")
            return
        expired.delete()
        self.stdout.write(f"deleted {count} sign-up(s) of occurrences ended over {days} days ago")
