"""The page cache: anonymous pages come from the cache until what they show changes, exactly.

Each test warms real pages through the full middleware stack, changes content the way an editor
does (publish, unpublish, move, delete, edit an image or a person), and checks the very next
anonymous request of every listing that shows it.
"""

import datetime
import http.server
import re
import threading
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from core.cache_backends import SharedFolderCache
from home.models import Audience
from tests.conftest import publish
from tests.factories.events import (
    EventIndexPageFactory,
    EventPageFactory,
    ForumIndexPageFactory,
    LecturePageFactory,
    add_occurrence,
    local,
)
from tests.factories.home import PersonFactory, StandardPageFactory
from tests.factories.learning_resources import ResourceIndexPageFactory, ResourcePageFactory
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    CommunityUniversityPageFactory,
)

# Pages that show an edited image, speaker or venue are found through Wagtail's reference index
# (core.cache_invalidation): kept up here, unlike in the rest of the suite (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.reference_index]

TAG_URL = f"/tags/{quote('太极拳')}/"


@pytest.fixture(autouse=True, params=["memory", "shared folder"])
def page_cache_on(request, settings, tmp_path):
    """Every test twice: the tests' in-memory cache, and production's folder shared by workers.

    The folder's behaviour does not depend on the database: on PostgreSQL, once is enough.
    """
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True  # as in production: pages made of reused sections
    if request.param == "shared folder":
        if connection.vendor != "sqlite":
            pytest.skip("the shared cache folder is tested with SQLite")
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "core.cache_backends.SharedFolderCache",
                "LOCATION": str(tmp_path / "cache"),
            },
        }
        assert type(caches["default"]) is SharedFolderCache
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(home_page):
    """A small site whose listings all show resources or events, warmed once."""
    resources = ResourceIndexPageFactory(parent=home_page)
    calendar = EventIndexPageFactory(parent=home_page)
    forum = ForumIndexPageFactory(parent=home_page, show_in_menus=True)
    about = StandardPageFactory(parent=home_page, title="关于我们", slug="about")
    university = CommunityUniversityPageFactory(parent=home_page)
    jinshui = CommunityCollegePageFactory(
        parent=university, title="金水区社区学院", slug="jinshui", district_name="金水区"
    )
    erqi = CommunityCollegePageFactory(
        parent=university, title="二七区社区学院", slug="erqi", district_name="二七区"
    )
    ResourcePageFactory(parent=resources, title="书法入门", tags=["太极拳"])
    # The first request ever creates the site settings row: a change, which the cache obeys.
    get("/")
    cache.clear()
    return {
        "home": home_page,
        "resources": resources,
        "calendar": calendar,
        "forum": forum,
        "about": about,
        "jinshui": jinshui,
        "erqi": erqi,
    }


def get(url, client=None):
    response = (client or Client()).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def warm(*urls):
    """Request each URL until it is served from the cache."""
    for url in urls:
        get(url)
        assert get(url)["X-Page-Cache"] == "hit", url


def new_resource(site, title, **fields):
    """A resource as an editor makes it: a draft, then 发布."""
    page = ResourcePageFactory(parent=site["resources"], title=title, live=False, **fields)
    publish(page)
    page.refresh_from_db()
    return page


RESOURCE_LISTINGS = ["/", "/resources/", TAG_URL, "/feeds/resources/rss/", "/feeds/resources/atom/"]


def test_an_anonymous_page_is_stored_then_served_from_the_cache(client, site):
    first = get("/about/")
    second = get("/about/")

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "public" in second["Cache-Control"] and "s-maxage=" in second["Cache-Control"]
    assert not second.cookies


def test_publishing_a_resource_reaches_every_listing_of_it_and_nothing_else(site):
    warm(*RESOURCE_LISTINGS, "/about/", "/calendar/")

    new_resource(site, "太极拳二十四式", tags=["太极拳"])

    for url in RESOURCE_LISTINGS:
        response = get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "太极拳二十四式" in response.content.decode(), url
    # Pages that do not show resources keep being served from the cache.
    assert get("/about/")["X-Page-Cache"] == "hit"
    assert get("/calendar/")["X-Page-Cache"] == "hit"


def test_unpublishing_removes_the_page_and_its_listings(site):
    resource = new_resource(site, "太极拳二十四式", tags=["太极拳"])
    warm(*RESOURCE_LISTINGS, resource.url)

    resource.unpublish()

    assert Client().get(resource.url).status_code == 404
    for url in RESOURCE_LISTINGS:
        assert "太极拳二十四式" not in get(url).content.decode(), url


def test_deleting_removes_the_page_and_its_listings(site):
    resource = new_resource(site, "太极拳二十四式", tags=["太极拳"])
    url = resource.url
    warm(*RESOURCE_LISTINGS, url)

    resource.delete()

    assert Client().get(url).status_code == 404
    for listing in RESOURCE_LISTINGS:
        assert "太极拳二十四式" not in get(listing).content.decode(), listing


def test_moving_an_event_moves_it_between_school_pages_and_urls(site):
    event = EventPageFactory(parent=site["jinshui"], title="社区合唱团排练", live=False)
    add_occurrence(event, local(2099, 5, 1, 9))
    publish(event)
    old_url = event.url
    warm("/schools/jinshui/", "/schools/erqi/", "/calendar/", old_url)

    event.move(site["erqi"], pos="last-child")
    event.refresh_from_db()

    # Wagtail leaves a permanent redirect at the old address.
    assert Client().get(old_url)["Location"] == event.url
    assert "社区合唱团排练" in get(event.url).content.decode()
    assert "社区合唱团排练" not in get("/schools/jinshui/").content.decode()
    assert "社区合唱团排练" in get("/schools/erqi/").content.decode()
    assert "二七区" in get("/calendar/").content.decode()


def test_a_renamed_section_updates_the_breadcrumbs_below_it(site):
    event = EventPageFactory(parent=site["jinshui"], title="社区合唱团排练")
    add_occurrence(event, local(2099, 5, 1, 9))
    warm(event.url)

    site["jinshui"].title = "金水区社区大学分院"
    publish(site["jinshui"])

    assert "金水区社区大学分院" in get(event.url).content.decode()


def test_publishing_a_top_level_page_updates_the_menu_everywhere(site):
    warm("/about/", "/resources/")

    site["forum"].title = "郑州讲坛（新版）"
    publish(site["forum"])

    for url in ("/about/", "/resources/"):
        assert "郑州讲坛（新版）" in get(url).content.decode(), url


def test_editing_an_image_updates_the_pages_that_show_it(site):
    image = get_image_model().objects.create(title="太极拳照片", file=get_test_image_file())
    resource = new_resource(site, "太极拳二十四式", image=image)
    warm(resource.url, "/resources/", "/about/")

    # As the admin's image edit view does when a new file is uploaded.
    image.file = get_test_image_file(filename="zijingshan-morning.png", colour="red")
    image.save()
    image.renditions.all().delete()

    for url in (resource.url, "/resources/"):
        assert "zijingshan-morning" in get(url).content.decode(), url
    assert get("/about/")["X-Page-Cache"] == "hit"


def test_editing_a_speaker_updates_the_lecture(site):
    speaker = PersonFactory(name="王老师")
    lecture = LecturePageFactory(parent=site["forum"], title="家庭教育讲座", live=False)
    lecture.speakers.create(person=speaker)
    add_occurrence(lecture, local(2099, 5, 1, 9))
    publish(lecture)
    warm(lecture.url)

    speaker.name = "王建华"
    speaker.save()

    assert "王建华" in get(lecture.url).content.decode()


def test_renaming_an_audience_reaches_every_page(site):
    warm("/about/", "/resources/")
    audience = Audience.objects.first()

    audience.name = "银发学员"
    audience.save()

    assert get("/about/")["X-Page-Cache"] == "miss"
    assert "银发学员" in get("/resources/").content.decode()


def test_a_restricted_section_leaves_every_listing_of_what_is_below_it_at_once(site):
    """Private pages are hidden from listings by path; making a section private changes the
    listings of every type below it, not only of the section's own type."""
    centre = CommunityCentrePageFactory(parent=site["jinshui"], title="文化路街道社区教育中心")
    event = EventPageFactory(parent=centre, title="金水区书法沙龙")
    add_occurrence(event, timezone.now() + datetime.timedelta(days=2))
    warm("/calendar/")
    assert "金水区书法沙龙" in get("/calendar/").content.decode()

    PageViewRestriction.objects.create(page=centre, restriction_type="login")

    response = get("/calendar/")
    assert response["X-Page-Cache"] == "miss"
    assert "金水区书法沙龙" not in response.content.decode()


def test_a_logged_in_editor_neither_gets_nor_fills_the_cache(site):
    editor = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
    warm("/about/")
    client = Client()
    client.force_login(editor)

    response = client.get("/about/")

    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    cache.clear()
    client.get("/resources/")
    assert get("/resources/")["X-Page-Cache"] == "miss"


def stored_items() -> int:
    """How many items the default cache holds (either backend under test)."""
    backend = caches["default"]
    if isinstance(backend, SharedFolderCache):
        return len(backend._list_cache_files())
    return len(backend._cache)


def test_tracking_parameters_make_no_new_entry(site):
    get("/about/")
    after_one = stored_items()
    statuses = [get(f"/about/?utm_source=x{n}")["X-Page-Cache"] for n in range(150)]

    assert statuses == ["hit"] * 150  # one render in all
    assert stored_items() == after_one  # one entry
    wechat = "/about/?from=singlemessage&isappinstalled=0&scene=1&nsukey=AbC&share_token=9"
    assert get(wechat)["X-Page-Cache"] == "hit"
    assert get("/about/?spm=a.b.c&sharer_shareid=7&clicktime=1764600000")["X-Page-Cache"] == "hit"


def test_parameters_a_page_reads_still_make_their_own_entry(site):
    warm("/calendar/")
    dated = get("/calendar/?from=2026-05-01&to=2026-05-31&utm_medium=wechat")
    assert dated["X-Page-Cache"] == "miss"
    assert "2026-05-01" in dated.content.decode()
    assert get("/calendar/?from=2026-05-01&to=2026-05-31")["X-Page-Cache"] == "hit"
    assert get("/resources/?sort=title&from=timeline")["X-Page-Cache"] == "miss"


def test_a_visitor_with_a_session_is_never_served_from_the_cache(site):
    warm("/about/")
    client = Client()
    client.cookies["sessionid"] = "anything"

    assert "X-Page-Cache" not in client.get("/about/")


def test_a_preview_is_never_cached(site):
    editor = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
    warm("/about/")
    about = site["about"]
    about.title = "关于我们（草稿）"
    about.save_revision()
    client = Client()
    client.force_login(editor)

    preview = client.get(f"/admin/pages/{about.pk}/edit/preview/")

    assert preview.status_code == 200
    assert "X-Page-Cache" not in preview
    assert "关于我们（草稿）" not in get("/about/").content.decode()


def test_a_form_page_gives_each_visitor_a_valid_csrf_token(site):
    private = StandardPageFactory(parent=site["home"], title="内部通知", slug="internal")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="zz")

    for _visitor in range(2):
        client = Client(enforce_csrf_checks=True)
        form = client.get("/internal/")
        assert form.status_code == 200
        assert "X-Page-Cache" not in form
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())
        action = re.search(r'<form[^>]+action="([^"]+)"', form.content.decode()).group(1)
        answer = client.post(
            action,
            {"csrfmiddlewaretoken": token.group(1), "password": "zz", "return_url": "/internal/"},
        )
        assert answer.status_code == 302
        assert "内部通知" in client.get("/internal/").content.decode()


def test_errors_are_not_cached(site):
    assert Client().get("/no-such-page/").status_code == 404
    StandardPageFactory(parent=site["home"], title="新页面", slug="no-such-page")
    assert Client().get("/no-such-page/").status_code == 200


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """Stands in for a CDN's purge endpoint: records what Wagtail's HTTP backend asks to purge."""

    purged = []

    def do_PURGE(self):  # the HTTP method's name
        PurgeRecorder.purged.append(f"{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_bump_purges_the_same_urls_from_the_cdn(site, settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    PurgeRecorder.purged.clear()
    try:
        warm("/resources/", TAG_URL, "/about/")

        new_resource(site, "太极拳二十四式", tags=["太极拳"])
    finally:
        server.shutdown()

    assert "testserver/resources/" in PurgeRecorder.purged
    assert f"testserver{TAG_URL}" in PurgeRecorder.purged
    assert "testserver/about/" not in PurgeRecorder.purged


def test_a_release_that_changes_templates_never_serves_the_old_rendering(settings, tmp_path):
    from core.page_cache import code_version

    template = tmp_path / "events" / "templates" / "event_page.html"
    template.parent.mkdir(parents=True)
    template.write_text("<h1>{{ page.title }}</h1>")
    settings.BASE_DIR = tmp_path
    code_version.cache_clear()
    try:
        before = code_version()
        template.write_text("<h1 class='title'>{{ page.title }}</h1>")
        code_version.cache_clear()
        assert code_version() != before
    finally:
        code_version.cache_clear()
