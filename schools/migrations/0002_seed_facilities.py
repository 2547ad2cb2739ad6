from django.db import migrations

FACILITIES = [
    "多媒体教室",
    "图书室",
    "无障碍通道",
    "数字化学习设备",
    "活动室",
    "书画室",
    "舞蹈室",
    "电脑室",
]


def seed(apps, schema_editor):
    facility = apps.get_model("schools", "Facility")
    for order, name in enumerate(FACILITIES, start=1):
        facility.objects.get_or_create(name=name, defaults={"sort_order": order})


def unseed(apps, schema_editor):
    apps.get_model("schools", "Facility").objects.filter(name__in=FACILITIES).delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
