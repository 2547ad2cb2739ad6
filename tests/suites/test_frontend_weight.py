"""Front-end weight: what a phone downloads before images stays small and never blocks rendering."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from lxml import html as lxml_html
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests.factories.events import EventIndexPageFactory, EventPageFactory, add_occurrence, local
from tests.factories.home import StandardPageFactory
from tests.factories.learning_resources import (
    CourseIndexPageFactory,
    CoursePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
)
from tests.factories.schools import (
    school_branch,
)

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 100 * 1024


@pytest.fixture
def pages(home_page):
    # Wide enough for both card widths (480 and 960 pixels).
    image = get_image_model().objects.create(
        title="封面", file=get_test_image_file(size=(1200, 800))
    )
    resources = ResourceIndexPageFactory(parent=home_page)
    courses = CourseIndexPageFactory(parent=home_page)
    EventIndexPageFactory(parent=home_page)
    branch = school_branch(home_page, slug="jinshui", school={})
    college, school = branch.college, branch.school
    for number in range(6):
        ResourcePageFactory(parent=resources, title=f"太极拳第{number}课", image=image)
        CoursePageFactory(parent=courses, title=f"书法班{number}")
        event = EventPageFactory(parent=school, title=f"社区合唱{number}")
        add_occurrence(event, local(2099, 5, 1 + number, 9))
    about = StandardPageFactory(parent=home_page, slug="about")
    return [
        "/",
        "/resources/",
        resources.get_children().first().url,
        "/courses/",
        "/calendar/",
        "/schools/",
        college.url,
        school.url,
        event.url,
        about.url,
        "/search/?q=太极",
    ]


def static_bytes(url):
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file of the project"
    with open(path, "rb") as file:
        return file.read()


def test_html_css_and_js_stay_under_100_kb_compressed(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        tree = lxml_html.fromstring(response.content)
        assets = tree.xpath("//link[@rel='stylesheet']/@href") + tree.xpath("//script/@src")
        total = len(gzip.compress(response.content))
        total += sum(len(gzip.compress(static_bytes(asset))) for asset in set(assets))
        assert total < BUDGET_BYTES, (url, total)


def test_no_script_blocks_rendering_and_images_carry_their_size(client, pages):
    for url in pages:
        tree = lxml_html.fromstring(client.get(url).content)
        for script in tree.xpath("//script[@src]"):
            assert script.get("defer") is not None or script.get("async") is not None, url
        # The one inline script (elder mode, before first paint) stays a few hundred bytes.
        for script in tree.xpath("//script[not(@src) and not(@type='application/ld+json')]"):
            assert len(script.text_content()) < 400, url
        for image in tree.xpath("//img"):
            assert re.fullmatch(r"\d+", image.get("width") or ""), (url, image.get("src"))
            assert re.fullmatch(r"\d+", image.get("height") or ""), (url, image.get("src"))


def test_card_pictures_offer_a_sharper_file_for_phones(client, pages):
    """A card spans a phone's screen: at 2–3 device pixels per CSS pixel it needs the 960w file."""
    tree = lxml_html.fromstring(client.get("/resources/").content)
    cards = tree.xpath("//img[contains(@class, 'card__image')]")
    assert cards
    for image in cards:
        candidates = dict(
            reversed(candidate.strip().split(" ")) for candidate in image.get("srcset").split(",")
        )
        assert sorted(candidates) == ["480w", "960w"], image.get("srcset")
        assert candidates["480w"] == image.get("src")
        assert image.get("width") == "480" and image.get("height") == "270"
        assert "100vw" in image.get("sizes")
        for url in candidates.values():
            assert client.get(url).status_code == 200, url
