"""The home app: home page, standard pages, navigation, footer settings, sections, errors."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.models import Page, Site, get_page_models
from wagtail.test.utils import WagtailPageTestCase

from home.models import Audience, Category, HomePage, HomePagePinnedPage, SiteSettings, StandardPage
from home.page_base import BasePage
from home.queries import live_public
from home.sections import (
    HOOK_NAME,
    PageListSection,
    check_section_names,
    registered_sections,
)
from tests.factories.home import HomePageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def _site_settings(**fields):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(site_settings, name, value)
    site_settings.save()
    return site_settings


def test_home_page_shows_site_name_navigation_and_footer(client, home_page):
    about = StandardPageFactory(
        parent=home_page, title="关于我们", slug="about", show_in_menus=True
    )
    StandardPageFactory(parent=home_page, title="内部页面", slug="hidden", show_in_menus=False)
    _site_settings(
        organizer="郑州市教育局",
        operator="郑州市社区教育指导服务中心",
        phone="0371-6718 0000",
        icp_number="豫ICP备13000000号-1",
        footer_links=[
            {"type": "link", "value": {"title": "关于本站", "page": about.pk, "url": ""}}
        ],
    )

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "郑州终身学习网" in html
    assert 'href="#main"' in html  # skip link
    nav = html.split('aria-label="主导航"')[1].split("</nav>")[0]
    assert 'href="/about/">关于我们</a>' in nav
    assert "内部页面" not in nav
    footer = html.split('class="site-footer"')[1]
    for text in (
        "郑州市教育局",
        "郑州市社区教育指导服务中心",
        "0371-6718 0000",
        "豫ICP备13000000号-1",
    ):
        assert text in footer
    assert 'href="/about/">关于本站</a>' in footer


def test_draft_and_private_children_stay_out_of_the_navigation(client, home_page):
    draft = StandardPageFactory(
        parent=home_page, title="草稿栏目", slug="draft", show_in_menus=True
    )
    draft.unpublish()
    html = client.get("/").content.decode()
    assert "草稿栏目" not in html


def test_private_sections_stay_out_of_navigation_and_listings(client, home_page):
    from wagtail.models import PageViewRestriction

    members = StandardPageFactory(
        parent=home_page, title="内部资料", slug="members", show_in_menus=True
    )
    StandardPageFactory(parent=members, title="内部通知", slug="notice")
    PageViewRestriction.objects.create(page=members, restriction_type="password", password="x")
    StandardPageFactory(parent=home_page, title="公开栏目", slug="open", show_in_menus=True)

    html = client.get("/").content.decode()

    assert "公开栏目" in html and "内部资料" not in html
    assert list(live_public(StandardPage.objects.all()).values_list("title", flat=True)) == [
        "公开栏目"
    ]


def test_standard_page_renders_every_block_and_breadcrumbs(client, home_page):
    policies = StandardPageFactory(parent=home_page, title="政策文件", slug="policies")
    page = StandardPageFactory(
        parent=policies,
        title="政策解读",
        slug="reading",
        body=[
            {"type": "heading", "value": {"text": "四级办学体系", "level": "h2"}},
            {"type": "paragraph", "value": "<p>社区学校是<b>基础</b>。</p>"},
            {"type": "quote", "value": {"text": "人人皆学", "attribution": "学习型城市"}},
            {
                "type": "table",
                "value": {
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "层级",
                    "data": [["层级", "机构"], ["第一级", "郑州社区大学"]],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "heading": "找课程",
                    "text": "",
                    "link": {"title": "返回政策文件", "page": policies.pk, "url": ""},
                },
            },
        ],
    )

    response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="block-heading">四级办学体系</h2>' in html
    assert "<b>基础</b>" in html
    assert "<blockquote><p>人人皆学</p></blockquote>" in html
    assert '<th scope="col">机构</th>' in html and "<td>郑州社区大学</td>" in html
    assert 'class="button" href="/policies/">返回政策文件</a>' in html
    crumbs = html.split('aria-label="当前位置"')[1].split("</nav>")[0]
    assert 'href="/">首页</a>' in crumbs and 'href="/policies/">政策文件</a>' in crumbs
    assert '<li aria-current="page">政策解读</li>' in crumbs


def test_unknown_url_gives_the_chinese_404_page(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有找到这个页面" in html
    assert '<html lang="zh-Hans">' in html


def test_500_page_renders_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "网站暂时出了点问题" in html


def test_policy_vocabulary_is_seeded():
    assert list(Audience.objects.values_list("name", flat=True)) == [
        "在职人员",
        "转岗/下岗/失业人员",
        "外来务工人员(新市民)",
        "老年人",
        "困难群体",
        "青少年",
        "农民",
    ]
    assert list(Category.objects.values_list("name", flat=True)) == [
        "思想道德",
        "文化艺术",
        "知识技能",
        "生活常识",
    ]


# --- Home-page sections ----------------------------------------------------------------------


def _newest_standard_pages(page, request):
    return StandardPage.objects.live().public().order_by("-first_published_at")


def _standard_pages_section(limit=2, newest=_newest_standard_pages):
    return PageListSection(
        key="pages",
        title="最新页面",
        template="home/sections/page_list.html",
        page_types=(StandardPage,),
        newest=newest,
        limit=limit,
    )


def test_section_fills_with_newest_pages_and_puts_pinned_ones_first(client, home_page):
    oldest = StandardPageFactory(parent=home_page, title="最早的页面", slug="oldest")
    StandardPageFactory(parent=home_page, title="中间的页面", slug="middle")
    newest = StandardPageFactory(parent=home_page, title="最新的页面", slug="newest")
    for order, page in enumerate([oldest, *StandardPage.objects.exclude(pk=oldest.pk)]):
        Page.objects.filter(pk=page.pk).update(first_published_at=f"2026-01-0{order + 1}T08:00Z")

    with hooks.register_temporarily(HOOK_NAME, _standard_pages_section):
        html = client.get("/").content.decode()
        section = html.split('id="section-pages"')[1].split("</section>")[0]
        assert "最新的页面" in section and "中间的页面" in section
        assert "最早的页面" not in section

        HomePagePinnedPage.objects.create(home_page=home_page, page=oldest, sort_order=0)
        section = client.get("/").content.decode().split('id="section-pages"')[1]
        section = section.split("</section>")[0]

    assert section.index("最早的页面") < section.index("最新的页面")
    assert "中间的页面" not in section
    assert newest.title in section


def test_pinned_pages_outside_a_sections_own_list_and_the_menu_stay_out(client, home_page):
    """A pin puts a page first among those its section shows; it adds nothing else.

    The pinned pages and the menu come in one query: a pinned page deeper in the tree must not
    turn up in the menu, and the menu must not lose the home page's children.
    """
    about = StandardPageFactory(
        parent=home_page, title="关于我们", slug="about", show_in_menus=True
    )
    listed = StandardPageFactory(parent=about, title="在列表中的页面", show_in_menus=True)
    unlisted = StandardPageFactory(parent=about, title="不在列表中的页面", show_in_menus=False)
    for order, page in enumerate([unlisted, listed]):
        HomePagePinnedPage.objects.create(home_page=home_page, page=page, sort_order=order)

    def menu_pages_section():
        return _standard_pages_section(
            limit=4,
            newest=lambda page, request: (
                StandardPage.objects.live().filter(show_in_menus=True).order_by("path")
            ),
        )

    with hooks.register_temporarily(HOOK_NAME, menu_pages_section):
        html = client.get("/").content.decode()
    section = html.split('id="section-pages"')[1].split("</section>")[0]
    assert section.index("在列表中的页面") < section.index("关于我们")
    assert "不在列表中的页面" not in section
    navigation = html.split("<nav")[1].split("</nav>")[0]
    assert "关于我们" in navigation
    assert "在列表中的页面" not in navigation


def test_section_with_nothing_to_show_is_left_out(client, home_page):
    with hooks.register_temporarily(HOOK_NAME, _standard_pages_section):
        html = client.get("/").content.decode()
    assert 'id="section-pages"' not in html
    assert "最新页面" not in html


def test_every_page_model_of_the_project_derives_from_base_page():
    """A page type that lists the site's mixins by hand (or forgets them) fails here."""
    project_models = [
        model
        for model in get_page_models()
        if Path(model._meta.app_config.path).resolve().parent == Path(settings.BASE_DIR).resolve()
    ]
    assert len(project_models) >= 15
    for model in project_models:
        assert issubclass(model, BasePage), model


def test_home_page_sections_follow_the_home_pages_list_of_names():
    """Every name in HomePage.SECTIONS is registered by some app, and nothing else is."""
    keys = [section.key for section in registered_sections(HOOK_NAME, HomePage.SECTIONS)]
    assert keys == HomePage.SECTIONS
    assert check_section_names() == []


def test_an_unlisted_section_comes_last_and_the_check_warns():
    with hooks.register_temporarily(HOOK_NAME, _standard_pages_section):
        keys = [section.key for section in registered_sections(HOOK_NAME, HomePage.SECTIONS)]
        warnings = check_section_names()
    assert keys == [*HomePage.SECTIONS, "pages"]
    assert [warning.id for warning in warnings] == ["home.W201"]
    assert "'pages'" in warnings[0].msg and "HomePage.SECTIONS" in warnings[0].msg


def test_a_listed_name_no_app_registers_is_skipped():
    keys = [section.key for section in registered_sections(HOOK_NAME, ["gone", "news", "notices"])]
    assert keys[:2] == ["news", "notices"]
    assert "gone" not in keys


# --- Page-tree rules --------------------------------------------------------------------------


class HomePageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_only_one_home_page(self):
        root = Page.get_first_root_node()
        HomePageFactory(parent=root, slug="first-home")
        self.assertFalse(HomePage.can_create_at(root))

    def test_standard_pages_under_home_and_each_other(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})


def test_every_page_links_its_icons_and_favicon_ico_leads_to_the_file(client, home_page):
    from django.contrib.staticfiles import finders

    html = client.get("/").content.decode()
    assert 'rel="icon"' in html and 'rel="apple-touch-icon"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")
    for name in ("favicon.ico", "apple-touch-icon.png", "icon-192.png"):
        assert finders.find(f"img/{name}"), name
