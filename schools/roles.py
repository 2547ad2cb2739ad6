"""Community roles that follow the school tree.

- 全站编辑 (city editors): every page, publish included (set up by demo/loaders/home.py).
- 区县审核员·<district>: add, edit and publish in one district's subtree; reviews its submissions.
- 社区工作者·<school>: add and edit in one school's subtree (a district, centre, school or
  learning point); never publish: their work goes to the district's 社区内容审核 workflow.

Each district also gets an image/document/media collection; workers upload there, moderators
manage it, and everyone can choose from the shared collection (home.collections).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.collections import shared_collection

from .directory import district_of
from .models import CommunityCollegePage, CommunityUniversityPage, DistrictReviewTask, SchoolRole

WORKFLOW_NAME = "社区内容审核"
REVIEW_TASK_NAME = "区县审核"

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
PAGE_PERMISSIONS = {
    SchoolRole.WORKER: ["add_page", "change_page"],
    SchoolRole.MODERATOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    SchoolRole.WORKER: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailmedia", "add_media"),
    ],
    SchoolRole.MODERATOR: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailmedia", "add_media"),
        ("wagtailmedia", "change_media"),
    ],
}
SHARED_CHOICE = [("wagtailimages", "choose_image"), ("wagtaildocs", "choose_document")]

EDITOR_GROUP_NAME = "全站编辑"
# Site-wide tools city editors look after beside the pages (the rest comes with the demo's group).
EDITOR_SITE_PERMISSIONS = [
    ("wagtailsearchpromotions", "add_searchpromotion"),
    ("wagtailsearchpromotions", "change_searchpromotion"),
    ("wagtailsearchpromotions", "delete_searchpromotion"),
    ("wagtailredirects", "add_redirect"),
    ("wagtailredirects", "change_redirect"),
    ("wagtailredirects", "delete_redirect"),
]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def district_collection(district: CommunityCollegePage) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=district.district_name).first()
    return existing or root.add_child(name=district.district_name)


def district_of_scope(page: Page) -> CommunityCollegePage | None:
    return district_of(page.specific)


def _grant(group: Group, role: str, scope: Page, collection: Collection) -> None:
    group.permissions.add(_permission(*ADMIN_ACCESS))
    for codename in PAGE_PERMISSIONS[role]:
        GroupPagePermission.objects.get_or_create(
            group=group, page=scope, permission=Permission.objects.get(codename=codename)
        )
    for app_label, codename in COLLECTION_PERMISSIONS[role]:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )
    shared = shared_collection()
    for app_label, codename in SHARED_CHOICE:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=shared, permission=_permission(app_label, codename)
        )


def _group_name(role: str, scope: Page, district: CommunityCollegePage) -> str:
    label = dict(SchoolRole.ROLE_CHOICES)[role]
    if scope.pk == district.pk:
        return f"{label}·{district.district_name}"
    return f"{label}·{district.district_name}·{scope.title}"


@transaction.atomic
def role_group(role: str, scope: Page) -> Group:
    """The group holding ``role`` for ``scope`` (created with its permissions when missing).

    Moderators always work for a whole district, so a moderator role on a lower page is the
    role of that page's district.
    """
    district = district_of_scope(scope)
    if district is None:
        raise ValueError("社区角色只能分配在某个区县社区学院及其下级页面。")
    if role == SchoolRole.MODERATOR:
        scope = district
    existing = SchoolRole.objects.filter(page=scope, role=role).select_related("group").first()
    if existing is not None:
        return existing.group
    name = _group_name(role, scope, district)
    if Group.objects.filter(name=name).exists():
        name = f"{name}（{scope.pk}）"
    group = Group.objects.create(name=name)
    SchoolRole.objects.create(group=group, page=scope, role=role)
    _grant(group, role, scope, district_collection(district))
    return group


def ensure_district_roles(district: CommunityCollegePage) -> tuple[Group, Group]:
    """A district's moderator and district-wide worker groups, and its collection."""
    return role_group(SchoolRole.MODERATOR, district), role_group(SchoolRole.WORKER, district)


def assign_role(user, role: str, scope: Page) -> Group:
    """Give ``user`` a role for a school subtree; idempotent."""
    if role not in dict(SchoolRole.ROLE_CHOICES):
        raise ValueError(f"未知的角色：{role}")
    group = role_group(role, scope)
    user.groups.add(group)
    return group


def revoke_role(user, school_role: SchoolRole) -> None:
    """Take one community role away from ``user`` (the group stays for its other members)."""
    user.groups.remove(school_role.group)


def grant_editor_site_permissions() -> Group | None:
    """Search promotions and redirects for 全站编辑, when the group exists. Idempotent."""
    editors = Group.objects.filter(name=EDITOR_GROUP_NAME).first()
    if editors is not None:
        editors.permissions.add(*(_permission(*pair) for pair in EDITOR_SITE_PERMISSIONS))
    return editors


@transaction.atomic
def ensure_moderation_workflow(university: CommunityUniversityPage | None = None) -> Workflow:
    """The 社区内容审核 workflow with its district review task, on the whole directory."""
    task = DistrictReviewTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = DistrictReviewTask.objects.create(name=REVIEW_TASK_NAME)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    university = university or CommunityUniversityPage.objects.first()
    if university is not None:
        WorkflowPage.objects.update_or_create(page=university, defaults={"workflow": workflow})
    return workflow


def setup_roles() -> list[CommunityCollegePage]:
    """Roles and collections for every district, and the moderation workflow. Idempotent."""
    shared_collection()
    districts = list(CommunityCollegePage.objects.all().order_by("path"))
    for district in districts:
        ensure_district_roles(district)
    ensure_moderation_workflow()
    grant_editor_site_permissions()
    return districts


def scopes_for(user) -> list[SchoolRole]:
    """The school subtrees this user has a community role for, nearest the root first."""
    return list(
        SchoolRole.objects.filter(group__in=user.groups.all())
        .select_related("page", "group")
        .order_by("page__path", "role")
    )
