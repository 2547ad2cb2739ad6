from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from schools.models import SchoolRole
from schools.roles import assign_role


class Command(BaseCommand):
    help = (
        "Give a user a community role for a school subtree, e.g. "
        "`assign_role zhang worker /schools/jinshui/jingbalu/` or "
        "`assign_role li moderator /schools/jinshui/`."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[value for value, _label in SchoolRole.ROLE_CHOICES])
        parser.add_argument("page", help="the school page's URL (e.g. /schools/jinshui/) or its id")

    def handle(self, *args, username, role, page, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username} 的用户。")
        scope = find_page(page)
        try:
            group = assign_role(user, role, scope)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已将 {username} 加入“{group.name}”。")


def find_page(reference: str) -> Page:
    """A page by id, or by the path visitors see (the site root's slug is not part of it)."""
    if reference.isdigit():
        page = Page.objects.filter(pk=int(reference)).first()
    else:
        path = "/" + reference.strip("/") + "/"
        candidates = Page.objects.filter(url_path__endswith=path, depth__gte=3).order_by("depth")
        page = candidates.first()
    if page is None:
        raise CommandError(f"没有找到页面 {reference}。")
    return page
