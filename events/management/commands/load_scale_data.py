"""Grow the demo site N times over, repeatably, so the benchmark can compare sizes.

Adds generated learning points, events (each with dated occurrences), resources and courses until
each of those four page types has N times its count in the demo. The same seed gives the same
pages; running again with the same N adds nothing. Generated pages carry the slug prefix
``scale-`` so they are easy to tell apart (and to delete).

Lives in ``events`` because it writes the page types of every content app (schools, resources,
courses, events), and events is the rightmost of them.
"""

import datetime
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from core.page_cache import SITE_KEY, bump
from home.models import Audience, Category, Occurrence
from learning_resources.models import (
    CourseIndexPage,
    CourseMode,
    CoursePage,
    ResourceIndexPage,
    ResourcePage,
)
from schools.models import CommunityCentrePage, CommunitySchoolPage

from ...models import EventPage

PREFIX = "scale-"
TOPICS = [
    "太极拳", "八段锦", "书法", "国画", "剪纸", "合唱", "葫芦丝", "摄影", "智能手机", "防范电信诈骗",
    "家庭教育", "营养膳食", "中医养生", "插花", "茶艺", "普通话", "英语口语", "电脑入门", "短视频制作",
    "急救常识", "法律常识", "垃圾分类", "豫剧", "广场舞", "围棋", "象棋", "朗诵", "手工编织", "园艺",
    "育儿", "心理健康", "理财常识", "消防安全", "非遗传承", "黄河文化", "诗词", "烘焙", "瑜伽",
]  # fmt: skip
EVENT_KINDS = ["体验课", "公益讲座", "交流会", "展演", "工作坊", "读书会", "志愿服务", "比赛"]
RESOURCE_KINDS = ["入门", "精讲", "示范", "答疑", "微课", "系列课"]
COURSE_LEVELS = ["初级班", "提高班", "兴趣班", "周末班", "老年班"]


class Command(BaseCommand):
    help = "在演示内容之上按倍数生成大量页面（学习点、活动、资源、课程），用于性能测试。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--times", type=int, default=10, help="每类页面达到演示数量的几倍（默认 10）"
        )
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")

    def handle(self, *args, times, seed, **options):
        if times < 1:
            raise CommandError("--times 至少为 1。")
        targets = {
            CommunitySchoolPage: self._demo_count(CommunitySchoolPage) * times,
            EventPage: self._demo_count(EventPage) * times,
            ResourcePage: self._demo_count(ResourcePage) * times,
            CoursePage: self._demo_count(CoursePage) * times,
        }
        if not all(targets.values()):
            raise CommandError("请先运行 load_demo：放大以演示内容为基数。")
        self.rng = random.Random(seed)
        self.audiences = list(Audience.objects.order_by("pk"))
        self.categories = list(Category.objects.order_by("pk"))
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        started = time.monotonic()

        # Index in bulk at the end rather than one page per save: several times faster.
        backends = {
            name: {**config, "AUTO_UPDATE": False}
            for name, config in settings.WAGTAILSEARCH_BACKENDS.items()
        }
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            points = self._grow(CommunitySchoolPage, targets, self._new_point)
            self.schools = list(CommunitySchoolPage.objects.live().order_by("path"))
            events = self._grow(EventPage, targets, self._new_event)
            resources = self._grow(ResourcePage, targets, self._new_resource)
            courses = self._grow(CoursePage, targets, self._new_course)
        for model in (CommunitySchoolPage, EventPage, ResourcePage, CoursePage):
            self._index(model)
        bump(SITE_KEY)  # pages written directly, without publish signals

        self.stdout.write(
            f"已生成：学习点 {points}、活动 {events}、学习资源 {resources}、课程 {courses}；"
            f"共有页面 {Page.objects.count()} 个、活动场次 {Occurrence.objects.count()} 个"
            f"（用时 {time.monotonic() - started:.0f} 秒）。"
        )

    @staticmethod
    def _index(model):
        generated = model.objects.filter(slug__startswith=PREFIX).order_by("pk")
        for backend in get_search_backends():
            for start in range(0, generated.count(), 500):
                backend.add_bulk(model, list(generated[start : start + 500]))

    @staticmethod
    def _demo_count(model):
        return model.objects.exclude(slug__startswith=PREFIX).count()

    def _grow(self, model, targets, make):
        existing = model.objects.count()
        missing = max(0, targets[model] - existing)
        for number in range(existing, existing + missing):
            with transaction.atomic():
                make(number)
        return missing

    def _random_time(self, days_before=120, days_after=240):
        offset = self.rng.randint(-days_before * 24, days_after * 24)
        hour = self.now + datetime.timedelta(hours=offset)
        return hour.replace(hour=self.rng.choice([9, 10, 14, 15, 19]))

    def _add_audiences_and_tag(self, page, topic):
        # Cluster relations, set before the page's one and only save.
        page.audiences = self.rng.sample(self.audiences, k=self.rng.randint(1, 2))
        page.tags.add(topic)

    # --- generators ---------------------------------------------------------------------------

    def _new_point(self, number):
        centres = getattr(self, "_centres", None) or list(
            CommunityCentrePage.objects.live().order_by("path")
        )
        self._centres = centres
        centre = centres[number % len(centres)]
        topic = self.rng.choice(TOPICS)
        page = CommunitySchoolPage(
            title=f"{centre.title.replace('社区教育中心', '')}第{number + 1}学习点",
            slug=f"{PREFIX}point-{number + 1}",
            kind=CommunitySchoolPage.KIND_POINT,
            intro=f"居民家门口的学习点，常年开设{topic}等课程。",
            address=f"{centre.address}附近第{number % 40 + 1}号院",
            latitude=round(centre.latitude + self.rng.uniform(-0.02, 0.02), 6),
            longitude=round(centre.longitude + self.rng.uniform(-0.02, 0.02), 6),
            live=True,
        )
        centre.add_child(instance=page)

    def _new_event(self, number):
        school = self.schools[self.rng.randrange(len(self.schools))]
        topic = self.rng.choice(TOPICS)
        kind = self.rng.choice(EVENT_KINDS)
        page = EventPage(
            title=f"{topic}{kind}（第{number + 1}期）",
            slug=f"{PREFIX}event-{number + 1}",
            summary=f"{school.title}举办的{topic}{kind}，欢迎社区居民参加。",
            category=self.rng.choice(self.categories),
            venue=school,
            live=True,
            first_published_at=self.now - datetime.timedelta(days=self.rng.randint(0, 365)),
        )
        self._add_audiences_and_tag(page, topic)
        school.add_child(instance=page)
        for _session in range(self.rng.randint(2, 4)):
            start = self._random_time()
            Occurrence.objects.create(
                page=page, start=start, end=start + datetime.timedelta(minutes=90)
            )

    def _new_resource(self, number):
        index = getattr(self, "_resource_index", None) or ResourceIndexPage.objects.get()
        self._resource_index = index
        topic = self.rng.choice(TOPICS)
        page = ResourcePage(
            title=f"{topic}{self.rng.choice(RESOURCE_KINDS)}（{number + 1}）",
            slug=f"{PREFIX}resource-{number + 1}",
            summary=f"关于{topic}的学习材料，适合在家自学。",
            category=self.rng.choice(self.categories),
            live=True,
            first_published_at=self.now - datetime.timedelta(days=self.rng.randint(0, 720)),
        )
        self._add_audiences_and_tag(page, topic)
        index.add_child(instance=page)

    def _new_course(self, number):
        catalogue = getattr(self, "_catalogue", None) or CourseIndexPage.objects.get()
        self._catalogue = catalogue
        topic = self.rng.choice(TOPICS)
        parent = catalogue if number % 3 == 0 else self.rng.choice(self.schools)
        page = CoursePage(
            title=f"{topic}{self.rng.choice(COURSE_LEVELS)}",
            slug=f"{PREFIX}course-{number + 1}",
            summary=f"系统学习{topic}，由社区教育专职教师授课。",
            category=self.rng.choice(self.categories),
            mode=self.rng.choice(CourseMode.values),
            live=True,
            first_published_at=self.now - datetime.timedelta(days=self.rng.randint(0, 365)),
        )
        self._add_audiences_and_tag(page, topic)
        parent.add_child(instance=page)
        first = self._random_time(days_before=60, days_after=120)
        for week in range(self.rng.randint(4, 10)):
            start = first + datetime.timedelta(weeks=week)
            Occurrence.objects.create(
                page=page, start=start, end=start + datetime.timedelta(minutes=90)
            )
