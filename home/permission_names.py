"""Permission names in Chinese.

Django stores each permission's name in English ("Can add 学习对象", "Publish any page") when it
creates it, and Wagtail's group screens show those names as they are. After every migrate the
names are rewritten from the model's (translated) verbose name, so the group screens read
可以添加学习对象, 可以发布任何页面. Codenames, which code checks, never change.
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db.models.signals import post_migrate
from django.utils import translation

ACTIONS = {
    "add": "可以添加{}",
    "change": "可以修改{}",
    "delete": "可以删除{}",
    "view": "可以查看{}",
    "choose": "可以选择{}",
}
SPECIAL = {
    "access_admin": "可以进入管理后台",
    "bulk_delete_page": "可以删除有子页面的页面",
    "lock_page": "可以锁定和解锁自己锁定的页面",
    "publish_page": "可以发布任何页面",
    "unlock_page": "可以解锁任何页面",
}


def chinese_name(codename: str, verbose_name: str) -> str | None:
    if codename in SPECIAL:
        return SPECIAL[codename]
    action, _sep, _model = codename.partition("_")
    if action in ACTIONS:
        return ACTIONS[action].format(verbose_name)
    return None


def rename_permissions(app_config, using="default", apps=None, **kwargs) -> None:
    """Create ``app_config``'s permissions first (as Django would next), then name them."""
    if app_config.models_module is None:
        return
    create_permissions(app_config, verbosity=0, using=using, **({"apps": apps} if apps else {}))
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    with translation.override("zh-hans"):
        for model in app_config.get_models():
            content_type = ContentType.objects.db_manager(using).get_for_model(
                model, for_concrete_model=False
            )
            verbose_name = str(model._meta.verbose_name)
            for permission in Permission.objects.using(using).filter(content_type=content_type):
                name = chinese_name(permission.codename, verbose_name)
                if name and permission.name != name[:255]:
                    permission.name = name[:255]
                    permission.save(update_fields=["name"])


def connect() -> None:
    post_migrate.connect(rename_permissions, dispatch_uid="home.permission_names")
