"""Page fragments (core.page_cache.Fragment): the home page's sections, the header and the
footer, reused by every render outside the page cache until what they show changes, and never
by a preview.

The page cache is off here (as for an editor's visit or a URL nobody asked for yet), except in
test_a_page_made_of_reused_sections…, where such a page must still leave the page cache exactly.
"""

import datetime
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html
from wagtail.models import PageViewRestriction, Site

from core.page_cache import Fragment, kept, kept_many, path_keys
from events.models import LecturePage
from home.models import SiteSettings
from learning_resources.models import CoursePage, CourseTeacher
from tests.conftest import publish
from tests.factories.events import (
    EventIndexPageFactory,
    EventPageFactory,
    ForumIndexPageFactory,
    LecturePageFactory,
    add_occurrence,
)
from tests.factories.home import AudienceFactory, PersonFactory, StandardPageFactory
from tests.factories.learning_resources import (
    CourseIndexPageFactory,
    CoursePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
)
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.schools import CommunitySchoolPageFactory, school_branch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.FRAGMENT_CACHE_ENABLED = True


@pytest.fixture
def site(home_page):
    calendar = EventIndexPageFactory(parent=home_page)
    news = NewsIndexPageFactory(parent=home_page)
    soon = timezone.now() + datetime.timedelta(days=3)
    for number in range(3):
        event = EventPageFactory(parent=calendar, title=f"社区太极晨练{number}")
        add_occurrence(event, soon + datetime.timedelta(days=number))
    for number in range(3):
        NewsPageFactory(parent=news, title=f"社区学校开学{number}")
    Client().get("/")  # the first request ever creates the site settings row: a change
    return {"calendar": calendar, "news": news, "soon": soon}


def home(client=None):
    """The home page's HTML and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = (client or Client()).get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def new_event(site, title):
    event = EventPageFactory(parent=site["calendar"], title=title, live=False)
    add_occurrence(event, site["soon"] - datetime.timedelta(days=1))
    publish(event)
    return event


def test_sections_are_reused_until_what_they_show_changes(site):
    first, built = home()
    second, reused = home()

    assert second == first
    assert "社区太极晨练0" in first and "社区学校开学0" in first
    # Only the page's own queries are left: the sections' lists, cards and renditions are not.
    assert reused <= built - 3

    new_event(site, "重阳节书法体验课")
    after_publish, rebuilt = home()

    assert "重阳节书法体验课" in after_publish
    # The events section is built again; the news sections are still reused.
    assert reused < rebuilt < built
    assert after_publish.count("社区学校开学0") == first.count("社区学校开学0")


def test_a_change_to_one_news_article_reaches_the_home_page_at_once(site):
    home()
    article = site["news"].get_children().live().first().specific
    article.title = "社区学校春季开学"
    publish(article)

    html, _queries = home()

    assert "社区学校春季开学" in html


def test_a_preview_neither_uses_nor_fills_the_fragments(site):
    """Wagtail marks a preview's request (``is_preview``); a draft is for one editor alone."""
    visitor = RequestFactory().get("/")
    stored = Fragment(visitor, "home|sections")
    with stored.building():
        pass
    stored.store("<p>已发布的内容</p>")
    assert Fragment(RequestFactory().get("/"), "home|sections").html == "<p>已发布的内容</p>"

    preview = RequestFactory().get("/")
    preview.is_preview = True
    draft = Fragment(preview, "home|sections")
    assert draft.html is None
    with draft.building():
        pass
    draft.store("<p>草稿</p>")
    assert Fragment(RequestFactory().get("/"), "home|sections").html == "<p>已发布的内容</p>"


def test_a_page_made_of_reused_sections_leaves_the_page_cache_when_one_changes(site, settings):
    settings.PAGE_CACHE_ENABLED = True
    Client().get("/")  # the sections are stored with the page
    # The same page under a parameter it does not read: a page-cache miss, made of fragments.
    assert Client().get("/?source=poster")["X-Page-Cache"] == "miss"
    assert Client().get("/?source=poster")["X-Page-Cache"] == "hit"

    new_event(site, "重阳节书法体验课")

    response = Client().get("/?source=poster")
    assert response["X-Page-Cache"] == "miss"
    assert "重阳节书法体验课" in response.content.decode()


def menu(html):
    """The header menu's items, and the one marked as the current section."""
    nav = lxml_html.fromstring(html).xpath('//nav[@id="main-nav"]')[0]
    items = [" ".join(link.text_content().split()) for link in nav.xpath(".//a")]
    current = [link.text_content() for link in nav.xpath('.//a[@aria-current="page"]')]
    return items, current


def test_the_header_and_footer_are_reused_until_the_menu_or_the_settings_change(site, home_page):
    site["calendar"].show_in_menus = True
    publish(site["calendar"])
    site["news"].show_in_menus = True
    publish(site["news"])
    calendar = Client().get("/calendar/").content.decode()
    news = Client().get("/news/").content.decode()

    # Each section's page marks its own menu item, also when the header is reused.
    assert menu(calendar) == (["首页", "活动日历", "新闻动态"], ["活动日历"])
    assert menu(Client().get("/news/").content.decode()) == menu(news)
    assert menu(news)[1] == ["新闻动态"]

    about = StandardPageFactory(parent=home_page, title="关于我们", show_in_menus=True, live=False)
    publish(about)
    assert menu(Client().get("/calendar/").content.decode())[0] == [
        "首页",
        "活动日历",
        "新闻动态",
        "关于我们",
    ]

    settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.organizer = "郑州市教育局"
    settings_row.save()
    assert "郑州市教育局" in Client().get("/calendar/").content.decode()


# --- kept data (core.page_cache.kept) --------------------------------------------------------


@pytest.fixture
def catalogue(home_page):
    """A course catalogue with a course in one district, its audience and its tag."""
    branch = school_branch(home_page, "金水区", school={})
    courses = CourseIndexPageFactory(parent=home_page)
    audience = AudienceFactory(name="退休职工", slug="retired")
    CoursePageFactory(parent=branch.school, title="太极拳入门", audiences=[audience], tags=["太极"])
    Client().get("/")  # the first request ever creates the site settings row: a change
    return SimpleNamespace(branch=branch, courses=courses)


def filter_options(html, name):
    """The texts of a filter's options, as the catalogue's form offers them."""
    return [
        " ".join(option.text_content().split())
        for option in lxml_html.fromstring(html).xpath(f'//select[@name="{name}"]/option')
    ]


def catalogue_page():
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/courses/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_districts_vocabularies_and_tags_a_filter_offers_are_kept_until_they_change(
    catalogue,
):
    first, built = catalogue_page()
    second, reused = catalogue_page()

    assert second == first
    assert "金水区" in filter_options(first, "district")
    assert "退休职工" in filter_options(first, "audience")
    # The Sites, the districts, the audiences, the categories and the tag cloud are not loaded
    # again; the course cards' own queries are.
    assert reused <= built - 5

    college = catalogue.branch.college
    college.district_name = "金水新区"
    publish(college)
    AudienceFactory(
        name="社区志愿者", slug="volunteers"
    )  # site-wide vocabulary: a new row reaches every filter
    CoursePageFactory(parent=catalogue.branch.school, title="八段锦", tags=["养生"])

    after, _queries = catalogue_page()

    assert "金水新区" in filter_options(after, "district")
    assert "金水区" not in filter_options(after, "district")
    assert {"退休职工", "社区志愿者"} <= set(filter_options(after, "audience"))
    assert "养生" in after and "八段锦" in after


def test_kept_data_is_built_every_time_with_fragments_off(catalogue, settings):
    """The query budgets count a full render: with fragments off nothing is kept."""
    settings.FRAGMENT_CACHE_ENABLED = False
    _html, built = catalogue_page()
    _html, again = catalogue_page()
    assert again == built


def test_a_value_kept_from_the_cache_is_a_fresh_copy_each_time(catalogue):
    first = kept("districts-for-test", lambda: [catalogue.branch.college.specific])
    first[0].district_name = "改过的名字"
    first.append(None)

    again = kept("districts-for-test", lambda: pytest.fail("built again while still current"))

    assert [district.district_name for district in again] == ["金水区"]


def test_a_first_view_restriction_takes_effect_at_once_though_the_sites_are_kept(catalogue):
    """With no restriction anywhere, listings skip the check; the kept Sites say so, until the
    first restriction is added."""
    course = CoursePageFactory(parent=catalogue.branch.school, title="内部培训课")
    assert "内部培训课" in catalogue_page()[0]

    PageViewRestriction.objects.create(page=course, restriction_type="login")

    assert "内部培训课" not in catalogue_page()[0]
    assert Client().get(course.url).status_code == 302  # sent to log in


def tag_page(tag):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(f"/tags/{quote(tag)}/")
    return response, len(queries)


def card_titles(response):
    return [
        " ".join(title.text_content().split())
        for title in lxml_html.fromstring(response.content).xpath('//*[@class="card"]//h3')
    ]


def test_which_pages_carry_a_tag_is_kept_until_a_page_of_any_type_changes(catalogue):
    resources = ResourceIndexPageFactory(parent=catalogue.courses.get_parent())
    older = ResourcePageFactory(parent=resources, title="太极拳视频", tags=["太极"])
    ResourcePageFactory(parent=resources, title="太极拳图解", tags=["太极"])
    first, built = tag_page("太极")
    second, reused = tag_page("太极")

    assert card_titles(second) == card_titles(first) == ["太极拳图解", "太极拳视频", "太极拳入门"]
    # The empty types are not asked again, nor the tag join and privacy filter.
    assert reused < built

    older.title = "太极拳视频（新版）"
    publish(older)  # a new title, the same first publication: the same place
    CoursePageFactory(parent=catalogue.branch.school, title="太极拳提高", tags=["太极"])
    assert card_titles(tag_page("太极")[0]) == [
        "太极拳图解",
        "太极拳视频（新版）",
        "太极拳提高",
        "太极拳入门",
    ]

    older.unpublish()
    PageViewRestriction.objects.create(
        page=CoursePage.objects.get(title="太极拳提高"), restriction_type="login"
    )
    assert card_titles(tag_page("太极")[0]) == ["太极拳图解", "太极拳入门"]


def card_texts(html, title):
    """The label and meta line of the card titled ``title``."""
    (card,) = lxml_html.fromstring(html).xpath(
        f'//article[@class="card"][.//h3/a[normalize-space()="{title}"]]'
    )
    return [" ".join(part.text_content().split()) for part in card.xpath(".//p")]


def test_a_kept_card_shows_a_courses_new_status_the_moment_it_changes(catalogue):
    course = CoursePage.objects.get(title="太极拳入门")
    start = timezone.now() + datetime.timedelta(minutes=2)
    add_occurrence(course, start)
    first, built = catalogue_page()
    again, _queries = catalogue_page()
    assert again == first
    assert card_texts(first, "太极拳入门")[0] == "即将开课"

    # Three minutes on the class has begun: well inside the time a kept card may live, so only
    # its name (what it shows) can make it change.
    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        running, _queries = catalogue_page()
    label, meta, *_rest = card_texts(running, "太极拳入门")
    assert label == "进行中" and "下次上课" in meta

    course.title = "太极拳入门（周末班）"
    publish(course)
    assert "太极拳入门（周末班）" in catalogue_page()[0]


def detail_page(url):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    return response, len(queries)


@pytest.mark.reference_index  # a person's change reaches the pages naming them through it
def test_a_detail_pages_data_is_kept_until_it_or_what_it_shows_changes(catalogue):
    """core.routing keeps the page loaded with its detail relations; a change to the page, or
    to a person it shows, reaches the next view at once."""
    course = CoursePage.objects.get(title="太极拳入门")
    teacher = PersonFactory(name="王老师")
    course.teachers.add(CourseTeacher(person=teacher))
    publish(course)
    first, built = detail_page(course.url)
    second, reused = detail_page(course.url)

    assert first.status_code == second.status_code == 200
    assert reused < built
    assert "王老师" in second.content.decode() and "太极拳入门" in second.content.decode()

    teacher.name = "王建国"
    teacher.save()
    assert "王建国" in detail_page(course.url)[0].content.decode()

    course.summary = "每周日上午，适合零基础的长辈"
    publish(course)
    assert "每周日上午，适合零基础的长辈" in detail_page(course.url)[0].content.decode()

    course.unpublish()
    assert detail_page(course.url)[0].status_code == 404


def chosen(html, name):
    form = lxml_html.fromstring(html).xpath('//form[@class="filter-form"]')[0]
    selects = form.xpath(f'.//select[@name="{name}"]/option[@selected]')
    if selects:
        return [option.text_content().strip() for option in selects]
    return [field.get("value") for field in form.xpath(f'.//input[@name="{name}"]')]


def test_a_kept_filter_form_shows_each_visitors_own_choice(catalogue):
    """The form is kept by what it shows: the values chosen (the page number aside)."""
    retired = Client().get("/courses/?audience=retired").content.decode()
    assert chosen(retired, "audience") == ["退休职工"]
    assert chosen(Client().get("/courses/").content.decode(), "audience") == []
    assert chosen(
        Client().get("/courses/?audience=retired&page=2").content.decode(), "audience"
    ) == ["退休职工"]

    calendar = EventIndexPageFactory(parent=catalogue.courses.get_parent())
    typed = Client().get(calendar.url + "?q=<b>太极</b>").content.decode()
    assert chosen(typed, "q") == ["<b>太极</b>"] and "<b>太极</b>" not in typed  # escaped
    assert chosen(Client().get(calendar.url + "?q=书法").content.decode(), "q") == ["书法"]


def district_table(url):
    html = Client().get(url).content.decode()
    rows = lxml_html.fromstring(html).xpath('//table[@class="district-table"]/tbody/tr')
    return [" ".join(row.text_content().split()) for row in rows]


def test_the_directorys_district_table_is_kept_until_a_district_or_a_school_changes(catalogue):
    url = catalogue.branch.university.url
    assert district_table(url) == ["金水区 1 1 0"] == district_table(url)

    point = CommunitySchoolPageFactory(
        parent=catalogue.branch.centre, title="花园学习点", kind="point", live=False
    )
    publish(point)
    assert district_table(url) == ["金水区 1 1 1"]

    college = catalogue.branch.college
    college.district_name = "金水新区"
    publish(college)
    assert district_table(url) == ["金水新区 1 1 1"]


def test_kept_many_builds_only_the_values_missing_or_changed(catalogue):
    branch = catalogue.branch
    pages = {page.pk: page for page in (branch.centre, branch.school)}
    wanted = {pk: (f"test-many|{pk}", path_keys(page.path)) for pk, page in pages.items()}
    built = []

    def build(missing):
        built.append(sorted(missing))
        return {pk: pages[pk].specific.title for pk in missing}

    first = kept_many(wanted, build)
    again = kept_many(wanted, build)
    assert first == again == {pk: page.title for pk, page in pages.items()}
    assert built == [sorted(pages)]  # once, together

    branch.school.title = "锦绣社区学校（新址）"
    publish(branch.school)
    pages[branch.school.pk] = branch.school
    after = kept_many(wanted, build)
    assert built[-1] == [branch.school.pk]  # the centre, unchanged, came from the cache
    assert after[branch.school.pk] == "锦绣社区学校（新址）"


def test_a_kept_search_result_shows_the_page_as_it_is_now(catalogue):
    def result_texts():
        html = Client().get("/search/", {"q": "太极拳"}).content.decode()
        return " ".join(lxml_html.fromstring(html).xpath("//main")[0].text_content().split())

    course = CoursePage.objects.get(title="太极拳入门")
    assert "太极拳入门" in result_texts() and "太极拳入门" in result_texts()

    course.summary = "零基础的长辈也能跟上的太极拳课"
    publish(course)
    assert "零基础的长辈也能跟上的太极拳课" in result_texts()


def related_titles(page):
    """The 相关资源 cards on a resource page, and whether that render ranked them anew."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(page.url)
    document = lxml_html.fromstring(response.content)
    titles = [
        " ".join(title.text_content().split())
        for title in document.xpath('//section[@aria-labelledby="related-heading"]//h3')
    ]
    ranked = any(
        "COUNT(" in query["sql"] and "taggedresource" in query["sql"]
        for query in queries.captured_queries
    )
    return titles, ranked


def test_a_resources_related_resources_are_kept_until_a_resource_changes(catalogue):
    resources = ResourceIndexPageFactory(parent=catalogue.courses.get_parent())
    page = ResourcePageFactory(parent=resources, title="本页", tags=["太极拳", "健康"])
    one = ResourcePageFactory(parent=resources, title="共享一个", tags=["健康"])
    assert related_titles(page) == (["共享一个"], True)
    assert related_titles(page) == (["共享一个"], False)  # the same cards, not ranked again

    two = ResourcePageFactory(parent=resources, title="共享两个", live=False)
    two.tags.add("太极拳", "健康")
    publish(two)
    assert related_titles(page) == (["共享两个", "共享一个"], True)

    one.unpublish()
    assert related_titles(page)[0] == ["共享两个"]


def course_listing(query=""):
    """The catalogue's card titles, and whether this render looked up which courses match."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/courses/" + query)
    assert response.status_code == 200
    matched = any(
        q["sql"].startswith('SELECT "learning_resources_coursepage"."page_ptr_id" AS "pk" FROM')
        for q in queries.captured_queries
    )
    return card_titles(response), matched


def test_a_listings_matching_items_are_kept_per_filter_choice_until_one_changes(catalogue):
    assert course_listing() == (["太极拳入门"], True)
    assert course_listing() == (["太极拳入门"], False)  # the same keys, loaded by key
    assert course_listing("?audience=retired") == (["太极拳入门"], True)  # its own choice
    assert course_listing("?audience=retired") == (["太极拳入门"], False)

    new = CoursePageFactory(parent=catalogue.branch.school, title="八段锦", live=False)
    publish(new)
    titles, matched = course_listing()
    assert set(titles) == {"太极拳入门", "八段锦"} and matched
    assert course_listing("?audience=retired")[0] == ["太极拳入门"]  # 八段锦 is for everyone

    CoursePage.objects.get(title="太极拳入门").unpublish()
    assert course_listing()[0] == ["八段锦"]


def forum_lists():
    """The Forum's 讲座预告 and 讲座回放 card titles, and whether this render ranked lectures."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/forum/")
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content)
    upcoming, archive = (
        [
            " ".join(title.text_content().split())
            for title in document.xpath(f'//section[@aria-labelledby="{heading}"]//h3')
        ]
        for heading in ("upcoming-heading", "archive-heading")
    )
    ranked = any('MIN("home_occurrence"' in q["sql"] for q in queries.captured_queries)
    return upcoming, archive, ranked


def test_the_forums_lists_are_kept_until_a_lecture_changes(home_page):
    forum = ForumIndexPageFactory(parent=home_page)
    now = timezone.now()
    for title, start in (
        ("黄河文化", now + datetime.timedelta(days=3)),
        ("唐诗", now - datetime.timedelta(days=30)),
    ):
        lecture = LecturePageFactory(parent=forum, title=title, live=False)
        add_occurrence(lecture, start)
        publish(lecture)
    Client().get("/")  # the first request ever creates the site settings row: a change
    assert forum_lists() == (["黄河文化"], ["唐诗"], True)
    assert forum_lists() == (["黄河文化"], ["唐诗"], False)  # loaded by key

    new = LecturePageFactory(parent=forum, title="中医养生", live=False)
    add_occurrence(new, now + datetime.timedelta(days=1))
    publish(new)
    assert forum_lists() == (["中医养生", "黄河文化"], ["唐诗"], True)

    LecturePage.objects.get(title="唐诗").unpublish()
    assert forum_lists()[:2] == (["中医养生", "黄河文化"], [])
