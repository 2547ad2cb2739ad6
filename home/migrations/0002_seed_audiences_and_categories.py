"""Seed the shared vocabulary with the audiences and content areas named in 郑政办文〔2013〕13号."""

from django.db import migrations

AUDIENCES = [
    ("在职人员", "employed", "在岗职工的岗位培训与继续教育"),
    ("转岗/下岗/失业人员", "job-seekers", "转岗、再就业与创业培训"),
    ("外来务工人员(新市民)", "new-citizens", "进城务工人员与新市民的城市融入教育"),
    ("老年人", "elderly", "老年教育、健康养生与文化娱乐"),
    ("困难群体", "disadvantaged", "残疾人、低收入家庭等困难群体的帮扶教育"),
    ("青少年", "youth", "青少年校外教育与社会实践"),
    ("农民", "farmers", "农村实用技术与新型农民培训"),
]

CATEGORIES = [
    ("思想道德", "ethics", "社会公德、家庭美德与公民素养"),
    ("文化艺术", "culture-arts", "书画、音乐、戏曲、舞蹈与传统文化"),
    ("知识技能", "skills", "职业技能、数字技能与科学普及"),
    ("生活常识", "daily-life", "健康、安全、法律与家庭生活"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Audience", AUDIENCES), ("Category", CATEGORIES)):
        model = apps.get_model("home", model_name)
        for order, (name, slug, description) in enumerate(rows, start=1):
            model.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "sort_order": order}
            )


def unseed(apps, schema_editor):
    for model_name, rows in (("Audience", AUDIENCES), ("Category", CATEGORIES)):
        apps.get_model("home", model_name).objects.filter(slug__in=[r[1] for r in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
