"""Site search: a place named in the query filters to it; recurring activities show once.

Runs on SQLite (default) and PostgreSQL (DATABASE_URL), through the real search backend.
"""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from schools.directory import district_of
from search.facts import load_facts
from search.places import find_place
from search.query import parse_query
from tests.factories.events import EventIndexPageFactory, EventPageFactory, add_occurrence
from tests.factories.schools import CommunitySchoolPageFactory, school_branch
from tests.search.pages import search

pytestmark = pytest.mark.engine

NOW = timezone.make_aware(datetime.datetime(2026, 12, 10, 9))


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def places(home_page):
    """Two districts, each with a centre and a school; a 太极拳 class in each, one more held in
    金水区 but posted in the city calendar, and one in the calendar with no place."""
    jinshui = school_branch(
        home_page,
        "金水区",
        centre={"title": "花园路街道社区教育中心"},
        school={"title": "花园路街道阳光社区学校", "address": "郑州市金水区花园路1号"},
    )
    erqi = school_branch(
        jinshui.university,
        "二七区",
        centre={"title": "大学路街道社区教育中心"},
        school={"title": "大学路街道幸福里社区学校", "address": "郑州市二七区大学路2号"},
    )
    calendar = EventIndexPageFactory(parent=home_page)
    pages = {
        "jinshui": jinshui,
        "erqi": erqi,
        "calendar": calendar,
        "in_jinshui": EventPageFactory(
            parent=jinshui.school, title="花园路太极拳晨练", summary="社区太极拳队带练。"
        ),
        "in_erqi": EventPageFactory(
            parent=erqi.school, title="大学路太极拳晨练", summary="社区太极拳队带练。"
        ),
        "held_in_jinshui": EventPageFactory(
            parent=calendar,
            title="市民学堂：太极拳展演",
            summary="各社区太极拳队集中展示。",
            venue=jinshui.school,
        ),
        "nowhere": EventPageFactory(
            parent=calendar, title="太极拳线上课", summary="在家跟着视频学太极拳。"
        ),
    }
    for key in ("in_jinshui", "in_erqi", "held_in_jinshui", "nowhere"):
        add_occurrence(pages[key], NOW + datetime.timedelta(days=3))
    return pages


def titles(response):
    return {hit.page.title for hit in response.context["outcome"].hits}


def chip_link(response) -> str:
    html = response.content.decode()
    match = re.search(r'<a class="chip" href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    assert match, "no place chip on the page"
    return unescape(match.group(1)), re.sub(r"<[^>]+>", "", match.group(2))


# --- Places as filters --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["金水区太极拳", "金水太极拳", "太极拳 金水", "金水区的太极拳"])
def test_a_district_in_the_query_narrows_the_results_to_it(client, places, query):
    response = search(client, query)
    outcome = response.context["outcome"]
    assert outcome.place is not None and outcome.place.label == "金水区"
    # Posted under a school of the district, or held at one; not the other district's, not online.
    assert titles(response) == {"花园路太极拳晨练", "市民学堂：太极拳展演"}
    assert outcome.total == 2
    href, text = chip_link(response)
    assert text.startswith("地点：金水区") and "×" in text
    assert "在金水区找到 2 条与“太极拳”相关的内容" in response.content.decode()


@pytest.mark.django_db
def test_the_chip_link_searches_again_without_the_place(client, places):
    href, _text = chip_link(search(client, "金水区太极拳", type="events.eventpage"))
    params = parse_qs(urlsplit(href).query)
    assert params["q"] == ["太极拳"]
    assert params["type"] == ["events.eventpage"]  # the type filter stays
    everywhere = client.get("/search/", {key: values[0] for key, values in params.items()})
    assert everywhere.context["outcome"].place is None
    assert titles(everywhere) == {
        "花园路太极拳晨练",
        "大学路太极拳晨练",
        "市民学堂：太极拳展演",
        "太极拳线上课",
    }


@pytest.mark.django_db
def test_a_centre_or_a_school_narrows_to_it(client, places):
    centre = search(client, "花园路街道 太极拳")
    assert centre.context["outcome"].place.label == "花园路街道"
    assert titles(centre) == {"花园路太极拳晨练", "市民学堂：太极拳展演"}
    # A street name without 街道 works when it is a name of its own (three characters or more).
    assert search(client, "大学路太极拳").context["outcome"].place.label == "大学路街道"
    school = search(client, "阳光社区学校太极拳")
    assert school.context["outcome"].place.label == "花园路街道阳光社区学校"
    assert titles(school) == {"花园路太极拳晨练", "市民学堂：太极拳展演"}


@pytest.mark.django_db
def test_a_place_alone_shows_the_place_first_then_its_pages(client, places):
    for query in ("金水区", "金水"):
        response = search(client, query)
        outcome = response.context["outcome"]
        shown = [hit.page.title for hit in outcome.hits]
        assert shown[0] == "金水区社区学院"
        assert {"花园路街道社区教育中心", "花园路街道阳光社区学校", "市民学堂：太极拳展演"} <= set(
            shown
        )
        assert not {"大学路街道幸福里社区学校", "大学路太极拳晨练", "太极拳线上课"} & set(shown)
        assert "金水区的学校、课程和活动等，共" in response.content.decode()


@pytest.mark.django_db
def test_a_name_several_places_share_selects_them_all_and_another_place_narrows_it(client, places):
    for branch in (places["jinshui"], places["erqi"]):
        CommunitySchoolPageFactory(parent=branch.centre, title="新华社区学习点")
    both = search(client, "新华社区学习点").context["outcome"]
    assert len(both.place.places) == 2
    assert both.place.label == "新华社区学习点（金水区、二七区）"
    one = search(client, "二七区新华社区学习点").context["outcome"]
    assert [place.pk for place in one.place.places] == [
        page.pk for page in places["erqi"].centre.get_children() if page.title == "新华社区学习点"
    ]


@pytest.mark.django_db
def test_the_place_can_be_read_as_plain_text(client, places):
    response = search(client, "金水区太极拳")
    assert "把“金水区”当作普通文字搜索" in response.content.decode()
    plain = search(client, "金水区太极拳", place="off")
    assert plain.context["outcome"].place is None
    assert '<a class="chip"' not in plain.content.decode()


@pytest.mark.django_db
def test_nothing_in_the_place_says_so_and_links_to_everywhere(client, places):
    response = search(client, "二七区 展演")
    html = response.content.decode()
    assert response.context["outcome"].total == 0
    assert "在二七区没有找到与“展演”相关的内容" in html
    assert "在全部地点中搜索“展演”" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "金水区" * 400,
        "金水" * 60 + "太极拳",
        "金水区！！！太极拳？？？",
        "《金水区》“太极拳”",
        "金水区' OR 1=1 --",
        "区区区区区区",
        "金水区\x00太极",
        "的的的金水区的的的",
        "花园路街道社区教育中心花园路街道阳光社区学校金水区二七区",
        "％金水区％_",
    ],
)
def test_bad_place_like_input_never_fails(client, places, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    suggest = client.get("/search/suggest/", {"q": query})
    assert suggest.status_code == 200


@pytest.mark.django_db  # parse_query reads the editors' synonyms
def test_recognition_rules_on_hand_made_places():
    from search.facts import PlaceRow

    rows = [
        PlaceRow(1, "金水区社区学院", "0001000100010001", 2, "金水区"),
        PlaceRow(2, "花园路街道社区教育中心", "00010001000100010001", 3),
        PlaceRow(3, "少林街道社区教育中心", "00010001000100010002", 3),
        PlaceRow(4, "管城回族区社区学院", "0001000100010002", 2, "管城回族区"),
    ]

    def read(text):
        match = find_place(parse_query(text).text, rows)
        return (match.label, match.rest) if match else None

    assert read("金水区太极拳") == ("金水区", "太极拳")
    assert read("金水 太极拳") == ("金水区", "太极拳")
    assert read("管城书法") == ("管城回族区", "书法")
    assert read("在花园路学书法") == ("花园路街道", "学书法")
    # A two-character street name is a word of its own: 少林拳 is about kung fu, not a street.
    assert read("少林拳") is None
    assert read("少林街道 太极") == ("少林街道", "太极")
    assert read("太极拳") is None


# --- Recurring activities ------------------------------------------------------------------


@pytest.fixture
def yearly(places):
    """The same event (title, venue) in two years: last year's is over, this year's is coming."""
    school = places["jinshui"].school
    old = EventPageFactory(
        parent=places["calendar"], title="社区八段锦展演", summary="八段锦展示", venue=school
    )
    new = EventPageFactory(
        parent=places["calendar"], title="社区八段锦展演", summary="八段锦展示", venue=school
    )
    add_occurrence(old, NOW - datetime.timedelta(days=365))
    add_occurrence(new, NOW + datetime.timedelta(days=5))
    # Same title elsewhere: another activity, told apart by place and date.
    other = EventPageFactory(
        parent=places["calendar"],
        title="社区八段锦展演",
        summary="八段锦展示",
        venue=places["erqi"].school,
    )
    add_occurrence(other, NOW + datetime.timedelta(days=8))
    return {"old": old, "new": new, "other": other}


@pytest.mark.django_db
def test_a_recurring_activity_appears_once_with_its_next_date(client, yearly):
    with time_machine.travel(NOW, tick=False):
        response = search(client, "八段锦")
    outcome = response.context["outcome"]
    hits = outcome.hits
    assert [hit.page.pk for hit in hits if hit.page.venue_id == yearly["new"].venue_id] == [
        yearly["new"].pk
    ]
    assert outcome.total == 2
    shown = next(hit for hit in hits if hit.page.pk == yearly["new"].pk)
    assert shown.when == "2026年12月15日 09:00"
    assert shown.series_note == "同一活动共 2 场，这里显示最近的一场"
    # The two identical titles left are told apart by place and date.
    html = response.content.decode()
    assert "（花园路街道阳光社区学校，12月15日）" in html
    assert "（大学路街道幸福里社区学校，12月18日）" in html


@pytest.mark.django_db
def test_when_every_time_is_over_the_latest_is_shown(client, places):
    school = places["erqi"].school
    pages = []
    for years_ago in (2, 1):
        page = EventPageFactory(parent=places["calendar"], title="重阳登高讲座", venue=school)
        add_occurrence(page, NOW - datetime.timedelta(days=365 * years_ago))
        pages.append(page)
    with time_machine.travel(NOW, tick=False):
        hits = search(client, "重阳登高").context["outcome"].hits
    assert [hit.page.pk for hit in hits] == [pages[1].pk]
    # Not "the nearest one" beside its own 已结束: every time of it is over.
    assert hits[0].over and hits[0].series_note == "同一活动共 2 场，都已结束，这里显示最后一场"


@pytest.mark.django_db
def test_suggestions_have_no_duplicate_titles_and_link_the_next_time(client, yearly):
    with time_machine.travel(NOW, tick=False):
        suggestions = client.get("/search/suggest/", {"q": "八段锦"}).json()["suggestions"]
    seen = [item["title"] for item in suggestions]
    assert seen == ["社区八段锦展演"]
    # Two activities of that title remain (two places): the line searches for the title.
    assert suggestions[0]["type"] == "活动（共 2 项）"


@pytest.mark.django_db
def test_a_recurring_activity_alone_in_suggestions_links_its_next_time(client, places):
    school = places["erqi"].school
    old = EventPageFactory(parent=places["calendar"], title="冬至包饺子活动", venue=school)
    new = EventPageFactory(parent=places["calendar"], title="冬至包饺子活动", venue=school)
    add_occurrence(old, NOW - datetime.timedelta(days=365))
    add_occurrence(new, NOW + datetime.timedelta(days=11))
    with time_machine.travel(NOW, tick=False):
        suggestions = client.get("/search/suggest/", {"q": "饺子"}).json()["suggestions"]
    assert [(item["title"], item["url"]) for item in suggestions] == [("冬至包饺子活动", new.url)]


@pytest.mark.django_db
def test_facts_come_in_one_query(places, django_assert_max_num_queries):
    load_facts()  # content types known, as on a running server
    with django_assert_max_num_queries(1):
        facts = load_facts()
    assert {place.title for place in facts.places} >= {"金水区社区学院", "花园路街道阳光社区学校"}


# --- On the demo site -------------------------------------------------------------------------


@pytest.mark.django_db
def test_on_the_demo_a_district_and_an_activity_find_only_that_district(client, demo):
    response = search(client, "金水区太极拳")
    outcome = response.context["outcome"]
    assert outcome.place.label == "金水区" and outcome.total >= 1
    for hit in outcome.hits:
        page = hit.page
        venue = getattr(page, "venue", None)
        district = district_of(page) or (district_of(venue.specific) if venue else None)
        assert district is not None and district.district_name == "金水区", page.title


@pytest.mark.django_db
def test_what_is_still_to_come_is_listed_before_what_is_over(client, places):
    # The ended talk matches better (its title and summary say 剪纸 twice), yet on the page of
    # results the coming one comes first; a page with no dates keeps its place among the first.
    held = EventPageFactory(
        parent=places["calendar"], title="剪纸剪纸体验课", summary="剪纸：剪一个福字。"
    )
    coming = EventPageFactory(parent=places["calendar"], title="社区活动：剪纸", summary="欢迎。")
    add_occurrence(held, NOW - datetime.timedelta(days=3))
    add_occurrence(coming, NOW + datetime.timedelta(days=3))
    with time_machine.travel(NOW, tick=False):
        hits = search(client, "剪纸").context["outcome"].hits
    assert [hit.page.pk for hit in hits] == [coming.pk, held.pk]
    assert [hit.over for hit in hits] == [False, True]
    assert "（已结束）" in hits[1].when
