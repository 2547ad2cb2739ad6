"""The showcase (learning organisations, honours), teachers' profiles, the volunteer form,
the statistics page and the participation report."""

import csv
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse
from lxml import html
from openpyxl import load_workbook
from wagtail.contrib.forms.models import FormSubmission
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from demo.helpers import DemoReport
from demo.loaders.home import ensure_roles_and_users
from events.models import EventStatus
from home.models import Audience, Category, HomePage
from schools.models import CommunityCollegePage, SchoolRole
from schools.roles import assign_role, setup_roles
from showcase.models import (
    HonourIndexPage,
    HonourKind,
    HonourPage,
    LearningOrganisationIndexPage,
    LearningOrganisationPage,
    OrganisationKind,
    PeopleIndexPage,
    ShowcaseIndexPage,
    StatisticsPage,
    VolunteerPage,
)
from showcase.statistics import participation_rows
from tests.conftest import queries_for
from tests.factories.events import (
    EventIndexPageFactory,
    EventPageFactory,
    ForumIndexPageFactory,
    LecturePageFactory,
    add_occurrence,
    local,
)
from tests.factories.home import PersonFactory
from tests.factories.learning_resources import (
    CourseIndexPageFactory,
    CoursePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    VideoFactory,
)
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    CommunitySchoolPageFactory,
    CommunityUniversityPageFactory,
)
from tests.factories.showcase import (
    HonourIndexPageFactory,
    HonourPageFactory,
    LearningOrganisationIndexPageFactory,
    LearningOrganisationPageFactory,
    PeopleIndexPageFactory,
    ShowcaseIndexPageFactory,
    StatisticsPageFactory,
    VolunteerFormFieldFactory,
    VolunteerPageFactory,
)

pytestmark = pytest.mark.django_db

NOW = local(2026, 5, 13, 10, 0)
PASSWORD = "correct-horse-battery"


class ShowcaseTreeRulesTests(WagtailPageTestCase):
    def test_top_level_pages_live_under_the_home_page(self):
        for page_type in (ShowcaseIndexPage, PeopleIndexPage, StatisticsPage, VolunteerPage):
            self.assertAllowedParentPageTypes(page_type, {HomePage})
            self.assertCanCreateAt(HomePage, page_type)
        for page_type in (ShowcaseIndexPage, PeopleIndexPage, StatisticsPage):
            assert page_type.max_count == 1
        for page_type in (PeopleIndexPage, StatisticsPage, VolunteerPage):
            self.assertAllowedSubpageTypes(page_type, set())

    def test_the_showcase_holds_two_lists_and_each_list_its_own_entries(self):
        self.assertAllowedSubpageTypes(
            ShowcaseIndexPage, {LearningOrganisationIndexPage, HonourIndexPage}
        )
        self.assertAllowedParentPageTypes(LearningOrganisationIndexPage, {ShowcaseIndexPage})
        self.assertAllowedParentPageTypes(HonourIndexPage, {ShowcaseIndexPage})
        self.assertAllowedSubpageTypes(LearningOrganisationIndexPage, {LearningOrganisationPage})
        self.assertAllowedSubpageTypes(HonourIndexPage, {HonourPage})
        self.assertAllowedParentPageTypes(LearningOrganisationPage, {LearningOrganisationIndexPage})
        self.assertAllowedParentPageTypes(HonourPage, {HonourIndexPage})
        self.assertAllowedSubpageTypes(LearningOrganisationPage, set())
        self.assertAllowedSubpageTypes(HonourPage, set())
        self.assertCanNotCreateAt(HomePage, LearningOrganisationPage)


# --- Showcase lists ------------------------------------------------------------------------------


@pytest.fixture
def network(home_page):
    university = CommunityUniversityPageFactory(parent=home_page)
    jinshui = CommunityCollegePageFactory(parent=university, district_name="金水区", slug="jinshui")
    erqi = CommunityCollegePageFactory(parent=university, district_name="二七区", slug="erqi")
    centre = CommunityCentrePageFactory(parent=jinshui, slug="jingbalu")
    school = CommunitySchoolPageFactory(parent=centre, title="未来路社区学校", slug="weilai")
    erqi_centre = CommunityCentrePageFactory(parent=erqi, slug="wulibao")
    erqi_school = CommunitySchoolPageFactory(parent=erqi_centre, slug="erqi-school")
    showcase = ShowcaseIndexPageFactory(parent=home_page)
    return {
        "home": home_page,
        "university": university,
        "jinshui": jinshui,
        "erqi": erqi,
        "centre": centre,
        "school": school,
        "erqi_school": erqi_school,
        "showcase": showcase,
        "organisations": LearningOrganisationIndexPageFactory(parent=showcase),
        "honours": HonourIndexPageFactory(parent=showcase),
    }


def card_titles(response) -> list[str]:
    tree = html.fromstring(response.content)
    return [link.text_content().strip() for link in tree.xpath('//h3[@class="card__title"]/a')]


def test_an_entry_takes_the_district_of_its_school(network):
    entry = LearningOrganisationPageFactory(
        parent=network["organisations"], school=network["school"]
    )
    entry.refresh_from_db()
    assert entry.district_id == network["jinshui"].pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["金水社区", "二七家庭", "早年机关"]),
        ("kind=family", ["二七家庭"]),
        ("year=2019", ["早年机关"]),
        ("district=erqi", ["二七家庭"]),
        ("district=jinshui&kind=community", ["金水社区"]),
        ("district=jinshui&year=2019", []),
        ("sort=title", sorted(["金水社区", "二七家庭", "早年机关"])),
    ],
)
def test_organisation_filters_narrow_the_list(client, network, query, expected):
    index = network["organisations"]
    LearningOrganisationPageFactory(
        parent=index, title="金水社区", year=2025, school=network["school"]
    )
    LearningOrganisationPageFactory(
        parent=index,
        title="二七家庭",
        year=2024,
        kind=OrganisationKind.FAMILY,
        district=network["erqi"],
    )
    LearningOrganisationPageFactory(
        parent=index, title="早年机关", year=2019, kind=OrganisationKind.AGENCY
    )
    draft = LearningOrganisationPageFactory(parent=index, title="草稿组织", year=2025)
    draft.unpublish()
    response = client.get(f"/showcase/organisations/?{query}")
    assert response.status_code == 200
    assert card_titles(response) == expected


def test_honour_filters_include_kind_and_category(client, network):
    index = network["honours"]
    skills = Category.objects.get(slug="skills")
    HonourPageFactory(parent=index, title="夜校课程", kind=HonourKind.ACHIEVEMENT, category=skills)
    HonourPageFactory(parent=index, title="学习之星", kind=HonourKind.STAR)
    assert card_titles(client.get("/showcase/honours/?kind=star")) == ["学习之星"]
    assert card_titles(client.get("/showcase/honours/?category=skills")) == ["夜校课程"]


def test_a_honour_with_a_video_plays_it_with_the_speed_control(client, network):
    # The player is given no caption or chapter file here: it must not need them.
    star = HonourPageFactory(
        parent=network["honours"], title="学习之星", kind=HonourKind.STAR, video=VideoFactory()
    )
    response = client.get(star.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<video controls" in html and 'data-speed="1.25"' in html
    assert "<track" not in html and "player-chapters" not in html


@pytest.mark.parametrize(
    "query", ["kind=castle", "year=1999", "year=20x5", "district=atlantis", "district=%00"]
)
def test_unknown_filter_values_give_a_message_and_no_results(client, network, query):
    LearningOrganisationPageFactory(parent=network["organisations"], title="金水社区")
    response = client.get(f"/showcase/organisations/?{query}")
    assert response.status_code == 400
    assert card_titles(response) == []
    assert "请重新选择" in response.content.decode()


def test_the_showcase_page_shows_the_newest_of_each_list(client, network):
    LearningOrganisationPageFactory(parent=network["organisations"], title="金水社区", year=2025)
    HonourPageFactory(parent=network["honours"], title="银龄课堂", year=2024)
    assert card_titles(client.get("/showcase/")) == ["金水社区", "银龄课堂"]


def test_entries_are_linked_from_their_school_and_district_pages(client, network):
    LearningOrganisationPageFactory(
        parent=network["organisations"], title="未来路学习型社区", school=network["school"]
    )
    HonourPageFactory(
        parent=network["honours"], title="金水区示范项目", district=network["jinshui"]
    )
    HonourPageFactory(parent=network["honours"], title="二七区示范项目", district=network["erqi"])

    school_page = client.get("/schools/jinshui/jingbalu/weilai/").content.decode()
    assert "这里的学习型组织和示范项目" in school_page and "未来路学习型社区" in school_page
    assert "金水区示范项目" not in school_page  # named its district only, not this school

    district_page = client.get("/schools/jinshui/").content.decode()
    assert "未来路学习型社区" in district_page and "金水区示范项目" in district_page
    assert "二七区示范项目" not in district_page

    other_school = client.get("/schools/erqi/wulibao/erqi-school/").content.decode()
    assert "这里的学习型组织和示范项目" not in other_school


def test_an_entry_page_shows_its_facts_and_links_its_school(client, network):
    entry = LearningOrganisationPageFactory(
        parent=network["organisations"],
        title="未来路学习型社区",
        year=2023,
        school=network["school"],
        summary="居民自发组建学习团队",
    )
    response = client.get(entry.url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "2023年" in text and "金水区" in text and "学习型社区" in text
    assert 'href="/schools/jinshui/jingbalu/weilai/"' in text


def _add_entries(index, count, start=0):
    for number in range(start, start + count):
        LearningOrganisationPageFactory(
            parent=index,
            title=f"组织{number}",
            year=2020 + number % 5,
            cover_image=get_image_model().objects.create(
                title=f"图{number}", file=get_test_image_file(f"org{number}.png")
            ),
        )


def test_showcase_listings_query_count_does_not_grow_with_entries(client, network):
    urls = ["/showcase/organisations/", "/showcase/organisations/?district=jinshui", "/showcase/"]
    _add_entries(network["organisations"], 5)
    five = [len(queries_for(client, url)) for url in urls]
    _add_entries(network["organisations"], 45, start=5)
    fifty = [len(queries_for(client, url)) for url in urls]
    assert five == fifty
    assert max(fifty) <= 15


def test_school_page_query_count_does_not_grow_with_entries(client, network):
    url = "/schools/jinshui/jingbalu/weilai/"
    for number in range(5):
        LearningOrganisationPageFactory(parent=network["organisations"], school=network["school"])
        HonourPageFactory(
            parent=network["honours"], school=network["school"], title=f"项目{number}"
        )
    five = len(queries_for(client, url))
    for number in range(5, 50):
        LearningOrganisationPageFactory(parent=network["organisations"], school=network["school"])
        HonourPageFactory(
            parent=network["honours"], school=network["school"], title=f"项目{number}"
        )
    assert len(queries_for(client, url)) == five


# --- Teachers and speakers ---------------------------------------------------------------------


@pytest.fixture
def teaching(home_page):
    people = PeopleIndexPageFactory(parent=home_page)
    forum = ForumIndexPageFactory(parent=home_page)
    catalogue = CourseIndexPageFactory(parent=home_page)
    teacher = PersonFactory(name="张桂兰", title="高级讲师", affiliation="金水区社区学院")
    speaker = PersonFactory(name="王建华")
    idle = PersonFactory(name="不授课的人")
    CoursePageFactory(parent=catalogue, title="智能手机入门", teachers=[teacher])
    draft = CoursePageFactory(parent=catalogue, title="未发布的课程", teachers=[idle])
    draft.unpublish()
    lecture = LecturePageFactory(parent=forum, title="黄河文化讲座")
    lecture.speakers.create(person=speaker)
    lecture.speakers.create(person=teacher)
    lecture.save()
    add_occurrence(lecture, local(2026, 6, 1, 9))
    return {"people": people, "teacher": teacher, "speaker": speaker, "idle": idle}


def test_the_teachers_page_lists_people_who_teach_something_public(client, teaching):
    tree = html.fromstring(client.get("/teachers/").content)
    names = [link.text_content() for link in tree.xpath('//h3[@class="speaker__name"]/a')]
    assert names == sorted(["张桂兰", "王建华"])


def test_a_profile_shows_the_courses_and_lectures_a_teacher_gives(client, teaching):
    response = client.get(f"/teachers/{teaching['teacher'].pk}/")
    assert response.status_code == 200
    assert card_titles(response) == ["黄河文化讲座", "智能手机入门"]
    text = response.content.decode()
    assert "高级讲师" in text and "金水区社区学院" in text
    tree = html.fromstring(response.content)
    assert tree.xpath('//meta[@property="og:title"]/@content')[0].startswith("张桂兰")
    assert tree.xpath('//meta[@property="og:url"]/@content') == [
        f"http://testserver/teachers/{teaching['teacher'].pk}/"
    ]


def test_people_without_public_teaching_have_no_profile(client, teaching):
    assert client.get(f"/teachers/{teaching['idle'].pk}/").status_code == 404
    assert client.get("/teachers/999999/").status_code == 404
    assert client.get("/teachers/abc/").status_code == 404


def test_teachers_page_query_count_does_not_grow_with_people(client, home_page):
    people = PeopleIndexPageFactory(parent=home_page)
    catalogue = CourseIndexPageFactory(parent=home_page)

    def add(count, start=0):
        for number in range(start, start + count):
            person = PersonFactory(
                photo=get_image_model().objects.create(
                    title=f"照片{number}", file=get_test_image_file(f"person{number}.png")
                )
            )
            CoursePageFactory(parent=catalogue, teachers=[person])

    add(5)
    five = len(queries_for(client, people.url))
    add(45, start=5)
    fifty = len(queries_for(client, people.url))
    assert five == fifty
    assert fifty <= 15


# --- Volunteers ----------------------------------------------------------------------------------


def _user(username, **fields):
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.cn", **fields
    )


@pytest.fixture
def volunteer_page(home_page):
    page = VolunteerPageFactory(parent=home_page)
    VolunteerFormFieldFactory(page=page, label="称呼", sort_order=0)
    VolunteerFormFieldFactory(page=page, label="手机号码", field_type="phone", sort_order=1)
    VolunteerFormFieldFactory(page=page, label="备注", field_type="multiline", required=False)
    return page


def _field_names(page):
    """The form's field names in the order 称呼, 手机号码, 备注 (Wagtail derives them from labels)."""
    fields = page.get_form(page=page, user=AnonymousUser()).fields
    by_label = {field.label: name for name, field in fields.items()}
    return [by_label["称呼"], by_label["手机号码"], by_label["备注"]]


def test_the_volunteer_form_stores_a_submission_and_mails_no_personal_data(client, volunteer_page):
    name_field, phone_field, _note = _field_names(volunteer_page)
    response = client.post(volunteer_page.url, {name_field: "王老师", phone_field: "13800001234"})
    assert response.status_code == 200
    assert "报名已提交" in response.content.decode()
    submission = FormSubmission.objects.get(page=volunteer_page)
    assert submission.form_data[phone_field] == "13800001234"
    assert len(mail.outbox) == 1
    assert "13800001234" not in mail.outbox[0].body and "王老师" not in mail.outbox[0].body
    # Nothing typed ends up in a URL: the form posts to the page itself.
    form = html.fromstring(client.get(volunteer_page.url).content).xpath("//form[@method='post']")
    assert form and form[0].get("action") == volunteer_page.url


def test_an_incomplete_form_is_shown_again_and_stores_nothing(client, volunteer_page):
    name_field, _phone, _note = _field_names(volunteer_page)
    response = client.post(volunteer_page.url, {name_field: "王老师"})
    assert response.status_code == 400
    assert "报名表" in response.content.decode()
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize("typed", ["abc", "138", "1380000123", "23800001234"])
def test_the_volunteer_form_refuses_a_bad_mobile_number_in_chinese(client, volunteer_page, typed):
    name_field, phone_field, _note = _field_names(volunteer_page)
    response = client.post(volunteer_page.url, {name_field: "王老师", phone_field: typed})
    assert response.status_code == 400
    document = html.fromstring(response.content)
    (summary,) = document.xpath("//*[@data-error-summary]")
    assert summary.get("tabindex") == "-1"
    assert "请填写正确的 11 位手机号码" in summary.text_content()
    assert summary.xpath(".//a")[0].get("href") == f"#id_{phone_field}"
    field = document.xpath(f"//input[@name='{phone_field}']")[0]
    assert field.get("aria-invalid") == "true"
    assert not FormSubmission.objects.exists()


def test_the_volunteer_form_stores_the_number_as_eleven_digits(client, volunteer_page):
    name_field, phone_field, _note = _field_names(volunteer_page)
    form = html.fromstring(client.get(volunteer_page.url).content)
    field = form.xpath(f"//input[@name='{phone_field}']")[0]
    assert (field.get("type"), field.get("autocomplete"), field.get("inputmode")) == (
        "tel",
        "tel",
        "tel",
    )
    response = client.post(
        volunteer_page.url, {name_field: "王老师", phone_field: "+86 139-0000-0456"}
    )
    assert response.status_code == 200
    assert FormSubmission.objects.get().form_data[phone_field] == "13900000456"


def test_a_drop_down_starts_at_an_empty_choice_the_resident_must_change(client, volunteer_page):
    district = VolunteerFormFieldFactory(
        page=volunteer_page,
        label="所在区县",
        field_type="dropdown",
        choices="中原区\n二七区\n金水区",
        sort_order=2,
    )
    document = html.fromstring(client.get(volunteer_page.url).content)
    options = document.xpath(f"//select[@name='{district.clean_name}']/option")
    assert [(option.get("value"), option.text) for option in options][:2] == [
        ("", "请选择"),
        ("中原区", "中原区"),
    ]
    # Nothing is chosen for the resident: at most the empty 请选择 is marked selected.
    assert [o.get("value") for o in options if o.get("selected") is not None] in ([], [""])
    name_field, phone_field, _note = _field_names(volunteer_page)
    data = {name_field: "王老师", phone_field: "13900000456"}
    refused = client.post(volunteer_page.url, data)
    assert refused.status_code == 400
    assert "请选择所在区县。" in refused.content.decode()
    assert not FormSubmission.objects.exists()
    stored = client.post(volunteer_page.url, {**data, district.clean_name: "二七区"})
    assert stored.status_code == 200
    assert FormSubmission.objects.get().form_data[district.clean_name] == "二七区"


def test_the_demo_volunteer_form_asks_for_a_validated_number_and_preselects_no_district(
    client, home_page
):
    from demo.loaders.showcase import _load_volunteer_page

    _load_volunteer_page(DemoReport(), home_page)
    page = VolunteerPage.objects.get(slug="volunteer")
    types = dict(page.form_fields.values_list("label", "field_type"))
    assert types["手机号码"] == "phone" and types["所在区县"] == "dropdown"
    document = html.fromstring(client.get(page.url).content)
    (select,) = document.xpath("//select")
    assert select.xpath("./option")[0].get("value") == ""
    assert [option.get("value") for option in select.xpath("./option[@selected]")] in ([], [""])


def test_the_home_page_invites_volunteers_and_links_the_figures(client, home_page, volunteer_page):
    text = client.get("/").content.decode()
    assert "参与和了解" in text and 'href="/volunteer/"' in text
    StatisticsPageFactory(parent=home_page)
    assert 'href="/statistics/"' in client.get("/").content.decode()
    volunteer_page.unpublish()
    assert "参与和了解" in client.get("/").content.decode()  # the figures are still there


def test_the_volunteer_page_is_never_cached_by_a_shared_cache(client, volunteer_page):
    assert "no-store" in client.get(volunteer_page.url)["Cache-Control"]


def test_submissions_are_shown_to_editors_only(client, home_page, volunteer_page):
    name_field, phone_field, _note = _field_names(volunteer_page)
    client.post(volunteer_page.url, {name_field: "王老师", phone_field: "13800001234"})
    url = reverse("wagtailforms:list_submissions", args=[volunteer_page.pk])

    # Anonymous: sent to the login page, no data.
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    university = CommunityUniversityPageFactory(parent=home_page)
    district = CommunityCollegePageFactory(
        parent=university, district_name="金水区", slug="jinshui"
    )
    setup_roles()
    ensure_roles_and_users(DemoReport())
    worker = _user("worker")
    assign_role(worker, SchoolRole.WORKER, district)
    client.force_login(worker)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "13800001234" not in response.content.decode()

    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "王老师" in text and "138****1234" in text
    assert "13800001234" not in text  # masked on screen
    exported = client.get(url + "?export=csv")
    assert "13800001234" in b"".join(exported.streaming_content).decode()  # for contacting


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800001234", "138****1234"),
        ("电话 0371-60001234 或 13912345678", "电话 0371-****1234 或 139****5678"),
        ("擅长书法", "擅长书法"),
        (None, None),
    ],
)
def test_phone_numbers_are_masked(value, masked):
    from showcase.submissions import mask_phone_numbers

    assert mask_phone_numbers(value) == masked


# --- Statistics --------------------------------------------------------------------------------


@pytest.fixture
def calendar(network):
    home = network["home"]
    events = EventIndexPageFactory(parent=home)
    forum = ForumIndexPageFactory(parent=home)
    elderly = Audience.objects.get(slug="elderly")
    youth = Audience.objects.get(slug="youth")
    # Two events in 金水区 (one under the school, one at it as venue), one in 二七区, a lecture
    # without a district, a draft, a private event and a cancelled occurrence.
    at_school = EventPageFactory(parent=network["school"], title="太极课", audiences=[elderly])
    add_occurrence(at_school, local(2026, 3, 2, 9))
    add_occurrence(at_school, local(2026, 3, 9, 9))
    add_occurrence(at_school, local(2026, 4, 6, 9))
    add_occurrence(at_school, local(2026, 4, 13, 9), cancelled=True)
    at_venue = EventPageFactory(
        parent=events, title="读书会", venue=network["school"], audiences=[elderly, youth]
    )
    add_occurrence(at_venue, local(2026, 4, 20, 14))
    erqi = EventPageFactory(parent=network["erqi_school"], title="二七手工课")
    add_occurrence(erqi, local(2025, 12, 31, 23, 30))  # 2025 in Zhengzhou, though 15:30 UTC
    lecture = LecturePageFactory(parent=forum, title="讲座", audiences=[youth])
    add_occurrence(lecture, local(2026, 4, 25, 9))
    draft = EventPageFactory(parent=events, title="草稿活动")
    add_occurrence(draft, local(2026, 4, 1, 9))
    draft.unpublish()
    private = EventPageFactory(parent=network["school"], title="内部活动")
    add_occurrence(private, local(2026, 4, 2, 9))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    cancelled = EventPageFactory(parent=events, title="取消的活动", status=EventStatus.CANCELLED)
    add_occurrence(cancelled, local(2026, 4, 3, 9), cancelled=True)
    return network


def _rows(dimension, year=None):
    columns, rows = participation_rows(dimension, year)
    return {row["label"]: (row["events"], row["lectures"], row["occurrences"]) for row in rows}


def test_participation_by_district(calendar):
    rows = _rows("district")
    assert rows["金水区"] == (2, 0, 4)
    assert rows["二七区"] == (1, 0, 1)
    assert rows["未归属区县"] == (0, 1, 1)


def test_participation_by_audience(calendar):
    rows = _rows("audience")
    assert rows["老年人"] == (2, 0, 4)
    assert rows["青少年"] == (1, 1, 2)
    assert rows["未指定学习对象"] == (1, 0, 1)
    assert rows["农民"] == (0, 0, 0)  # every audience is listed, even without events


def test_participation_by_month_in_local_time_and_by_year(calendar):
    rows = _rows("month")
    assert rows == {
        "2025-12": (1, 0, 1),
        "2026-03": (1, 0, 2),
        "2026-04": (2, 1, 3),
        "合计": (3, 1, 6),  # 太极课 is in March and April, counted once in the total
    }
    assert list(_rows("month", 2026)) == ["2026-03", "2026-04", "合计"]
    assert _rows("district", 2025)["二七区"] == (1, 0, 1)
    assert _rows("district", 2025)["金水区"] == (0, 0, 0)


def test_the_report_is_for_city_editors_and_exports_csv_and_xlsx(client, calendar):
    setup_roles()
    ensure_roles_and_users(DemoReport())
    url = reverse("participation_report", args=["district"])
    assert client.get(url).status_code == 302  # anonymous: to the login page

    worker = _user("worker")
    assign_role(worker, SchoolRole.WORKER, calendar["school"])
    client.force_login(worker)
    assert client.get(url).status_code in (302, 403)

    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.get(url)
    assert response.status_code == 200
    assert "金水区" in response.content.decode()

    exported = client.get(url + "?export=csv")
    assert exported.status_code == 200
    content = b"".join(exported.streaming_content)
    assert content.startswith("\ufeff".encode())  # the BOM Chinese Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    # The sign-up app adds its three columns through the report's hook.
    assert rows[0] == [
        "区县", "活动数", "讲座数", "课程数", "场次数", "报名人数", "报名成功", "签到人数"
    ]  # fmt: skip
    assert ["金水区", "2", "0", "0", "4", "0", "0", "0"] in rows
    assert rows[-1] == ["合计", "3", "1", "0", "6", "0", "0", "0"]

    xlsx = client.get(reverse("participation_report", args=["month"]) + "?export=xlsx&year=2026")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.title == "参与情况统计"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == [
        "月份", "活动数", "讲座数", "课程数", "场次数", "报名人数", "报名成功", "签到人数"
    ]  # fmt: skip
    assert values[1:] == [
        ["2026-03", 1, 0, 0, 2, 0, 0, 0],
        ["2026-04", 2, 1, 0, 3, 0, 0, 0],
        ["合计", 2, 1, 0, 5, 0, 0, 0],
    ]

    assert client.get(reverse("participation_report", args=["colour"])).status_code == 404
    assert client.get(url + "?year=abc").status_code == 200


def test_a_district_moderator_sees_only_their_own_district(client, calendar):
    setup_roles()
    moderator = _user("jinshui_mod")
    assign_role(moderator, SchoolRole.MODERATOR, calendar["school"])  # the school's district
    client.force_login(moderator)
    url = reverse("participation_report", args=["district"])

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "金水区" in text and "二七区" not in text and "未归属区县" not in text
    assert "只显示您负责的区县" in text

    content = b"".join(client.get(url + "?export=csv").streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["金水区", "合计"]
    assert rows[-1][:5] == ["合计", "2", "0", "0", "4"]  # 二七区's event and the lecture left out

    by_month = b"".join(
        client.get(
            reverse("participation_report", args=["month"]) + "?export=csv"
        ).streaming_content
    ).decode("utf-8-sig")
    assert "2025-12" not in by_month  # 二七区's only event was in December 2025


def test_the_statistics_page_shows_the_network_figures(client, calendar):
    home = calendar["home"]
    StatisticsPageFactory(parent=home)
    resources = ResourceIndexPageFactory(parent=home)
    ResourcePageFactory(parent=resources)
    ResourcePageFactory(parent=resources)
    CommunitySchoolPageFactory(parent=calendar["centre"], kind="point", slug="point")
    with time_machine.travel(NOW, tick=False):
        response = client.get("/statistics/")
    tree = html.fromstring(response.content)
    figures = {
        figure.xpath("string(dt)"): figure.xpath("string(dd)")
        for figure in tree.xpath('//div[@class="figure"]')
    }
    assert figures["社区大学"] == "1"
    assert figures["社区学院（区县）"] == "2"
    assert figures["社区教育中心（乡镇、街道）"] == "2"
    assert figures["社区学校"] == "2"
    assert figures["学习点"] == "1"
    assert figures["活动和讲座"] == "3"  # this year (2026), live and public, not cancelled
    assert figures["活动场次"] == "5"
    assert figures["郑州讲坛讲座"] == "1"
    assert figures["学习资源"] == "2"
    assert CommunityCollegePage.objects.count() == 2


# --- Demo content ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=False)
def test_demo_content_for_news_showcase_teachers_volunteers_and_statistics(client, demo):
    from django.core.management import call_command

    from news.models import NewsPage
    from showcase.models import ShowcasePhoto, VolunteerFormField

    for url in (
        "/news/",
        "/showcase/",
        "/showcase/organisations/",
        "/showcase/honours/",
        "/teachers/",
        "/volunteer/",
        "/statistics/",
        "/api/v2/pages/?type=showcase.LearningOrganisationPage",
    ):
        assert client.get(url).status_code == 200, url

    # Every kind of learning organisation and honour is shown, linked to schools or districts.
    assert set(LearningOrganisationPage.objects.values_list("kind", flat=True)) == set(
        OrganisationKind.values
    )
    assert set(HonourPage.objects.values_list("kind", flat=True)) == set(HonourKind.values)
    assert not LearningOrganisationPage.objects.filter(district__isnull=True).exists()
    assert LearningOrganisationPage.objects.filter(school__isnull=False).exists()
    # A notice is on the home page; teachers come from the demo courses and lectures.
    assert "通知公告" in client.get("/").content.decode()
    assert html.fromstring(client.get("/teachers/").content).xpath('//h3[@class="speaker__name"]')
    # The text cites the policy and contains no placeholder.
    story = str(NewsPage.objects.get(slug="learning-city-progress").body)
    assert "郑政办文〔2013〕13号" in story
    for text in (story, str(LearningOrganisationPage.objects.first().story)):
        assert not any(word in text.lower() for word in ("lorem", "todo", "示例文本"))

    counts = (
        VolunteerFormField.objects.count(),
        ShowcasePhoto.objects.count(),
        FormSubmission.objects.count(),
    )
    call_command("load_demo", verbosity=0)
    assert (
        VolunteerFormField.objects.count(),
        ShowcasePhoto.objects.count(),
        FormSubmission.objects.count(),
    ) == counts
    assert counts[2] == 0  # no made-up personal data


def test_other_apps_can_add_report_columns_through_the_measures_hook(calendar):
    """How the sign-up app will add 报名人数: numbers per occurrence, summed per row."""
    from wagtail import hooks

    def signups(occurrence_ids):
        return [("signups", "报名人数")], {
            occurrence_id: {"signups": 3} for occurrence_id in occurrence_ids
        }

    with hooks.register_temporarily("participation_report_measures", signups):
        columns, rows = participation_rows("district")
    assert ("signups", "报名人数") in columns
    by_district = {row["label"]: row for row in rows}
    assert by_district["金水区"]["signups"] == 3 * 4  # four held occurrences in 金水区
    assert by_district["二七区"]["signups"] == 3


def test_old_volunteer_submissions_are_deleted_after_the_retention_period(volunteer_page):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from signups.models import SignupSettings

    days = SignupSettings.load().retention_days
    old = FormSubmission.objects.create(page=volunteer_page, form_data={"name": "旧记录"})
    FormSubmission.objects.filter(pk=old.pk).update(
        submit_time=timezone.now() - datetime.timedelta(days=days + 1)
    )
    recent = FormSubmission.objects.create(page=volunteer_page, form_data={"name": "新记录"})

    call_command("purge_volunteer_submissions", verbosity=0)

    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]


def test_course_sessions_their_sign_ups_and_check_ins_are_counted(calendar):
    from signups.models import Signup
    from tests.factories.signups import add_signup, enable_signup

    catalogue = CourseIndexPageFactory(parent=calendar["home"])
    course = CoursePageFactory(parent=catalogue, title="智能手机课", venue=calendar["school"])
    session = enable_signup(add_occurrence(course, local(2026, 5, 11, 9)), capacity=5)
    add_occurrence(course, local(2026, 5, 18, 9))
    with time_machine.travel(local(2026, 5, 1, 9), tick=False):
        for number in (1, 2):
            add_signup(session, number)
    Signup.objects.filter(occurrence=session).update(checked_in_at=local(2026, 5, 11, 9))

    columns, rows = participation_rows("district", 2026)
    by_district = {row["label"]: row for row in rows}
    jinshui = by_district["金水区"]
    assert (jinshui["courses"], jinshui["occurrences"]) == (1, 2 + 4)  # 2 sessions, 4 event runs
    assert (jinshui["signups"], jinshui["confirmed"], jinshui["checked_in"]) == (2, 2, 2)
    assert by_district["合计"]["courses"] == 1 and by_district["合计"]["signups"] == 2
