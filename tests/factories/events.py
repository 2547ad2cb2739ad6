import datetime

import factory
import wagtail_factories
from django.utils import timezone

from events.models import (
    EventIndexPage,
    EventPage,
    ForumIndexPage,
    LearningWeekIndexPage,
    LearningWeekPage,
    LecturePage,
    ReadingFestivalIndexPage,
    ReadingFestivalPage,
)
from home.models import Occurrence

TZ = timezone.get_default_timezone()


def local(year, month, day, hour=0, minute=0):
    """An aware datetime at a wall-clock time in Zhengzhou."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def add_occurrence(page, start, minutes=90, **fields):
    return Occurrence.objects.create(
        page=page, start=start, end=start + datetime.timedelta(minutes=minutes), **fields
    )


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "活动日历"
    slug = "calendar"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"社区活动{n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "活动摘要"

    class Meta:
        model = EventPage


class ForumIndexPageFactory(wagtail_factories.PageFactory):
    title = "郑州讲坛"
    slug = "forum"

    class Meta:
        model = ForumIndexPage


class LecturePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"讲座{n}")
    slug = factory.Sequence(lambda n: f"lecture-{n}")
    summary = "讲座摘要"

    class Meta:
        model = LecturePage


class LearningWeekIndexPageFactory(wagtail_factories.PageFactory):
    title = "全民终身学习活动周"
    slug = "learning-week"

    class Meta:
        model = LearningWeekIndexPage


class LearningWeekPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"{2020 + n}年全民终身学习活动周")
    slug = factory.Sequence(lambda n: f"{2020 + n}")
    theme = "终身学习 幸福郑州"
    start_date = datetime.date(2026, 5, 11)
    end_date = datetime.date(2026, 5, 17)

    class Meta:
        model = LearningWeekPage


class ReadingFestivalIndexPageFactory(wagtail_factories.PageFactory):
    title = "绿城读书节"
    slug = "reading-festival"

    class Meta:
        model = ReadingFestivalIndexPage


class ReadingFestivalPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"第{n + 1}届绿城读书节")
    slug = factory.Sequence(lambda n: f"edition-{n + 1}")
    edition_number = factory.Sequence(lambda n: n + 1)
    theme = "书香绿城"
    start_date = datetime.date(2026, 4, 20)
    end_date = datetime.date(2026, 5, 20)

    class Meta:
        model = ReadingFestivalPage
