"""load_scale_data: grows each big page type N times over, the same way every time."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from events.models import EventPage
from home.models import Occurrence
from learning_resources.models import CoursePage, ResourcePage
from schools.models import CommunitySchoolPage
from tests.factories.events import EventIndexPageFactory, EventPageFactory, add_occurrence, local
from tests.factories.learning_resources import (
    CourseIndexPageFactory,
    CoursePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
)
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    CommunitySchoolPageFactory,
    CommunityUniversityPageFactory,
)

pytestmark = pytest.mark.django_db

BIG_TYPES = (CommunitySchoolPage, EventPage, ResourcePage, CoursePage)


@pytest.fixture
def small_site(home_page):
    university = CommunityUniversityPageFactory(parent=home_page)
    college = CommunityCollegePageFactory(parent=university, slug="jinshui", district_name="金水区")
    centre = CommunityCentrePageFactory(parent=college, latitude=34.78, longitude=113.68)
    CommunitySchoolPageFactory(parent=centre)
    event = EventPageFactory(parent=EventIndexPageFactory(parent=home_page))
    add_occurrence(event, local(2099, 5, 1, 9))
    ResourcePageFactory(parent=ResourceIndexPageFactory(parent=home_page))
    CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page))


def generated_titles():
    return [
        list(model.objects.filter(slug__startswith="scale-").order_by("slug").values_list("title"))
        for model in BIG_TYPES
    ]


def test_scale_data_multiplies_each_big_type_and_is_repeatable(small_site):
    call_command("load_scale_data", times=3, seed=7)

    for model in BIG_TYPES:
        assert model.objects.live().count() == 3, model
    generated_events = EventPage.objects.filter(slug__startswith="scale-")
    assert Occurrence.objects.filter(page__in=generated_events).count() >= 4
    first_titles = generated_titles()

    call_command("load_scale_data", times=3, seed=7)  # nothing more to add
    for model in BIG_TYPES:
        assert model.objects.count() == 3, model
    assert generated_titles() == first_titles

    resource = ResourcePage.objects.filter(slug__startswith="scale-").first()
    assert Client().get(resource.url).status_code == 200
    search = Client().get("/search/", {"q": resource.title[:2]})
    assert resource.url in search.content.decode()


def test_scale_data_needs_the_demo_first(home_page):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_scale_data", times=2)
