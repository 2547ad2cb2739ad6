"""Learning resources: page rules, the filterable library, players with captions, uploads,
query counts, feeds, the home section and the demo library."""

import io
import os
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtailmedia.models import Media

from home.models import Audience, Category, HomePage, StandardPage
from learning_resources.models import ResourceIndexPage, ResourceKind, ResourcePage
from learning_resources.webvtt import parse_webvtt
from tests.conftest import queries_for
from tests.factories.home import HomePageFactory
from tests.factories.learning_resources import (
    AudioFactory,
    CaptionDocumentFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db

CARD_TITLE = re.compile(r'class="card__title"><a href="[^"]*">([^<]+)</a>')


def card_titles(response) -> list[str]:
    return CARD_TITLE.findall(response.content.decode())


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def index(home_page):
    return ResourceIndexPageFactory(parent=home_page)


# --- Page-tree rules --------------------------------------------------------------------------


class ResourcePageTreeRulesTests(WagtailPageTestCase):
    def test_library_lives_once_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, ResourceIndexPage)
        self.assertCanNotCreateAt(StandardPage, ResourceIndexPage)
        self.assertAllowedParentPageTypes(ResourceIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ResourceIndexPage, {ResourcePage})
        home = HomePageFactory(parent=Page.get_first_root_node(), slug="tree-home")
        ResourceIndexPageFactory(parent=home)
        self.assertFalse(ResourceIndexPage.can_create_at(home))

    def test_resources_only_inside_the_library(self):
        self.assertCanCreateAt(ResourceIndexPage, ResourcePage)
        self.assertCanNotCreateAt(HomePage, ResourcePage)
        self.assertAllowedParentPageTypes(ResourcePage, {ResourceIndexPage})
        self.assertAllowedSubpageTypes(ResourcePage, set())


# --- The library: filters, sort, pagination ---------------------------------------------------


@pytest.fixture
def library(index):
    elderly, youth, farmers = (
        Audience.objects.get(slug=slug) for slug in ("elderly", "youth", "farmers")
    )
    daily, arts, skills = (
        Category.objects.get(slug=slug) for slug in ("daily-life", "culture-arts", "skills")
    )
    ResourcePageFactory(
        parent=index,
        title="太极拳入门",
        video=VideoFactory(),
        category=daily,
        audiences=[elderly],
        tags=["太极拳", "健康"],
        first_published_at=days_ago(4),
    )
    ResourcePageFactory(
        parent=index,
        title="书法欣赏",
        audio=AudioFactory(),
        category=arts,
        audiences=[youth],
        tags=["书法"],
        first_published_at=days_ago(3),
    )
    ResourcePageFactory(
        parent=index,
        title="智能手机讲义",
        documents=[CaptionDocumentFactory(title="讲义")],
        category=skills,
        audiences=[elderly],
        tags=["智能手机"],
        first_published_at=days_ago(2),
    )
    ResourcePageFactory(
        parent=index,
        title="种植技术图文",
        category=skills,
        audiences=[farmers],
        tags=["健康"],
        first_published_at=days_ago(1),
    )
    draft = ResourcePageFactory(parent=index, title="未发布的草稿", tags=["健康"])
    draft.unpublish()
    return index


def test_kind_follows_what_the_page_carries(library):
    kinds = dict(ResourcePage.objects.values_list("title", "kind"))
    assert kinds["太极拳入门"] == ResourceKind.VIDEO
    assert kinds["书法欣赏"] == ResourceKind.AUDIO
    assert kinds["智能手机讲义"] == ResourceKind.DOCUMENT
    assert kinds["种植技术图文"] == ResourceKind.ARTICLE


def test_library_lists_live_resources_newest_first(client, library):
    response = client.get("/resources/")
    assert response.status_code == 200
    assert card_titles(response) == ["种植技术图文", "智能手机讲义", "书法欣赏", "太极拳入门"]
    assert "共 4 项" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=video", {"太极拳入门"}),
        ("kind=audio", {"书法欣赏"}),
        ("kind=document", {"智能手机讲义"}),
        ("kind=article", {"种植技术图文"}),
        ("audience=elderly", {"太极拳入门", "智能手机讲义"}),
        ("category=skills", {"智能手机讲义", "种植技术图文"}),
        (f"tag={quote('健康')}", {"太极拳入门", "种植技术图文"}),
        ("audience=elderly&category=skills", {"智能手机讲义"}),
        (f"kind=video&tag={quote('健康')}&audience=elderly", {"太极拳入门"}),
        ("audience=youth&category=skills", set()),
    ],
)
def test_each_filter_narrows_the_list(client, library, query, expected):
    response = client.get(f"/resources/?{query}")
    assert response.status_code == 200
    assert set(card_titles(response)) == expected


def test_filter_form_works_without_javascript_and_keeps_choices(client, library):
    html = client.get("/resources/?audience=elderly&sort=title").content.decode()
    assert '<form class="filter-form" method="get" action="/resources/"' in html
    form = html.split('class="filter-form"')[1].split("</form>")[0]
    for param in ("kind", "audience", "category", "tag", "sort"):
        assert f'<label for="filter-{param}">' in form
        assert f'id="filter-{param}" name="{param}"' in form
    assert '<option value="elderly" selected>老年人</option>' in form
    assert '<option value="title" selected>' in form


def test_sort_by_title(client, library):
    response = client.get("/resources/?sort=title")
    assert card_titles(response) == sorted(
        ["太极拳入门", "书法欣赏", "智能手机讲义", "种植技术图文"]
    )


@pytest.mark.parametrize(
    "query",
    [
        "kind=podcast",
        "audience=nobody",
        "category=x%27%3B--",
        f"tag={quote('不存在的标签')}",
        "tag=" + "x" * 500,
        "tag=%00",
        "audience=elderly%00",
    ],
)
def test_unknown_filter_values_give_a_message_and_no_results(client, library, query):
    response = client.get(f"/resources/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "没有找到" in html and "请重新选择" in html
    assert card_titles(response) == []
    assert 'class="filter-form"' in html  # the resident can choose again


def test_unknown_sort_keeps_the_list_and_says_so(client, library):
    response = client.get("/resources/?sort=popular")
    assert response.status_code == 200
    assert "不支持这种排序方式" in response.content.decode()
    assert len(card_titles(response)) == 4


def test_pagination_is_elided_and_survives_bad_page_numbers(client, index):
    for number in range(40):
        ResourcePageFactory(
            parent=index, title=f"资源{number:02d}", first_published_at=days_ago(number)
        )
    first = client.get("/resources/")
    html = first.content.decode()
    assert len(card_titles(first)) == 12
    nav = html.split('aria-label="分页"')[1].split("</nav>")[0]
    assert '<span aria-current="page"><span class="visually-hidden">第 </span>1<' in nav
    assert "page=4" in nav and "…" not in nav  # four pages: nothing to elide

    second = client.get("/resources/?page=2&sort=title")
    assert card_titles(second)[0] == "资源12"
    assert "page=3&amp;sort=title" in second.content.decode()

    past_end = client.get("/resources/?page=99")
    assert past_end.status_code == 200
    assert "没有第 99 页" in past_end.content.decode()
    assert card_titles(past_end) == [f"资源{n:02d}" for n in range(36, 40)]

    for bad in ("abc", "-1", "0", "1.5"):
        response = client.get(f"/resources/?page={bad}")
        assert response.status_code == 200
        assert "页码无效" in response.content.decode()
        assert card_titles(response)[0] == "资源00"


def test_elided_page_range_on_many_pages(client, index):
    for number in range(12 * 7):
        ResourcePageFactory(parent=index, title=f"资源{number:03d}")
    html = client.get("/resources/").content.decode()
    nav = html.split('aria-label="分页"')[1].split("</nav>")[0]
    assert "…" in nav
    assert 'page=2"' in nav and 'page=3"' in nav and 'page=7"' in nav
    assert 'page=5"' not in nav  # elided between 3 and 7


def test_tag_cloud_counts_only_live_resources(client, library):
    html = client.get("/resources/").content.decode()
    cloud = html.split('id="tag-cloud-heading"')[1].split("</section>")[0]
    assert f'href="?tag={quote("健康")}"' in cloud
    assert '健康<span class="visually-hidden">（2 项）</span>' in cloud  # the draft is not counted
    assert "书法" in cloud and "智能手机" in cloud


def test_index_links_its_feeds(client, library):
    html = client.get("/resources/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feeds/resources/rss/"' in html and 'href="/feeds/resources/atom/"' in html


# --- A resource page -------------------------------------------------------------------------


def test_video_resource_plays_with_captions_and_transcript(client, index):
    caption = CaptionDocumentFactory()
    page = ResourcePageFactory(
        parent=index,
        title="防范电信诈骗",
        slug="anti-fraud",
        video=VideoFactory(),
        caption_file=caption,
        image=get_image_model().objects.create(title="封面", file=get_test_image_file()),
        transcript="<p>凡是让您转账到安全账户的，都是诈骗。</p>",
    )

    response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200
    video = html.split("<video")[1].split("</video>")[0]
    assert "controls" in video and "autoplay" not in video
    assert 'poster="' in video and 'width="320" height="180"' in video
    assert 'type="video/mp4"' in video
    track = re.search(r"<track ([^>]+)>", video).group(1)
    assert 'kind="captions"' in track and 'srclang="zh-Hans"' in track
    assert 'label="中文字幕"' in track and "default" in track
    # With captions, the transcript is their lines with times (the written one is for search).
    transcript = html.split('id="transcript-heading"')[1].split("</section>")[0]
    assert '00:01</span> <span class="cue__text">人人皆学，处处可学，时时能学。' in transcript
    assert '"@type": "VideoObject"' in html and '"duration": "PT4S"' in html

    caption_url = re.search(r'src="([^"]+)"', track).group(1)
    served = client.get(caption_url)
    assert served.status_code == 200
    assert served["Content-Type"].startswith("text/vtt")
    assert not served.get("Content-Disposition", "").startswith("attachment")
    assert b"".join(served.streaming_content).startswith(b"WEBVTT")


def test_audio_resource_uses_the_audio_player(client, index):
    page = ResourcePageFactory(
        parent=index, audio=AudioFactory(), caption_file=CaptionDocumentFactory()
    )
    html = client.get(page.url).content.decode()
    assert "<audio controls" in html and 'type="audio/mpeg"' in html
    assert "<video" not in html and "VideoObject" not in html


def test_documents_listed_with_type_and_size(client, index):
    document = CaptionDocumentFactory(title="讲义")
    page = ResourcePageFactory(parent=index, documents=[document])
    html = client.get(page.url).content.decode()
    listing = html.split('id="documents-heading"')[1].split("</section>")[0]
    assert f'href="{document.url}">讲义</a>' in listing
    assert "（VTT，" in listing and "字节" in listing


def test_caption_must_be_a_vtt_document(index):
    from django.core.exceptions import ValidationError

    pdf = CaptionDocumentFactory(file__filename="notes.pdf")
    page = ResourcePage(title="x", slug="x", summary="x", video=VideoFactory(), caption_file=pdf)
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "WebVTT" in str(error.value)


def test_related_resources_share_tags_most_shared_first(
    client, index, django_assert_max_num_queries
):
    page = ResourcePageFactory(parent=index, title="本页", tags=["太极拳", "健康", "老年教育"])
    ResourcePageFactory(parent=index, title="共享一个", tags=["健康"])
    ResourcePageFactory(parent=index, title="共享三个", tags=["太极拳", "健康", "老年教育"])
    ResourcePageFactory(parent=index, title="共享两个", tags=["太极拳", "健康", "书法"])
    ResourcePageFactory(parent=index, title="毫不相关", tags=["书法"])
    private = ResourcePageFactory(parent=index, title="需要登录", tags=["太极拳"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    with CaptureQueriesContext(connection) as queries:
        related = page.related_resources()
    assert [resource.title for resource in related] == ["共享三个", "共享两个", "共享一个"]
    finding = [
        q for q in queries.captured_queries if "learning_resources_taggedresource" in q["sql"]
    ]
    assert len(finding) == 1  # one query finds and ranks them; the rest prefetch card data

    html = client.get(page.url).content.decode()
    section = html.split('id="related-heading"')[1]
    assert section.index("共享三个") < section.index("共享两个") < section.index("共享一个")
    assert "毫不相关" not in section and "需要登录" not in section


# --- Uploads through the real admin views ----------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


def stored_files() -> set[str]:
    found = set()
    for folder, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found.update(os.path.join(folder, name) for name in files)
    return found


def _document_upload(admin_client, name: str, data: bytes):
    return admin_client.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, data), "collection": 1},
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"1\n00:00:01.000 --> 00:00:02.000\n\xe4\xbd\xa0\xe5\xa5\xbd\n", "第一行必须是 WEBVTT"),
        (b"WEBVTT\n\n00:00:01 --> 00:00:02\nhello\n", "时间轴格式不正确"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nhello\n", "结束时间必须晚于开始时间"),
        (b"WEBVTT\n", "没有任何字幕条目"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n你好\n".encode("gbk"), "UTF-8"),
    ],
)
def test_bad_caption_file_is_refused_and_leaves_nothing(admin_client, data, message):
    before = stored_files()
    response = _document_upload(admin_client, "captions.vtt", data)
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert not get_document_model().objects.exists()
    assert stored_files() == before


def test_good_caption_file_is_accepted(admin_client):
    data = "WEBVTT\n\nNOTE 演示\n\nintro\n00:00:00.000 --> 00:00:01.500 line:90%\n欢迎\n".encode()
    response = _document_upload(admin_client, "captions.vtt", data)
    assert response.status_code == 302
    assert get_document_model().objects.get().file_extension == "vtt"


def test_bad_caption_is_refused_by_the_multiple_uploader_too(admin_client):
    response = admin_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("captions.vtt", b"not captions")},
    )
    assert response.json()["success"] is False
    assert "WEBVTT" in response.json()["error_message"]
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "PAGE.HTM"])
def test_html_and_svg_documents_are_refused(admin_client, name):
    before = stored_files()
    response = _document_upload(admin_client, name, b"<html><script>alert(1)</script></html>")
    assert response.status_code == 200
    assert "不接受 HTML、SVG" in response.content.decode()
    assert not get_document_model().objects.exists()
    assert stored_files() == before


def _image_upload(admin_client, name: str, data: bytes):
    return admin_client.post(
        "/admin/images/add/",
        {"title": name, "file": SimpleUploadedFile(name, data), "collection": 1},
    )


def test_svg_image_is_refused(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    before = stored_files()
    response = _image_upload(admin_client, "logo.svg", svg)
    assert response.status_code == 200
    assert "不支持的图片格式" in response.content.decode()
    assert not get_image_model().objects.exists()
    assert stored_files() == before


def test_oversized_image_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024
    noise = PILImage.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > 20 * 1024
    before = stored_files()
    response = _image_upload(admin_client, "big.png", buffer.getvalue())
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    assert not get_image_model().objects.exists()
    assert stored_files() == before


def _media_upload(admin_client, media_type: str, name: str, data: bytes):
    return admin_client.post(
        f"/admin/media/{media_type}/add/",
        {"title": name, "file": SimpleUploadedFile(name, data), "collection": 1, "duration": 4},
    )


def test_video_upload_rules(admin_client, settings):
    clip = (settings.BASE_DIR / "tests/fixtures/clip.mp4").read_bytes()
    before = stored_files()
    wrong_format = _media_upload(admin_client, "video", "clip.avi", clip)
    assert wrong_format.status_code == 200 and not Media.objects.exists()
    page = _media_upload(admin_client, "video", "clip.html", b"<html></html>")
    assert "不接受 HTML" in page.content.decode() and not Media.objects.exists()
    settings.AUDIO_VIDEO_MAX_UPLOAD_SIZE = 1024
    too_big = _media_upload(admin_client, "video", "clip.mp4", clip)
    assert "文件太大" in too_big.content.decode() and not Media.objects.exists()
    assert stored_files() == before

    settings.AUDIO_VIDEO_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    accepted = _media_upload(admin_client, "video", "clip.mp4", clip)
    assert accepted.status_code == 302
    assert Media.objects.get().type == "video"


# --- Query counts ------------------------------------------------------------------------------


def _add_resources(index, count: int, start: int = 0):
    audiences = list(Audience.objects.filter(slug__in=["employed", "elderly"]))
    category = Category.objects.first()
    for number in range(start, start + count):
        ResourcePageFactory(
            parent=index,
            title=f"资源{number}",
            image=get_image_model().objects.create(
                title=f"图{number}", file=get_test_image_file(f"image{number}.png")
            ),
            category=category,
            audiences=audiences,
            tags=["健康", f"标签{number % 3}"],
        )


def test_library_query_count_does_not_grow_with_items(client, index):
    _add_resources(index, 5)
    five = queries_for(client, "/resources/").sql
    _add_resources(index, 45, start=5)
    fifty = queries_for(client, "/resources/").sql
    assert len(five) == len(fifty), "\n".join(fifty)
    renditions = [sql for sql in fifty if "wagtailimages_rendition" in sql]
    assert len(renditions) == 1  # prefetched for the whole page of cards
    filtered = queries_for(client, f"/resources/?audience=employed&tag={quote('健康')}&page=2").sql
    assert len(filtered) == len(fifty)


# --- Feeds -------------------------------------------------------------------------------------


def test_rss_and_atom_list_the_newest_resources_first(client, index):
    for days, title in ((3, "最早"), (1, "最新"), (2, "居中")):
        ResourcePageFactory(parent=index, title=title, first_published_at=days_ago(days))
    draft = ResourcePageFactory(parent=index, title="草稿")
    draft.unpublish()

    rss = client.get("/feeds/resources/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    channel = etree.fromstring(rss.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["【图文】最新", "【图文】居中", "【图文】最早"]
    assert channel.find("item").findtext("link").startswith("http://testserver/resources/")
    assert channel.findtext("language") == "zh-hans"

    atom = client.get("/feeds/resources/atom/")
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    entries = etree.fromstring(atom.content).findall("a:entry", namespace)
    assert [entry.findtext("a:title", namespaces=namespace) for entry in entries] == titles


# --- Home section and demo -------------------------------------------------------------------


def test_home_page_shows_the_newest_resources(client, index):
    ResourcePageFactory(parent=index, title="新上线的太极拳课")
    html = client.get("/").content.decode()
    section = html.split('id="section-resources"')[1].split("</section>")[0]
    assert "新上线的学习资源" in section and "新上线的太极拳课" in section
    assert 'href="/resources/"' in section


def test_demo_library_covers_every_kind_audience_and_category(client, settings, demo):
    resources = ResourcePage.objects.live()
    assert resources.count() >= 40
    assert set(resources.values_list("kind", flat=True)) == set(ResourceKind.values)
    assert set(resources.values_list("audiences__slug", flat=True)) >= set(
        Audience.objects.values_list("slug", flat=True)
    )
    assert set(resources.values_list("category__slug", flat=True)) == set(
        Category.objects.values_list("slug", flat=True)
    )
    # Every recording is its own: spoken from its page's text, captioned as spoken.
    recorded = list(resources.filter(kind__in=["video", "audio"]))
    media_ids = {page.video_id or page.audio_id for page in recorded}
    assert len(media_ids) == len(recorded)
    assert all(30 <= Media.objects.get(pk=pk).duration <= 90 for pk in media_ids)

    html = client.get("/resources/").content.decode()
    assert f"共 {resources.count()} 项" in html
    video_page = resources.filter(kind="video").first()
    page_html = client.get(video_page.url).content.decode()
    assert f'<track kind="captions" src="{video_page.caption_file.url}"' in page_html
    assert video_page.video.file.name.endswith(".mp4")
    cues = parse_webvtt(video_page.caption_file.file.read())
    lines = lxml_html.fromstring(page_html).xpath(
        '//ol[contains(@class, "cue-list--transcript")]//span[@class="cue__text"]'
    )
    assert [line.text_content() for line in lines] == [cue.text for cue in cues]
    assert video_page.title in cues[0].text and "本片为演示视频" not in page_html


# --- Editing in the admin --------------------------------------------------------------------


def _resource_form(**fields):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    data = {
        "title": "家庭急救：心肺复苏",
        "slug": "cpr",
        "summary": "三分钟看懂心肺复苏。",
        "documents": inline_formset([]),
        "gallery_images": inline_formset([]),
        "body": streamfield([]),
        "transcript": rich_text("<p>按压深度五到六厘米。</p>"),
        "audiences": [Audience.objects.get(slug="elderly").pk],
        "category": Category.objects.get(slug="daily-life").pk,
        "tags": "家庭急救, 安全",
        "source": "",
        "licence": "仅供个人学习使用",
        "action-publish": "publish",
    }
    data.update(fields)
    return nested_form_data(data)


def test_editor_publishes_a_video_resource_in_the_admin(admin_client, index):
    add_url = f"/admin/pages/add/learning_resources/resourcepage/{index.pk}/"
    assert admin_client.get(add_url).status_code == 200
    video, captions = VideoFactory(), CaptionDocumentFactory()

    response = admin_client.post(add_url, _resource_form(video=video.pk, caption_file=captions.pk))

    assert response.status_code == 302
    page = ResourcePage.objects.get(slug="cpr")
    assert page.live and page.kind == ResourceKind.VIDEO
    assert sorted(tag.name for tag in page.tags.all()) == ["安全", "家庭急救"]
    assert (
        admin_client.get(f"/resources/?kind=video&tag={quote('家庭急救')}")
        .content.decode()
        .count("家庭急救：心肺复苏")
    )


def test_admin_refuses_a_caption_that_is_not_vtt(admin_client, index):
    add_url = f"/admin/pages/add/learning_resources/resourcepage/{index.pk}/"
    handout = CaptionDocumentFactory(file__filename="handout.pdf")
    response = admin_client.post(
        add_url, _resource_form(video=VideoFactory().pk, caption_file=handout.pk)
    )
    assert response.status_code == 200
    assert "字幕文件必须是 WebVTT 格式" in response.content.decode()
    assert not ResourcePage.objects.exists()
