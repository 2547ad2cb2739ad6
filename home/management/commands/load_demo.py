from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home.demo import DemoReport, registered_demo_loaders
from home.demo_content import load_home_demo


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
            for loader in registered_demo_loaders():
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
