"""报名码 for every sign-up: added empty, filled in for existing rows, then made unique."""

import secrets

from django.db import migrations, models

# Copied here (not imported) so this migration keeps working if the model's helpers change.
ALPHABET = "ACDEFHJKMNPQRTUVWXY347"
LENGTH = 6


def fill_booking_codes(apps, schema_editor):
    Signup = apps.get_model("signups", "Signup")
    used = set(
        Signup.objects.exclude(booking_code__isnull=True).values_list("booking_code", flat=True)
    )
    for signup in Signup.objects.filter(booking_code__isnull=True).only("pk").iterator():
        code = None
        while code is None or code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        used.add(code)
        Signup.objects.filter(pk=signup.pk).update(booking_code=code)


class Migration(migrations.Migration):
    dependencies = [("signups", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="signup",
            name="booking_code",
            field=models.CharField(editable=False, max_length=6, null=True, verbose_name="报名码"),
        ),
        migrations.RunPython(fill_booking_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="signup",
            name="booking_code",
            field=models.CharField(
                editable=False, max_length=6, unique=True, verbose_name="报名码"
            ),
        ),
    ]
