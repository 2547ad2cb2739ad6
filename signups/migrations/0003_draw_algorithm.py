from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("signups", "0002_signup_booking_code"),
    ]

    operations = [
        # Every draw recorded so far was shuffled with Python's random.Random(seed).shuffle.
        migrations.AddField(
            model_name="draw",
            name="algorithm",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "Python random.shuffle（旧版）"), (2, "SHA-256 计数器洗牌")],
                default=1,
                verbose_name="摇号算法",
            ),
        ),
        # New draws use the project's own shuffle.
        migrations.AlterField(
            model_name="draw",
            name="algorithm",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "Python random.shuffle（旧版）"), (2, "SHA-256 计数器洗牌")],
                default=2,
                verbose_name="摇号算法",
            ),
        ),
    ]
