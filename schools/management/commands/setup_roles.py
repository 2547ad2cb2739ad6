from django.core.management.base import BaseCommand

from schools.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Create each district's moderator and worker groups and collection, and the "
        "社区内容审核 workflow. Idempotent."
    )

    def handle(self, *args, **options):
        districts = setup_roles()
        self.stdout.write(
            f"已为 {len(districts)} 个区县设置审核员、社区工作者用户组和素材库，并启用“社区内容审核”流程。"
        )
