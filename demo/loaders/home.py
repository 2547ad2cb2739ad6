"""The `home` app's demo content: the home page, about and policy pages, site settings, the role
groups and the demo users. Loaded first; the other loaders build under the home page it returns."""

from django.db import transaction
from wagtail.models import Page, Site

from demo.helpers import DemoReport, ensure_child_page, ensure_group, ensure_image, ensure_user
from home.models import HomePage, SiteSettings, StandardPage

DEMO_PASSWORD = "zzxx-demo-2026"

POLICY_TITLE = "郑州市人民政府办公厅关于大力发展社区教育加快推进学习型城市建设的意见"
POLICY_NUMBER = "郑政办文〔2013〕13号"


def _paragraphs(*texts: str) -> list[dict]:
    return [{"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in texts)}]


def _heading(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


ABOUT_BODY = [
    _heading("我们是谁"),
    *_paragraphs(
        "郑州终身学习网由郑州市社区教育指导服务中心建设和维护，是全市社区教育网络的公共服务平台。"
        "在这里，市民可以查找家门口的社区学校和学习点，报名参加课程，观看郑州讲坛讲座，"
        "了解全民终身学习活动周和绿城读书节的最新安排。",
        "网站内容由市、县（市、区）、乡镇（街道）和社区四级社区教育机构共同维护："
        "市级中心发布全市性的课程和活动，各社区学院审核辖区内的信息，"
        "社区工作者及时发布本社区的学习活动。",
    ),
    _heading("我们的服务"),
    *_paragraphs(
        "面向在职人员、转岗和再就业人员、新市民、老年人、困难群体、青少年和农民等不同人群，"
        "提供思想道德、文化艺术、知识技能和生活常识等方面的学习机会。",
        "所有课程、讲座和学习资源均可免费浏览；部分线下课程名额有限，请留意各课程页面的报名说明。",
    ),
    {
        "type": "quote",
        "value": {
            "text": "人人皆学、处处可学、时时能学。",
            "attribution": f"{POLICY_NUMBER}提出的学习型城市建设目标",
        },
    },
]

POLICIES_BODY = _paragraphs(
    "这里汇集与郑州市社区教育和学习型城市建设相关的政策文件，帮助市民和社区工作者了解"
    "全市社区教育的工作目标、四级办学体系和保障措施。文件原文以发文机关公布的版本为准。",
)

POLICY_SUMMARY_BODY = [
    _heading("文件概况"),
    *_paragraphs(
        f"《{POLICY_TITLE}》（{POLICY_NUMBER}）由郑州市人民政府办公厅于2013年印发，"
        "是本市发展社区教育、建设学习型城市的纲领性文件。下面是本站编辑整理的要点解读，"
        "便于市民快速了解文件内容。",
    ),
    _heading("要点一：面向全体市民的学习活动"),
    *_paragraphs(
        "文件要求围绕思想道德、文化艺术、知识技能和生活常识四个方面开展教育培训，"
        "并针对在职人员、转岗和失业人员、外来务工人员、老年人、困难群体、青少年和农民等人群"
        "分别设计培训内容。",
    ),
    _heading("要点二：四级社区教育办学体系"),
    {
        "type": "table",
        "value": {
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": "四级社区教育办学体系",
            "data": [
                ["层级", "机构", "定位"],
                ["第一级", "郑州社区大学", "核心"],
                ["第二级", "县（市、区）社区学院", "龙头"],
                ["第三级", "乡镇（街道）社区教育中心", "骨干"],
                ["第四级", "社区学校、学习点", "基础"],
            ],
        },
    },
    _heading("要点三：品牌学习活动"),
    *_paragraphs(
        "文件提出开展全民终身学习活动周，推进郑州讲坛、绿城读书节、广场文化、文化大院和"
        "文化科技下乡进社区等活动，形成有影响的学习品牌。",
    ),
    _heading("要点四：公共服务平台与队伍建设"),
    *_paragraphs(
        "文件要求建设郑州终身教育学习网站，县（市、区）建设数字化学习中心，社区建设数字化学习站；"
        "同时建设专职、兼职和志愿者相结合的社区教育队伍，街道和社区的社区教育工作要落实到人。",
    ),
]


def load_home_demo(report: DemoReport) -> HomePage:
    home = _ensure_home_page(report)
    about = ensure_child_page(
        report,
        home,
        StandardPage,
        "about",
        title="关于我们",
        intro="郑州终身学习网是全市社区教育网络的公共服务平台。",
        body=ABOUT_BODY,
        show_in_menus=True,
    )
    policies = ensure_child_page(
        report,
        home,
        StandardPage,
        "policies",
        title="政策文件",
        intro="郑州市社区教育与学习型城市建设的相关政策。",
        body=POLICIES_BODY,
        show_in_menus=True,
    )
    ensure_child_page(
        report,
        policies,
        StandardPage,
        "community-education-2013",
        title=f"{POLICY_NUMBER}要点解读",
        intro=f"《{POLICY_TITLE}》的主要内容。",
        body=POLICY_SUMMARY_BODY,
    )
    _ensure_site_settings(report, home, about, policies)
    ensure_roles_and_users(report)
    return home


def _ensure_home_page(report: DemoReport) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's install leaves a plain "Welcome" page where our home page belongs.
        for placeholder in root.get_children().exact_type(Page):
            placeholder.delete()
        home = HomePage(
            title="郑州终身学习网",
            slug="home",
            intro="人人皆学、处处可学、时时能学——找到家门口的课堂，看讲座，赶活动。",
            seo_title="郑州终身学习网",
            search_description="郑州市社区教育与全民终身学习公共服务平台：课程、讲座、活动日历与社区学校。",
            hero_image=ensure_image(report, "首页头图：学习的城市"),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        report.add("首页")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="郑州终身学习网",
        )
        report.add("站点")
    elif site.root_page_id != home.pk or site.site_name != "郑州终身学习网":
        site.root_page = home
        site.site_name = "郑州终身学习网"
        site.save()
        report.add("站点设置")
    return home


def _ensure_site_settings(report, home, about, policies) -> None:
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if site_settings.organizer:
        return
    site_settings.organizer = "郑州市教育局"
    site_settings.operator = "郑州市社区教育指导服务中心"
    site_settings.address = "郑州市金水区文化路社区教育大楼"
    site_settings.phone = "0371-6718 0000"
    # The email address and the ICP and public-security filing numbers are the operator's own
    # (设置 → 网站信息); a demo that made them up would show a registration that does not exist.
    site_settings.footer_links = [
        {"type": "link", "value": {"title": "关于我们", "page": about.pk, "url": ""}},
        {"type": "link", "value": {"title": "政策文件", "page": policies.pk, "url": ""}},
    ]
    site_settings.save()
    report.add("网站信息")


ADMIN_ACCESS = ["wagtailadmin.access_admin"]
MEDIA_CHOICE = ["wagtailimages.choose_image", "wagtaildocs.choose_document"]
EDITOR_PERMISSIONS = [
    *ADMIN_ACCESS,
    *MEDIA_CHOICE,
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtailmedia.add_media",
    "wagtailmedia.change_media",
    "home.add_audience",
    "home.change_audience",
    "home.add_category",
    "home.change_category",
    "home.add_person",
    "home.change_person",
    "home.change_sitesettings",
    # 推广搜索结果 and 重定向 (schools.roles.EDITOR_SITE_PERMISSIONS grants them on setup_roles).
    "wagtailsearchpromotions.add_searchpromotion",
    "wagtailsearchpromotions.change_searchpromotion",
    "wagtailsearchpromotions.delete_searchpromotion",
    "wagtailredirects.add_redirect",
    "wagtailredirects.change_redirect",
    "wagtailredirects.delete_redirect",
]


@transaction.atomic
def ensure_roles_and_users(report: DemoReport) -> None:
    from django.contrib.auth.models import Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    home = HomePage.objects.get()
    editors = ensure_group(report, "全站编辑", EDITOR_PERMISSIONS)
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        GroupPagePermission.objects.get_or_create(
            group=editors, page=home, permission=Permission.objects.get(codename=codename)
        )
    root_collection = Collection.get_first_root_node()
    for dotted in EDITOR_PERMISSIONS:
        app_label, codename = dotted.split(".")
        if app_label in ("wagtailimages", "wagtaildocs", "wagtailmedia"):
            GroupCollectionPermission.objects.get_or_create(
                group=editors,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    ensure_user(
        report,
        role="管理员",
        username="admin",
        password=DEMO_PASSWORD,
        full_name="系统管理员",
        superuser=True,
    )
    ensure_user(
        report,
        role="全站编辑",
        username="editor",
        password=DEMO_PASSWORD,
        full_name="王编辑",
        groups=[editors],
    )
