"""Search that answers residents as they type: partial matches, title weight, traditional
characters, pinyin slips and partial syllables, and the editors' synonyms (issue 22).

Runs on SQLite and PostgreSQL (DATABASE_URL) through the real database search backend.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse

from core.cache_invalidation import site_wide_models
from search.models import SearchSynonym
from search.pinyin import sounds_alike
from tests.factories.home import StandardPageFactory
from tests.factories.learning_resources import ResourceIndexPageFactory, ResourcePageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def hits(response):
    return response.context["outcome"].hits


def titles(response):
    return [hit.page.title for hit in hits(response)]


def suggestions(client, query):
    response = client.get("/search/suggest/", {"q": query})
    assert response.status_code == 200
    return [item["title"] for item in response.json()["suggestions"]]


@pytest.fixture
def resources(home_page):
    return ResourceIndexPageFactory(parent=home_page)


# --- On the demo site ------------------------------------------------------------------------


def test_traditional_characters_find_the_simplified_pages(client, demo):
    simplified, traditional = search(client, "学校"), search(client, "學校")
    assert traditional.context["outcome"].total == simplified.context["outcome"].total > 100
    assert titles(traditional) == titles(simplified)
    assert "学校" in titles(traditional)[0]


def test_a_slip_in_pinyin_still_finds_the_page(client, demo):
    found = titles(search(client, "zhengzhuo"))
    assert found
    assert all("郑州" in title for title in found[:3])


def test_a_page_named_for_the_words_ranks_above_pages_that_mention_them(client, demo):
    found = titles(search(client, "学校"))
    assert len(found) == 10
    assert all("学校" in title for title in found), found


@pytest.mark.parametrize(
    ("need", "answer"),
    [
        ("老年人学用智能手机", "智能手机"),  # the words of a title, not as one run
        ("2026绿城读书节", "读书节"),  # a year against the name
        ("第十届读书节", "读书节"),  # an edition the site does not have
    ],
)
def test_a_need_in_everyday_words_reaches_its_page_marked_as_partial(client, demo, need, answer):
    response = search(client, need)
    outcome = response.context["outcome"]
    assert outcome.total == 0  # nothing has the whole query
    top = hits(response)[:3]
    assert any(answer in hit.page.title for hit in top), [hit.page.title for hit in top]
    assert all(hit.partial for hit in hits(response))
    html = response.content.decode()
    assert "部分匹配" in html
    assert "没有找到与" not in html


def test_suggestions_complete_the_syllable_being_typed(client, demo):
    assert any("太极" in title for title in suggestions(client, "taij"))
    assert any("智能" in title for title in suggestions(client, "zhin"))


def test_demo_synonyms_widen_an_everyday_word(client, demo):
    assert SearchSynonym.objects.count() >= 15
    found = titles(search(client, "电脑"))
    assert any("办公软件" in title for title in found)


# --- On a small site -------------------------------------------------------------------------


def test_title_match_ranks_above_a_page_that_mentions_the_word_often(client, resources):
    ResourcePageFactory(
        parent=resources,
        title="社区活动汇总",
        summary="书法 " * 3 + "以及合唱、舞蹈、摄影、烹饪、园艺等各类活动的介绍。" * 5,
    )
    ResourcePageFactory(parent=resources, title="书法入门", summary="每周一次。")
    assert titles(search(client, "书法")) == ["书法入门", "社区活动汇总"]


def test_strict_matches_come_first_then_partial_ones(client, resources):
    ResourcePageFactory(parent=resources, title="智能手机入门", summary="老年人学用智能手机。")
    ResourcePageFactory(parent=resources, title="老年人智能手机课堂", summary="手把手教。")
    response = search(client, "老年人学用智能手机")
    assert [(hit.page.title, hit.partial) for hit in hits(response)] == [
        ("智能手机入门", False),
        ("老年人智能手机课堂", True),
    ]
    assert "另有 1 条部分匹配" in response.content.decode()


def test_half_of_a_query_is_not_an_answer(client, resources):
    ResourcePageFactory(parent=resources, title="太极拳入门课程")
    response = search(client, "太极 黄河")
    assert titles(response) == []
    assert "没有找到与" in response.content.decode()


def test_spaced_pinyin_is_read_as_one_phrase(client, resources):
    ResourcePageFactory(parent=resources, title="太极拳入门课程")
    ResourcePageFactory(parent=resources, title="太阳能与积分")  # tai … ji, not side by side
    assert titles(search(client, "tai ji")) == ["太极拳入门课程"]


def test_a_soundalike_slip_of_a_common_word_comes_before_the_rare_word_typed(client, resources):
    # yangshen reads as 养身 (one page) but is one 模糊音 slip (-n for -ng) from 养生 (four pages):
    # what the resident meant first, the word as typed still found below it.
    ResourcePageFactory(parent=resources, title="养身体小常识")
    meant = ["中医养生讲座", "四季养生", "养生操", "饮食养生"]
    for title in meant:
        ResourcePageFactory(parent=resources, title=title)
    found = titles(search(client, "yangshen"))
    assert sorted(found[:4]) == sorted(meant)
    assert found[4:] == ["养身体小常识"]
    # Three pages on 养生 are not enough to overrule the word as typed: it comes first.
    ResourcePageFactory(parent=resources, title="养身十法")
    cache.clear()  # factories publish without a revision: nothing bumps the cached /search/
    assert sorted(titles(search(client, "yangshen"))[:2]) == ["养身体小常识", "养身十法"]


def test_a_word_typed_right_is_not_corrected_towards_a_near_word(client, resources):
    ResourcePageFactory(parent=resources, title="书法入门")
    ResourcePageFactory(parent=resources, title="书画展")  # shu hua: one slip from shu fa
    assert titles(search(client, "shufa")) == ["书法入门"]
    assert titles(search(client, "shuhua")) == ["书画展"]


@pytest.mark.parametrize(
    ("typed", "meant", "alike"),
    [
        ("huan", "huang", True),
        ("shen", "sheng", True),
        ("zi", "zhi", True),
        ("su", "shu", True),
        ("lan", "nan", True),
        ("fu", "hu", True),
        ("jio", "jiu", False),
        ("bao", "yao", False),
        ("zha", "cha", False),
    ],
)
def test_soundalike_slips_are_those_input_methods_forgive(typed, meant, alike):
    assert sounds_alike(typed, meant) is alike
    assert sounds_alike(meant, typed) is alike


def test_a_synonym_group_widens_the_query_and_editing_it_changes_the_results(client, resources):
    ResourcePageFactory(parent=resources, title="计算机基础班")
    ResourcePageFactory(parent=resources, title="电脑维修常识")
    assert titles(search(client, "电脑")) == ["电脑维修常识"]

    group = SearchSynonym.objects.create(words="电脑 / 计算机")
    assert sorted(titles(search(client, "电脑"))) == ["电脑维修常识", "计算机基础班"]
    assert titles(search(client, "計算機")) == ["计算机基础班", "电脑维修常识"]

    group.words = "电脑 / 笔记本"
    group.save()
    assert titles(search(client, "电脑")) == ["电脑维修常识"]
    group.delete()
    assert titles(search(client, "计算机")) == ["计算机基础班"]


def test_synonym_changes_refresh_cached_pages():
    assert SearchSynonym in site_wide_models()


def test_synonyms_are_edited_by_administrators_only(client, home_page):
    url = reverse("wagtailsnippets_search_searchsynonym:list")
    editor = get_user_model().objects.create_user("editor", "editor@example.cn", "pw")
    # An editor who may use the admin, but was given no right to the synonyms.
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    admin = get_user_model().objects.create_superuser("admin", "admin@example.cn", "pw")
    client.force_login(admin)
    response = client.get(reverse("wagtailsnippets_search_searchsynonym:add"))
    assert response.status_code == 200
    response = client.post(
        reverse("wagtailsnippets_search_searchsynonym:add"), {"words": "书法 / 毛笔字", "note": ""}
    )
    assert response.status_code == 302
    assert str(SearchSynonym.objects.get()) == "书法 / 毛笔字"
    one_word = client.post(
        reverse("wagtailsnippets_search_searchsynonym:add"), {"words": "书法", "note": ""}
    )
    assert "至少要有两个词" in one_word.content.decode()


def test_a_page_in_traditional_characters_is_found_by_simplified_text(client, resources):
    StandardPageFactory(parent=resources.get_parent(), title="陽光社區學校開放日")
    assert titles(search(client, "社区学校")) == ["陽光社區學校開放日"]
