"""Site search: Chinese segmentation, pinyin, facets, promotions, suggestions and bad input.

Runs on SQLite (default) and PostgreSQL (DATABASE_URL): every query goes through the real
database search backend, as it does for a resident.
"""

import datetime
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search import index
from wagtail.search.models import IndexEntry

from core.segmentation import (
    PINYIN_SYLLABLES,
    SEGMENT_FIELD_NAMES,
    SegmentedSearchMixin,
    bigram_text,
    split_pinyin,
    unigram_text,
)
from learning_resources.models import ResourcePage
from search.query import MAX_QUERY_LENGTH, parse_query
from tests.conftest import publish, queries_for
from tests.factories.events import (
    EventIndexPageFactory,
    EventPageFactory,
    ForumIndexPageFactory,
    LecturePageFactory,
    add_occurrence,
)
from tests.factories.home import StandardPageFactory
from tests.factories.learning_resources import ResourceIndexPageFactory, ResourcePageFactory
from tests.factories.schools import (
    CommunitySchoolPageFactory,
    school_branch,
)
from tests.search.pages import search

# Runs again on PostgreSQL in CI: the search backend is the database's own full text (SQLite FTS5
# here, PostgreSQL's tsvector there).
pytestmark = pytest.mark.engine

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def empty_cache():
    """Suggestions are cached briefly; each test starts from an empty cache."""
    cache.clear()


@pytest.fixture
def site(home_page):
    """A small site with one page of each kind a resident searches for."""
    resources = ResourceIndexPageFactory(parent=home_page)
    calendar = EventIndexPageFactory(parent=home_page)
    forum = ForumIndexPageFactory(parent=home_page)
    branch = school_branch(home_page, centre={"title": "经八路街道社区教育中心"})
    university, centre = branch.university, branch.centre
    pages = {
        "home": home_page,
        "resources": resources,
        "calendar": calendar,
        "forum": forum,
        "university": university,
        "taiji": ResourcePageFactory(
            parent=resources,
            title="太极拳入门课程",
            summary="跟着老师一招一式学习二十四式，适合中老年朋友。",
            tags=["健身"],
        ),
        "reading": EventPageFactory(
            parent=calendar,
            title="绿城读书节亲子阅读活动",
            summary="家长和孩子一起读绘本、讲故事。",
            venue_address="郑州图书馆少儿阅览室",
        ),
        "lecture": LecturePageFactory(
            parent=forum,
            title="黄河文化与郑州",
            summary="郑州讲坛邀请专家讲述黄河文化的源流与传承。",
        ),
        "school": CommunitySchoolPageFactory(
            parent=centre, title="纬五路社区学校", address="郑州市金水区纬五路12号"
        ),
        "about": StandardPageFactory(parent=home_page, title="关于我们", intro="网站简介"),
    }
    add_occurrence(pages["reading"], timezone.now() + datetime.timedelta(days=3))
    return pages


def titles(response):
    return [hit.page.title for hit in response.context["outcome"].hits]


# --- Chinese, pinyin, initials --------------------------------------------------------------


def test_the_written_out_syllables_are_the_ones_the_installed_pypinyin_knows():
    """core.segmentation spells out the syllable table so a search never loads pinyin_dict; an
    upgrade of pypinyin that reads a syllable differently shows here."""
    import re

    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    known = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            syllable = to_normal(reading).replace("ü", "v")
            # Interjections written without a vowel (hm, ng) would only add bogus splits.
            if syllable.isascii() and syllable.isalpha() and re.search("[aeiouv]", syllable):
                known.add(syllable)
    assert known == PINYIN_SYLLABLES
    assert {"zhuang", "lv", "xian", "er"} <= PINYIN_SYLLABLES and "ng" not in PINYIN_SYLLABLES


def test_a_search_does_not_load_pypinyins_dictionary(migrated_database, tmp_path):
    database = tmp_path / "db.sqlite3"
    shutil.copy2(migrated_database, database)
    code = (
        "import django, sys; django.setup();"
        "from search.query import parse_query; parse_query('taiji 太极 xian');"
        "print('pypinyin.pinyin_dict' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zzsite.settings.test",
            "DATABASE_URL": f"sqlite:///{database}",
        },
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("太极", "太极拳入门课程"),
        ("太极拳", "太极拳入门课程"),
        ("入门课程", "太极拳入门课程"),
        ("拳", "太极拳入门课程"),
        ("二十四式", "太极拳入门课程"),
        ("健身", "太极拳入门课程"),  # a tag
        ("读书", "绿城读书节亲子阅读活动"),
        ("阅读", "绿城读书节亲子阅读活动"),
        ("亲子 绘本", "绿城读书节亲子阅读活动"),
        ("黄河文化", "黄河文化与郑州"),
        ("讲坛", "黄河文化与郑州"),
        ("纬五路", "纬五路社区学校"),
        ("taijiquan", "太极拳入门课程"),
        ("TaiJiQuan", "太极拳入门课程"),
        ("tjq", "太极拳入门课程"),
        ("huanghe", "黄河文化与郑州"),
        ("lcdsj", "绿城读书节亲子阅读活动"),
    ],
)
def test_chinese_and_pinyin_queries_find_their_page(client, site, query, expected):
    assert expected in titles(search(client, query))


@pytest.mark.django_db
def test_two_character_query_matches_inside_longer_words_only_where_they_occur(client, site):
    found = titles(search(client, "太极"))
    assert found == ["太极拳入门课程"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["火箭发射", "极太", "xyzzyq", "太极 黄河"])
def test_a_query_that_matches_nothing_finds_nothing(client, site, query):
    response = search(client, query)
    assert titles(response) == []
    assert "没有找到与" in response.content.decode()


@pytest.mark.django_db
def test_result_shows_type_highlighted_snippet_and_date_or_place(client, site):
    response = search(client, "阅读")
    html = response.content.decode()
    hit = response.context["outcome"].hits[0]
    assert hit.type_label == "活动"
    assert "<mark>阅读</mark>" in str(hit.title_html)
    assert "年" in hit.when  # the next occurrence
    assert hit.place == "郑州图书馆少儿阅览室"
    assert "<mark>阅读</mark>" in html

    school = search(client, "纬五路").context["outcome"].hits[0]
    assert school.place == "郑州市金水区纬五路12号"
    assert school.type_label == "社区学校/学习点"


@pytest.mark.django_db
def test_snippet_escapes_page_text(client, site):
    page = site["about"]
    page.intro = "<script>alert(1)</script> 网站导览说明"
    publish(page)
    html = search(client, "导览").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>导览</mark>" in html


@pytest.mark.django_db
def test_private_and_draft_pages_are_not_found(client, site):
    PageViewRestriction.objects.create(
        page=site["lecture"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    site["taiji"].unpublish()
    assert titles(search(client, "黄河文化")) == []
    assert titles(search(client, "太极")) == []


# --- Editing, facets, promotions ------------------------------------------------------------


@pytest.mark.django_db
def test_an_edited_page_is_found_by_its_new_text_and_not_its_old(client, site):
    page = site["about"]
    page.intro = "每天清晨在公园练习太极推手"
    publish(page)
    assert "关于我们" in titles(search(client, "太极推手"))

    page.intro = "每天清晨在公园练习八段锦"
    publish(page)
    assert "关于我们" in titles(search(client, "八段锦"))
    assert "关于我们" not in titles(search(client, "太极推手"))
    assert "关于我们" not in titles(search(client, "推手"))


@pytest.mark.django_db
def test_facet_counts_agree_with_results_and_narrow_by_type(client, site):
    response = search(client, "郑州")
    outcome = response.context["outcome"]
    facets = {facet.value: facet.count for facet in outcome.facets}
    assert len(facets) >= 3
    assert sum(facets.values()) == outcome.total
    for value, count in facets.items():
        narrowed = search(client, "郑州", type=value).context["outcome"]
        assert narrowed.total == count
        assert narrowed.selected_type == value
        assert {type(hit.page)._meta.label_lower for hit in narrowed.hits} == {value}
    assert "type=events.lecturepage" in response.content.decode()


@pytest.mark.django_db
def test_promoted_results_come_first(client, site):
    query = Query.objects.create(query_string="读书")
    SearchPromotion.objects.create(
        query=query, page=site["about"], description="编辑推荐的读书活动指南", sort_order=0
    )
    response = search(client, "读书")
    outcome = response.context["outcome"]
    assert [promotion.hit.page.title for promotion in outcome.promotions] == ["关于我们"]
    assert titles(response) == ["绿城读书节亲子阅读活动"]
    html = response.content.decode()
    assert html.index("编辑推荐的读书活动指南") < html.index("节亲子阅读活动</a>")
    # Looking promotions up never records the query.
    search(client, "另一个查询")
    assert Query.objects.count() == 1


@pytest.mark.django_db
def test_pagination_keeps_the_query_and_type(client, site):
    resources = site["resources"]
    for number in range(13):
        ResourcePageFactory(parent=resources, title=f"八段锦练习第{number + 1}课")
    first = search(client, "八段锦", type="learning_resources.resourcepage")
    assert len(titles(first)) == 10
    html = first.content.decode()
    assert "page=2" in html and "type=learning_resources.resourcepage" in html
    second = search(client, "八段锦", type="learning_resources.resourcepage", page="2")
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))


# --- Empty, no results, hostile input ----------------------------------------------------------


@pytest.mark.django_db
def test_empty_query_shows_help_with_links_that_exist(client, site):
    html = search(client, "").content.decode()
    assert "请输入要找的内容" in html
    assert 'href="/calendar/"' in html
    assert 'href="/schools/"' in html
    assert 'href="/resources/"' in html


@pytest.mark.django_db
def test_no_results_suggests_the_calendar_and_directory(client, site):
    html = search(client, "火箭发射").content.decode()
    assert 'href="/calendar/"' in html
    assert 'href="/schools/"' in html


HOSTILE_QUERIES = [
    "",
    "   ",
    "太" * 1000,
    "太极 " * 300,
    '"',
    '"太极',
    "*",
    "太*",
    "OR",
    "太极 OR 读书",
    "NEAR(",
    "NEAR(太极 读书)",
    "-",
    "-太极",
    ":",
    "title:太极",
    "body:(太极)",
    "'); DROP TABLE wagtailcore_page; --",
    "\x01\x02\x1b[31m",
    "太极\x00读书",
    "\\",
    "%",
    "^太极$",
    "{title body}: 太极",
    "太极 AND",
    "&|!<->",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_get_a_normal_page(client, site, caplog, query):
    caplog.set_level(logging.WARNING)
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert not [
        record
        for record in caplog.records
        if record.name.startswith(("django.db.backends", "django.request"))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query_string",
    [
        "q=%00",
        "q=%E5%A4%AA%00%E6%9E%81",
        "q=%E5%A4",
        "q=%zz%",
        "q=%",
        "q=太极&type=nope.model",
        "q=太极&type=auth.user",
        "q=太极&type=%00",
        "q=太极&type=" + "x" * 500,
        "q=太极&page=99999999999999999999999999",
        "q=太极&page=-3",
        "q=太极&page=abc",
        "q=太极&page=" + "9" * 5000,
        "q=太极&q=读书",
    ],
)
def test_hostile_parameters_get_a_normal_page(client, site, caplog, query_string):
    caplog.set_level(logging.WARNING)
    response = client.get("/search/?" + query_string)
    assert response.status_code == 200
    assert not [
        record
        for record in caplog.records
        if record.name.startswith(("django.db.backends", "django.request"))
    ]


@pytest.mark.django_db
def test_unknown_type_says_so_and_shows_all_types(client, site):
    response = search(client, "太极", type="nope.model")
    assert "没有“nope.model”这种内容类型" in response.content.decode()
    assert titles(response) == ["太极拳入门课程"]


@pytest.mark.django_db
def test_huge_page_number_shows_the_last_page(client, site):
    response = search(client, "太极", page="99999999999")
    assert titles(response) == ["太极拳入门课程"]
    assert "已显示最后一页" in response.content.decode()


@pytest.mark.django_db
def test_query_is_cleaned_and_capped():
    parsed = parse_query('  "太极"  OR  -读书* NEAR(黄河:文化) ')
    assert parsed.pieces == ["太极", "or", "读书", "near", "黄河", "文化"]
    assert parse_query("太" * 1000).pieces == ["太" * MAX_QUERY_LENGTH]
    assert len(parse_query("词 " * 100).pieces) <= 8
    assert parse_query("\x00 * : -").is_empty
    assert parse_query("").is_empty


def test_segmentation_pieces():
    assert bigram_text(["太极拳入门"]) == "太极 极拳 拳入 入门"
    assert bigram_text(["太极，读书"]) == "太极 读书"
    assert set(unigram_text(["学习5G手机"]).split()) == {"学", "习", "手", "机", "5g"}
    assert ["tai", "ji", "quan"] in split_pinyin("taijiquan")
    assert split_pinyin("xian")[0] == ["xian"]
    assert split_pinyin("qqqq") == []


# --- Suggestions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_suggest_returns_titles_urls_and_types(client, site):
    response = client.get("/search/suggest/", {"q": "太极"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["suggestions"] == [
        {"title": "太极拳入门课程", "url": site["taiji"].url, "type": "学习资源"}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "太", "a", " * ", "\x00"])
def test_suggest_needs_two_characters(client, site, query):
    response = client.get("/search/suggest/", {"q": query})
    assert response.status_code == 200
    assert response.json()["suggestions"] == []


@pytest.mark.django_db
def test_suggest_is_bounded(client, site):
    for number in range(12):
        ResourcePageFactory(parent=site["resources"], title=f"太极扇第{number + 1}式")
    suggestions = client.get("/search/suggest/", {"q": "太极"}).json()["suggestions"]
    assert len(suggestions) == 8
    long_query = client.get("/search/suggest/", {"q": "太极" * 600})
    assert long_query.status_code == 200


# --- Identical titles are told apart -----------------------------------------------------------


def _weekly_morning_exercise(calendar, venue_address, first):
    event = EventPageFactory(
        parent=calendar,
        title="每周太极拳晨练",
        summary="社区太极拳队带领居民晨练。",
        venue_address=venue_address,
    )
    for week in range(8):
        add_occurrence(event, first + datetime.timedelta(weeks=week))
    return event


@pytest.mark.django_db
def test_weekly_activity_is_one_hit_with_its_rhythm_and_next_date(client, site):
    tuesday = timezone.make_aware(datetime.datetime(2026, 12, 1, 7, 30))
    _weekly_morning_exercise(site["calendar"], "幸福里社区学校", tuesday)
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 12, 10, 9)), tick=False):
        hits = search(client, "晨练").context["outcome"].hits
    assert [hit.page.title for hit in hits] == ["每周太极拳晨练"]
    assert hits[0].when == "每周二 07:30，下次 2026年12月15日 07:30"


@pytest.mark.django_db
def test_identical_titles_show_their_places_and_dates(client, site):
    now = timezone.make_aware(datetime.datetime(2026, 12, 10, 9))
    _weekly_morning_exercise(site["calendar"], "幸福里社区学校", now + datetime.timedelta(days=1))
    _weekly_morning_exercise(site["calendar"], "书香苑社区学校", now + datetime.timedelta(days=2))
    with time_machine.travel(now, tick=False):
        html = search(client, "晨练").content.decode()
    assert "（幸福里社区学校，12月11日）" in html and "（书香苑社区学校，12月12日）" in html


@pytest.mark.django_db
def test_suggestions_list_each_title_once(client, site):
    tuesday = timezone.now() + datetime.timedelta(days=1)
    for place in ("幸福里社区学校", "书香苑社区学校", "和平社区学习点"):
        _weekly_morning_exercise(site["calendar"], place, tuesday)
    suggestions = client.get("/search/suggest/", {"q": "太极"}).json()["suggestions"]
    titles_seen = [item["title"] for item in suggestions]
    assert len(titles_seen) == len(set(titles_seen))
    merged = next(item for item in suggestions if item["title"] == "每周太极拳晨练")
    assert merged["type"] == "活动（共 3 项）"
    assert merged["url"].startswith("/search/?q=")


# --- Every page model is segmented --------------------------------------------------------------


def test_every_page_model_of_the_project_indexes_segmented_text():
    """A page type added on another branch (CoursePage…) fails here until it uses the mixin."""
    project_models = [
        model
        for model in get_page_models()
        if not model._meta.abstract
        and Path(model._meta.app_config.path).resolve().parent == Path(settings.BASE_DIR).resolve()
    ]
    assert len(project_models) >= 15
    for model in project_models:
        assert issubclass(model, SegmentedSearchMixin), model
        search_field_names = {
            field.field_name
            for field in model.get_search_fields()
            if isinstance(field, index.SearchField)
        }
        assert set(SEGMENT_FIELD_NAMES) <= search_field_names, model


# --- Query count -----------------------------------------------------------------------------


def make_matches(site, count, first=0):
    # Distinct titles: events of one title at one place are one recurring activity (one result).
    for number in range(first, first + count):
        parent = site["resources"] if number % 2 else site["calendar"]
        factory = ResourcePageFactory if number % 2 else EventPageFactory
        page = factory(parent=parent, title=f"广场舞交流{number}", summary="广场舞")
        if factory is EventPageFactory:
            add_occurrence(page, timezone.now() + datetime.timedelta(days=number + 1))


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_results(client, site):
    # A full page of strict results (fewer would add the partial matches' two queries).
    make_matches(site, 10)
    client.get("/search/?q=广场舞")  # the synonyms, read once per process until they change
    few = queries_for(client, "/search/?q=广场舞")
    assert few.response.context["outcome"].total == 10
    make_matches(site, 40, first=10)
    many = queries_for(client, "/search/?q=广场舞")
    assert many.response.context["outcome"].total == 50
    assert len(many.response.context["outcome"].hits) == 10
    assert len(many) == len(few)
    assert len(few) <= 15


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="search.backends changes ranking on SQLite only"
)


@sqlite_only
@pytest.mark.django_db
def test_results_rank_as_wagtails_own_backend_ranks_them(site):
    """Same pages, order and scores as the stock backend, ties newest first, on every page.

    "The stock backend" ranks with the title weight too (``title_weighted_compiler``: the order
    is meant to differ from Wagtail's there, a title match counting more than a body match);
    what is compared is the one-pass ranking against the stock correlated subquery.
    """
    from wagtail.search.backends import database as stock

    from search.backends import SearchBackend, title_weighted_compiler

    with connection.cursor() as cursor:
        # Ties across 99 → 100, where the index's text object ids sort otherwise than numbers.
        cursor.execute("UPDATE sqlite_sequence SET seq = 90 WHERE name = 'wagtailcore_page'")
    for number in range(24):  # ties: the same text on every page
        factory = ResourcePageFactory if number % 2 else EventPageFactory
        parent = site["resources"] if number % 2 else site["calendar"]
        factory(parent=parent, title="广场舞交流", summary="广场舞")
    assert {page.pk for page in Page.objects.filter(title="广场舞交流")} >= {99, 100}
    # Equal text scores equally once the backend's per-entry title weights are equal too.
    IndexEntry.objects.update(title_norm=1.0)
    ResourcePageFactory(parent=site["resources"], title="广场舞", summary="广场舞 广场舞 广场舞")
    ResourcePageFactory(parent=site["resources"], title="健身操", summary="也跳广场舞")
    params = settings.WAGTAILSEARCH_BACKENDS["default"]
    ours, theirs = SearchBackend(params), stock.SearchBackend(params)
    theirs.query_compiler_class = title_weighted_compiler(theirs.query_compiler_class)
    assert ours.query_compiler_class is not theirs.query_compiler_class
    query = parse_query("广场舞").query
    pages, resources = site["home"].get_descendants().live(), ResourcePage.objects.live()
    for base, total in [(pages, 26), (resources, 14)]:
        for start, stop in [(0, 10), (10, 20), (20, 30), (5, 7)]:
            ranked = [
                [(page.pk, page._score) for page in backend.search(query, base)[start:stop]]
                for backend in (ours, theirs)
            ]
            assert ranked[0] == ranked[1]
            assert len(ranked[0]) == max(0, min(stop, total) - start)
    base = pages
    assert ours.search(query, base).count() == theirs.search(query, base).count() == 26
    # As-you-type (autocomplete) queries rank the same through the ranking compiler too.
    typed = [
        [
            page.pk
            for page in backend._search(
                backend.autocomplete_query_compiler_class, "广场", base, order_by_relevance=True
            )[:10]
        ]
        for backend in (ours, theirs)
    ]
    assert typed[0] == typed[1]
    assert len(typed[0]) == 10
    # The admin's own typed Han text goes through the site's parser (tests/search/test_admin_search.py).
    assert [page.pk for page in ours.autocomplete("广场", base)[:10]] == [
        page.pk for page in ours.search(parse_query("广场").query, base)[:10]
    ]
    first = ours.search(query, base)[0]
    assert first.title == "广场舞"


@sqlite_only
@pytest.mark.django_db
def test_a_common_word_runs_the_full_text_match_once_not_once_per_result(client, site):
    """A word on every page used to cost a full-text scan per matching page (seconds at scale)."""
    make_matches(site, 30)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/?q=广场舞&page=2")
    assert response.status_code == 200
    assert response.context["outcome"].total == 30
    assert len(response.context["outcome"].hits) == 10
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if "MATCH" in query["sql"] and query["sql"].startswith("SELECT"):
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plans.append(" / ".join(row[-1] for row in cursor.fetchall()))
    assert plans
    assert not [plan for plan in plans if "CORRELATED" in plan], plans


# --- Scale-out settings --------------------------------------------------------------------


def _search_settings(**env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SEARCH_")}
    environment.update(env)
    code = (
        "import json, zzsite.settings.base as s; "
        "print(json.dumps(s.WAGTAILSEARCH_BACKENDS, ensure_ascii=False))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_search_defaults_to_the_database():
    result = _search_settings()
    assert result.returncode == 0, result.stderr
    backend = json.loads(result.stdout)["default"]
    assert backend["BACKEND"] == "search.backends"
    assert backend["SEARCH_CONFIG"] == "simple"


def test_search_url_switches_to_elasticsearch_with_a_cjk_analyzer():
    result = _search_settings(SEARCH_URL="http://search.internal:9200")
    assert result.returncode == 0, result.stderr
    backend = json.loads(result.stdout)["default"]
    assert backend["BACKEND"] == "wagtail.search.backends.elasticsearch8"
    assert backend["URLS"] == ["http://search.internal:9200"]
    analyzer = backend["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]["default"]
    assert analyzer == {"type": "cjk"}


def test_plugin_analyzer_and_no_opensearch_option():
    result = _search_settings(SEARCH_URL="https://search.internal:9200", SEARCH_ANALYZER="smartcn")
    assert result.returncode == 0, result.stderr
    backend = json.loads(result.stdout)["default"]
    analyzer = backend["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]["default"]
    assert analyzer == {"type": "smartcn"}
    # Its client cannot load beside the `events` app (see settings), so it is refused, not broken.
    refused = _search_settings(
        SEARCH_URL="https://search.internal:9200", SEARCH_BACKEND="opensearch"
    )
    assert refused.returncode != 0 and "SEARCH_BACKEND" in refused.stderr


def test_unknown_search_backend_is_refused():
    result = _search_settings(SEARCH_URL="http://search.internal:9200", SEARCH_BACKEND="solr")
    assert result.returncode != 0
    assert "SEARCH_BACKEND" in result.stderr


BUILD_CONFIGURED_BACKEND = """
import django
django.setup()
from wagtail.search.backends import get_search_backend
from events.models import EventPage
backend = get_search_backend()
backend.get_index_for_model(EventPage)  # builds the client and the index object; no request sent
print(type(backend).__module__)
"""


@pytest.mark.parametrize("name", sorted(settings.SEARCH_BACKENDS_BY_NAME))
def test_every_search_backend_offered_builds_with_the_installed_client(name):
    """Each SEARCH_BACKEND value README offers must import and build its client (an opensearch
    option once named a backend whose client was never installed)."""
    module = settings.SEARCH_BACKENDS_BY_NAME[name].rsplit(".", 1)[1]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SEARCH_")}
    environment.update(
        SEARCH_URL="http://127.0.0.1:9",
        SEARCH_BACKEND=name,
        DJANGO_SETTINGS_MODULE="zzsite.settings.dev",
    )
    result = subprocess.run(
        [sys.executable, "-c", BUILD_CONFIGURED_BACKEND],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(module)


BUILD_ELASTICSEARCH_INDEX = """
import json, django
django.setup()
from wagtail.search.backends import get_search_backend
from events.models import EventPage
backend = get_search_backend()
mapping = backend.mapping_class(EventPage)
index = backend.get_index_for_model(EventPage)
print(json.dumps({
    "backend": type(backend).__module__,
    "index": index.name,
    "settings": backend.settings,
    "mapping": mapping.get_mapping(),
}, ensure_ascii=False, default=str))
"""


def test_elasticsearch_index_configuration_builds_with_the_cjk_analyzer():
    """The real backend builds its index settings and page mappings (no cluster is contacted)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SEARCH_")}
    environment.update(
        SEARCH_URL="http://127.0.0.1:9",
        SEARCH_INDEX_PREFIX="zz_",
        DJANGO_SETTINGS_MODULE="zzsite.settings.test",
    )
    result = subprocess.run(
        [sys.executable, "-c", BUILD_ELASTICSEARCH_INDEX],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    built = json.loads(result.stdout)
    assert built["backend"] == "wagtail.search.backends.elasticsearch8"
    assert built["index"].startswith("zz_")
    assert built["settings"]["settings"]["analysis"]["analyzer"]["default"] == {"type": "cjk"}
    properties = json.dumps(built["mapping"], ensure_ascii=False)
    # The segmented fields every page model adds, and the event's own text, are in the mapping.
    for field in ("search_bigrams", "search_pinyin", "summary"):
        assert field in properties, field
