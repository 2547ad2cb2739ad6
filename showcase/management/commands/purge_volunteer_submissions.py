import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from showcase.models import VolunteerPage
from signups.models import SignupSettings


class Command(BaseCommand):
    help = (
        "Delete volunteer sign-ups (names, numbers) submitted longer ago than the retention "
        "period set in 设置 → 报名设置, the same rule as for course and event sign-ups."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would go.")

    def handle(self, *args, dry_run=False, **options):
        days = SignupSettings.load().retention_days
        cutoff = timezone.now() - datetime.timedelta(days=days)
        expired = FormSubmission.objects.filter(
            page__in=VolunteerPage.objects.all(), submit_time__lt=cutoff
        )
        count = expired.count()
        if dry_run:
            self.stdout.write(f"{count} volunteer submission(s) older than {days} days would go")
            return
        expired.delete()
        self.stdout.write(f"deleted {count} volunteer submission(s) older than {days} days")
