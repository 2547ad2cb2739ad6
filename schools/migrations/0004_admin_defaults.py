"""Admin defaults a clerk understands, for sites migrated before they existed.

- The root collection and the root page are named in Chinese (全部素材, 根目录).
- Wagtail's stock "Editors" and "Moderators" groups (site-wide publishing) and their
  "Moderators approval" workflow are removed while nobody uses them, so a new user is never
  one tick away from the whole site; the project's roles are 全站编辑, 区县审核员·… and
  社区工作者·…, and its workflow is 社区内容审核. Groups that still have members are kept,
  renamed so their reach is plain.
- 全站编辑 may manage search promotions (推广搜索结果) and redirects (重定向).
"""

from django.db import migrations

ROOT_COLLECTION_NAME = "全部素材"
ROOT_PAGE_TITLE = "根目录"
STOCK_GROUPS = {
    "Editors": "Wagtail默认组·全站编辑（请勿使用）",
    "Moderators": "Wagtail默认组·全站审核（请勿使用）",
}
STOCK_WORKFLOW = "Moderators approval"
EDITOR_GROUP = "全站编辑"
EDITOR_EXTRA_PERMISSIONS = [
    ("wagtailsearchpromotions", "searchpromotion", ["add", "change", "delete"]),
    ("wagtailredirects", "redirect", ["add", "change", "delete"]),
]


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Page = apps.get_model("wagtailcore", "Page")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    Task = apps.get_model("wagtailcore", "Task")
    TaskState = apps.get_model("wagtailcore", "TaskState")

    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_COLLECTION_NAME)
    Page.objects.filter(depth=1, title="Root").update(
        title=ROOT_PAGE_TITLE, draft_title=ROOT_PAGE_TITLE
    )

    for workflow in Workflow.objects.filter(name=STOCK_WORKFLOW):
        if WorkflowState.objects.filter(workflow=workflow).exists():
            workflow.name = "Wagtail默认审核流程（请勿使用）"
            workflow.save()
            continue
        task_ids = list(workflow.workflow_tasks.values_list("task_id", flat=True))
        workflow.delete()  # with its WorkflowPage and WorkflowTask rows
        for task in Task.objects.filter(pk__in=task_ids, name=STOCK_WORKFLOW):
            if not TaskState.objects.filter(task=task).exists():
                task.delete()

    for name, kept_name in STOCK_GROUPS.items():
        for group in Group.objects.filter(name=name):
            if group.user_set.exists():
                group.name = kept_name
                group.save()
            else:
                group.delete()

    editors = Group.objects.filter(name=EDITOR_GROUP).first()
    if editors is None:
        return  # a fresh site: setup_roles and load_demo grant these when they make the group
    for app_label, model, actions in EDITOR_EXTRA_PERMISSIONS:
        content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for action in actions:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("schools", "0003_community_roles"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
