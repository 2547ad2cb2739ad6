from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.helpers import DemoReport
from demo.loaders.courses import load_courses_demo
from demo.loaders.events import load_events_demo
from demo.loaders.home import load_home_demo
from demo.loaders.news import load_news_demo
from demo.loaders.resources import load_resources_demo
from demo.loaders.schools import load_schools_demo
from demo.loaders.search import load_search_demo
from demo.loaders.showcase import load_showcase_demo
from demo.loaders.signups import load_signups_demo

# Each loader takes (home page, report) and runs after load_home_demo, in this order: courses are
# placed under the demo schools; events reuse the resources' media; the news articles name the
# schools, courses and events; the showcase's teachers come from the courses and lectures; the
# sign-ups open sessions of the events and courses; the search synonyms need nothing.
LOADERS = [
    load_resources_demo,
    load_schools_demo,
    load_courses_demo,
    load_events_demo,
    load_news_demo,
    load_showcase_demo,
    load_signups_demo,
    load_search_demo,
]


class Command(BaseCommand):
    help = "Build the demo site (pages, taxonomies, images, demo users). Safe to run repeatedly."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
            raise CommandError(
                "演示内容只能在开发或测试环境中加载（DEMO_CONTENT_ALLOWED 未开启）。"
            )
        report = DemoReport()
        with transaction.atomic():
            home = load_home_demo(report)
            for loader in LOADERS:
                loader(home, report)

        if report.created:
            self.stdout.write(
                self.style.SUCCESS(f"演示内容已加载：新建 {len(report.created)} 项。")
            )
            if options["verbosity"] > 1:
                for label in report.created:
                    self.stdout.write(f"  + {label}")
        else:
            self.stdout.write("演示内容已是最新，本次未做任何改动。")

        self.stdout.write(
            "\n网站地址：http://127.0.0.1:8000/    管理后台：http://127.0.0.1:8000/admin/"
        )
        self.stdout.write("演示账号（仅供本地体验）：")
        for role, username, password in report.logins:
            self.stdout.write(f"  {role:<8}  用户名 {username:<22} 密码 {password}")
