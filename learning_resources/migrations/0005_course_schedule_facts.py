"""Courses keep their schedule facts on their own row; existing courses get them from their
sessions and lessons here (the models' refresh_schedule_facts does the same afterwards)."""

from django.db import migrations, models
from django.db.models import Count, Exists, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce


def store_schedule_facts(apps, schema_editor):
    CoursePage = apps.get_model("learning_resources", "CoursePage")
    CourseLesson = apps.get_model("learning_resources", "CourseLesson")
    Occurrence = apps.get_model("home", "Occurrence")

    def held(function, field):
        sessions = (
            Occurrence.objects.filter(page_id=OuterRef("pk"), cancelled=False)
            .order_by()
            .values("page_id")
        )
        return Subquery(sessions.annotate(bound=function(field)).values("bound")[:1])

    lessons = (
        CourseLesson.objects.filter(page_id=OuterRef("pk"))
        .order_by()
        .values("page_id")
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )
    CoursePage.objects.update(
        schedule_first_start=held(Min, "start"),
        schedule_last_end=held(Max, "end"),
        schedule_lesson_total=Coalesce(Subquery(lessons), 0),
        schedule_online_signup=Exists(
            Occurrence.objects.filter(
                page_id=OuterRef("pk"), cancelled=False, capacity__gt=0
            ).exclude(signup_mode="")
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_move_documents_out_of_public_media"),
        ("learning_resources", "0004_resource_chapters"),
    ]

    operations = [
        migrations.AddField(
            model_name="coursepage",
            name="schedule_first_start",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="coursepage",
            name="schedule_last_end",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="coursepage",
            name="schedule_lesson_total",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="coursepage",
            name="schedule_online_signup",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(store_schedule_facts, migrations.RunPython.noop),
    ]
