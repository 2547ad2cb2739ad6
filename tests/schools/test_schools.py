"""The four-tier school directory: tree rules, pages, directory filters, near me, GeoJSON."""

import json
import math

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from home.models import HomePage, StandardPage
from home.sections import registered_sections
from schools.directory import nearest_schools
from schools.geo import bounding_box, gcj02_to_wgs84, great_circle_km
from schools.models import (
    CommunityCentrePage,
    CommunityCollegePage,
    CommunitySchoolPage,
    CommunityUniversityPage,
    SchoolPage,
)
from tests.conftest import queries_for
from tests.factories.schools import (
    CommunityCentrePageFactory,
    CommunityCollegePageFactory,
    CommunitySchoolPageFactory,
    CommunityUniversityPageFactory,
)

pytestmark = pytest.mark.django_db

ORIGIN = (34.75, 113.62)


def km_east(lat, lng, km):
    """The point ``km`` due east of (lat, lng) on the same parallel (hand geometry)."""
    return lat, lng + math.degrees(km / (6371.0088 * math.cos(math.radians(lat))))


def km_north(lat, lng, km):
    return lat + math.degrees(km / 6371.0088), lng


@pytest.fixture
def network(home_page):
    """Two districts: 金水区 (two centres, three schools) and 巩义市 (one centre, one point)."""
    university = CommunityUniversityPageFactory(parent=home_page)
    jinshui = CommunityCollegePageFactory(
        parent=university, district_name="金水区", slug="jinshui", latitude=34.80, longitude=113.66
    )
    gongyi = CommunityCollegePageFactory(
        parent=university, district_name="巩义市", slug="gongyi", latitude=34.748, longitude=113.022
    )
    wenhua = CommunityCentrePageFactory(
        parent=jinshui, title="文化路街道社区教育中心", slug="wenhua"
    )
    huayuan = CommunityCentrePageFactory(
        parent=jinshui, title="花园路街道社区教育中心", slug="huayuan"
    )
    xiaoyi = CommunityCentrePageFactory(parent=gongyi, title="孝义街道社区教育中心", slug="xiaoyi")
    schools = {
        "jinxiu": CommunitySchoolPageFactory(
            parent=wenhua,
            title="文化路锦绣社区学校",
            slug="jinxiu",
            address="文化路 80 号",
            latitude=34.7900,
            longitude=113.6560,
        ),
        "heping": CommunitySchoolPageFactory(
            parent=wenhua,
            title="文化路和平社区学习点",
            slug="heping",
            kind=CommunitySchoolPage.KIND_POINT,
            address="和平路 5 号",
            latitude=34.7950,
            longitude=113.6600,
        ),
        "chunhui": CommunitySchoolPageFactory(
            parent=huayuan,
            title="花园路春晖社区学校",
            slug="chunhui",
            address="花园路 12 号",
            latitude=34.8100,
            longitude=113.6700,
        ),
        "wangzhuang": CommunitySchoolPageFactory(
            parent=xiaoyi,
            title="孝义王庄村学习点",
            slug="wangzhuang",
            kind=CommunitySchoolPage.KIND_POINT,
            address="王庄村党群服务中心",
            latitude=34.7500,
            longitude=113.0200,
        ),
    }
    return {"university": university, "jinshui": jinshui, "gongyi": gongyi, **schools}


def _titles(html, start_marker='id="results"'):
    section = html.split(start_marker, 1)[1]
    return section


# --- Tree rules -------------------------------------------------------------------------------


class SchoolTreeRulesTests(WagtailPageTestCase):
    def test_each_tier_only_under_the_tier_above(self):
        self.assertAllowedParentPageTypes(CommunityUniversityPage, {HomePage})
        self.assertAllowedParentPageTypes(CommunityCollegePage, {CommunityUniversityPage})
        self.assertAllowedParentPageTypes(CommunityCentrePage, {CommunityCollegePage})
        self.assertAllowedParentPageTypes(CommunitySchoolPage, {CommunityCentrePage})

    def test_nothing_else_under_a_tier(self):
        from events.models import EventPage
        from learning_resources.models import CoursePage

        # Every tier may hold its own local events and classes.
        local = {EventPage, CoursePage}
        self.assertAllowedSubpageTypes(CommunityUniversityPage, {CommunityCollegePage, *local})
        self.assertAllowedSubpageTypes(CommunityCollegePage, {CommunityCentrePage, *local})
        self.assertAllowedSubpageTypes(CommunityCentrePage, {CommunitySchoolPage, *local})
        self.assertAllowedSubpageTypes(CommunitySchoolPage, local)
        self.assertCanNotCreateAt(CommunityCollegePage, CommunitySchoolPage)
        self.assertCanNotCreateAt(CommunityCentrePage, StandardPage)
        self.assertCanNotCreateAt(HomePage, CommunityCollegePage)

    def test_only_one_university(self):
        root = Page.get_first_root_node()
        home = HomePage(title="首页", slug="home-x")
        root.add_child(instance=home)
        self.assertTrue(CommunityUniversityPage.can_create_at(home))
        CommunityUniversityPageFactory(parent=home)
        self.assertFalse(CommunityUniversityPage.can_create_at(home))


# --- Coordinates ------------------------------------------------------------------------------


def test_coordinates_outside_zhengzhou_are_refused_with_a_clear_message(network):
    school = network["jinxiu"]
    school.latitude, school.longitude = 39.9042, 116.4074  # Beijing
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert "坐标不在郑州市范围内" in str(error.value)


@pytest.mark.parametrize(
    ("lat", "lng", "message"),
    [(95.0, 113.6, "90"), (34.7, None, "纬度和经度需要同时填写"), (113.62, 34.75, "郑州市范围")],
)
def test_impossible_or_swapped_coordinates_are_refused(network, lat, lng, message):
    school = network["jinxiu"]
    school.latitude, school.longitude = lat, lng
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert message in str(error.value)


def test_admin_shows_the_error_and_saves_nothing(admin_client, network):
    school = network["jinxiu"]
    edit_url = f"/admin/pages/{school.pk}/edit/"
    # Post the page's own form back with Beijing's coordinates.
    post = nested_form_data(
        {
            "title": school.title,
            "slug": school.slug,
            "kind": school.kind,
            "intro": "",
            "address": school.address,
            "latitude": "39.9042",
            "longitude": "116.4074",
            "public_transport": "",
            "contact_person": "",
            "phone": school.phone,
            "email": "",
            "opening_hours": streamfield([]),
            "body": streamfield([]),
            "comments": {
                "TOTAL_FORMS": 0,
                "INITIAL_FORMS": 0,
                "MIN_NUM_FORMS": 0,
                "MAX_NUM_FORMS": 1000,
            },
        }
    )
    response = admin_client.post(edit_url, post)
    assert response.status_code == 200
    assert "坐标不在郑州市范围内" in response.content.decode()
    school.refresh_from_db()
    assert school.latitude == pytest.approx(34.79)


# --- Pages ------------------------------------------------------------------------------------


def test_school_page_shows_details_map_link_and_breadcrumb(client, network):
    school = network["jinxiu"]
    school.opening_hours = [
        {
            "type": "hours",
            "value": {
                "days": ["1", "2", "3", "4", "5"],
                "opens": "08:30",
                "closes": "11:30",
                "note": "",
            },
        }
    ]
    school.save()

    html = client.get(school.url).content.decode()

    assert "文化路 80 号" in html
    assert "周一至周五 08:30–11:30" in html
    assert "https://uri.amap.com/marker?position=113.656000%2C34.790000" in html
    crumbs = html.split('aria-label="当前位置"')[1].split("</nav>")[0]
    for ancestor in ("郑州社区大学", "金水区社区学院", "文化路街道社区教育中心"):
        assert ancestor in crumbs
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "EducationalOrganization"
    # schema.org readers take WGS-84: the stored GCJ-02 position, converted back (to < 1 m).
    wgs = gcj02_to_wgs84(34.79, 113.656)
    assert (data["geo"]["latitude"], data["geo"]["longitude"]) == pytest.approx(wgs, abs=1e-5)
    assert great_circle_km(34.79, 113.656, data["geo"]["latitude"], data["geo"]["longitude"]) > 0.4


def test_centre_and_district_pages_list_their_children(client, network):
    centre_html = client.get("/schools/jinshui/wenhua/").content.decode()
    assert "文化路锦绣社区学校" in centre_html and "文化路和平社区学习点" in centre_html
    assert "花园路春晖社区学校" not in centre_html

    district_html = client.get("/schools/jinshui/").content.decode()
    assert "文化路街道社区教育中心" in district_html and "花园路春晖社区学校" in district_html
    assert "孝义王庄村学习点" not in district_html


def test_unpublished_school_is_not_listed(client, network):
    network["heping"].unpublish()
    html = client.get("/schools/jinshui/wenhua/").content.decode()
    assert "文化路和平社区学习点" not in html
    assert "文化路和平社区学习点" not in client.get("/schools/").content.decode()


# --- Directory --------------------------------------------------------------------------------


def test_directory_counts_each_district(client, network):
    html = client.get("/schools/").content.decode()
    table = html.split('class="district-table"')[1].split("</table>")[0]
    jinshui_row = table.split("金水区")[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in jinshui_row.split("<td>")[1:]] == ["2", "2", "1"]
    gongyi_row = table.split("巩义市")[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in gongyi_row.split("<td>")[1:]] == ["1", "0", "1"]


@pytest.mark.engine
@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("district=gongyi", ["孝义王庄村学习点", "巩义市社区学院"], ["文化路锦绣社区学校"]),
        ("tier=3", ["文化路街道社区教育中心"], ["文化路锦绣社区学校", "金水区社区学院"]),
        (
            "kind=point",
            ["文化路和平社区学习点", "孝义王庄村学习点"],
            ["文化路锦绣社区学校", "花园路街道社区教育中心"],
        ),
        ("q=花园路", ["花园路春晖社区学校", "花园路街道社区教育中心"], ["文化路锦绣社区学校"]),
        ("q=文化路+80", ["文化路锦绣社区学校"], ["文化路和平社区学习点"]),
        (
            "district=jinshui&kind=point",
            ["文化路和平社区学习点"],
            ["孝义王庄村学习点", "文化路锦绣社区学校"],
        ),
        ("district=jinshui&tier=4&q=春晖", ["花园路春晖社区学校"], ["文化路锦绣社区学校"]),
    ],
)
def test_directory_filters_narrow_the_results(client, network, query, expected, absent):
    response = client.get(f"/schools/?{query}")
    assert response.status_code == 200
    results = _titles(response.content.decode())
    for title in expected:
        assert title in results
    for title in absent:
        assert title not in results


def test_directory_without_filters_lists_every_tier_in_tree_order(client, network):
    results = _titles(client.get("/schools/").content.decode())
    assert "共找到 9 所" in results
    assert (
        results.index("金水区社区学院")
        < results.index("文化路锦绣社区学校")
        < results.index("巩义市社区学院")
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("district=atlantis", "没有找到所选的区县"),
        ("tier=9", "层级只能是"),
        ("kind=castle", "类型只能是"),
    ],
)
def test_directory_bad_filter_values_get_a_chinese_message(client, network, query, message):
    response = client.get(f"/schools/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "-3", "0", "99999999999999999999", "1e9"])
def test_directory_bad_page_numbers_show_the_first_page(client, network, page):
    response = client.get(f"/schools/?page={page}")
    assert response.status_code == 200
    assert "文化路锦绣社区学校" in response.content.decode()


def test_directory_page_past_the_end_says_so_and_shows_the_last_page(client, network):
    response = client.get("/schools/?page=40")
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有第 40 页，已显示最后一页（第 1 页）" in html
    assert "文化路锦绣社区学校" in _titles(html)


def test_directory_paginates(client, network):
    centre = CommunityCentrePage.objects.get(slug="xiaoyi")
    for number in range(25):
        CommunitySchoolPageFactory(
            parent=centre, title=f"孝义第{number:02d}学习点", slug=f"x{number}"
        )
    first = client.get("/schools/").content.decode()
    second = client.get("/schools/?page=2").content.decode()
    assert 'rel="next"' in first and "孝义第24学习点" not in _titles(first)
    assert "孝义第24学习点" in _titles(second)


# --- Near me ----------------------------------------------------------------------------------


def test_great_circle_against_hand_computed_distances():
    # 0.01° of latitude is R·0.01·π/180 = 1.11195 km whatever the longitude.
    assert great_circle_km(34.75, 113.62, 34.76, 113.62) == pytest.approx(1.11195, abs=1e-4)
    # Along a parallel: R·cos(φ)·Δλ for small Δλ.
    expected = 6371.0088 * math.cos(math.radians(34.75)) * math.radians(0.02)
    assert great_circle_km(34.75, 113.62, 34.75, 113.64) == pytest.approx(expected, rel=1e-6)
    assert great_circle_km(34.75, 113.62, 34.75, 113.62) == 0


@pytest.mark.parametrize("radius", [0.5, 2, 17, 256])
def test_bounding_box_contains_every_point_of_the_circle(radius):
    lat, lng = ORIGIN
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius)
    for bearing in range(0, 360, 5):
        # destination point at exactly ``radius`` km on this bearing
        d = radius / 6371.0088
        phi1, lam1, theta = map(math.radians, (lat, lng, bearing))
        phi2 = math.asin(
            math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(theta)
        )
        lam2 = lam1 + math.atan2(
            math.sin(theta) * math.sin(d) * math.cos(phi1),
            math.cos(d) - math.sin(phi1) * math.sin(phi2),
        )
        point_lat, point_lng = math.degrees(phi2), math.degrees(lam2)
        assert min_lat <= point_lat <= max_lat
        assert min_lng <= point_lng <= max_lng


@pytest.fixture
def ring(home_page):
    """Schools at hand-placed distances from ORIGIN."""
    university = CommunityUniversityPageFactory(parent=home_page)
    college = CommunityCollegePageFactory(
        parent=university, district_name="中原区", slug="zhongyuan"
    )
    centre = CommunityCentrePageFactory(parent=college)

    def place(name, lat, lng):
        return CommunitySchoolPageFactory(parent=centre, title=name, latitude=lat, longitude=lng)

    for number in range(9):
        place(f"近处{number}", *km_north(*ORIGIN, 0.3 + number * 0.1))
    # Just outside the first 2 km search circle, due east: inside no 2 km box.
    place("正东2.5公里", *km_east(*ORIGIN, 2.5))
    # 2.8 km to the north-east: INSIDE the first 2 km box (corner) but farther than 2.5 km.
    diagonal = 2.8 / math.sqrt(2)
    lat, _ = km_north(*ORIGIN, diagonal)
    place("东北2.8公里", lat, km_east(*ORIGIN, diagonal)[1])
    place("远处30公里", *km_north(*ORIGIN, 30))
    return centre


def test_nearest_schools_in_order_with_hand_computed_distances(ring):
    nearby = nearest_schools(*ORIGIN)
    names = [item.school.title for item in nearby]
    assert names == [f"近处{n}" for n in range(9)] + ["正东2.5公里"]
    assert [round(item.distance_km, 3) for item in nearby] == [
        round(0.3 + n * 0.1, 3) for n in range(9)
    ] + [2.5]


def test_box_corner_never_beats_a_nearer_school_outside_the_first_box(ring):
    """The 2.8 km school is inside the first box and 2.5 km one is not: the 2.5 km one wins."""
    names = [item.school.title for item in nearest_schools(*ORIGIN)]
    assert "正东2.5公里" in names and "东北2.8公里" not in names
    eleven = [item.school.title for item in nearest_schools(*ORIGIN, limit=11)]
    assert eleven[-2:] == ["正东2.5公里", "东北2.8公里"]


def test_school_exactly_at_the_first_box_edge_is_found(home_page):
    university = CommunityUniversityPageFactory(parent=home_page)
    college = CommunityCollegePageFactory(parent=university)
    centre = CommunityCentrePageFactory(parent=college)
    CommunitySchoolPageFactory(
        parent=centre,
        title="边缘学校",
        latitude=km_east(*ORIGIN, 1.999)[0],
        longitude=km_east(*ORIGIN, 1.999)[1],
    )
    assert [item.school.title for item in nearest_schools(*ORIGIN, limit=1)] == ["边缘学校"]


def test_near_me_page_lists_the_nearest_with_distances(client, ring):
    # A phone standing at ORIGIN (stored, like the schools, in GCJ-02) reports it in WGS-84.
    wgs_lat, wgs_lng = gcj02_to_wgs84(*ORIGIN)
    response = client.get("/schools/near/", {"lat": f"{wgs_lat:.7f}", "lng": f"{wgs_lng:.7f}"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "离您的位置最近的 10 所" in html
    assert html.index("近处0") < html.index("近处8") < html.index("正东2.5公里")
    assert "0.3 公里" in html and "2.5 公里" in html
    assert "远处30公里" not in html


def test_near_me_by_district_works_without_javascript(client, network):
    response = client.get("/schools/near/", {"district": "gongyi"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("孝义王庄村学习点") < html.index("文化路锦绣社区学校")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lat": "abc", "lng": "113.6"}, "必须是数字"),
        ({"lat": "95", "lng": "113.6"}, "超出范围"),
        ({"lat": "34.7", "lng": "-200"}, "超出范围"),
        ({"lat": "NaN", "lng": "113.6"}, "必须是数字"),
        ({"lat": "Infinity", "lng": "113.6"}, "必须是数字"),
        ({"lat": "1e999", "lng": "113.6"}, "超出范围"),
        ({"lat": "34.7"}, "同时提供"),
        ({"district": "atlantis"}, "没有找到所选的区县"),
        ({"lat": "3" * 5000, "lng": "113"}, "超出范围"),
    ],
)
def test_near_me_bad_input_gets_a_400_with_a_chinese_message(client, network, params, message):
    response = client.get("/schools/near/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_near_me_far_from_zhengzhou_finds_nothing_politely(client, network):
    response = client.get("/schools/near/", {"lat": "39.9", "lng": "116.4"})
    assert response.status_code == 200
    assert "附近没有找到社区学校或学习点" in response.content.decode()


# --- GeoJSON ----------------------------------------------------------------------------------


def test_geojson_lists_published_schools_in_lng_lat_order(client, network):
    network["heping"].unpublish()
    response = client.get("/schools/geojson/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    by_name = {feature["properties"]["name"]: feature for feature in data["features"]}
    assert "文化路和平社区学习点" not in by_name
    jinxiu = by_name["文化路锦绣社区学校"]
    # RFC 7946: WGS-84 [lng, lat]; stored GCJ-02 (34.79, 113.656) converted back.
    assert jinxiu["geometry"]["type"] == "Point"
    wgs_lat, wgs_lng = gcj02_to_wgs84(34.79, 113.656)
    assert jinxiu["geometry"]["coordinates"] == pytest.approx([wgs_lng, wgs_lat], abs=1e-6)
    assert "position=113.656000%2C34.790000" in jinxiu["properties"]["amap_url"]
    assert jinxiu["properties"]["tier"] == 4
    assert jinxiu["properties"]["kind"] == "school"
    assert jinxiu["properties"]["address"] == "文化路 80 号"
    assert jinxiu["properties"]["url"] == "http://testserver/schools/jinshui/wenhua/jinxiu/"
    assert by_name["孝义王庄村学习点"]["properties"]["kind_label"] == "学习点"
    assert by_name["金水区社区学院"]["properties"]["tier"] == 2


# --- Query counts -----------------------------------------------------------------------------


def _grow(centre, count):
    start = CommunitySchoolPage.objects.child_of(centre).count()
    for number in range(start, start + count):
        CommunitySchoolPageFactory(
            parent=centre, title=f"增加的学校{number}", slug=f"grow-{number}"
        )


@pytest.mark.parametrize(
    "url",
    [
        "/schools/",
        "/schools/jinshui/",
        "/schools/jinshui/wenhua/",
        "/schools/geojson/",
    ],
)
def test_query_count_does_not_grow_with_the_number_of_schools(client, network, url):
    centre = CommunityCentrePage.objects.get(slug="wenhua")
    _grow(centre, 3)  # 5 schools in the centre
    small = len(queries_for(client, url))
    _grow(centre, 45)  # 50 schools in the centre
    large = len(queries_for(client, url))
    assert small == large, f"{url}: {small} queries with 5 schools, {large} with 50"
    assert large <= 20


def test_near_me_query_count_is_bounded_even_when_it_must_search_far(client, network):
    # Beijing: no school within reach, so every widening step runs.
    sparse = len(queries_for(client, "/schools/near/?lat=39.9&lng=116.4"))
    dense = len(queries_for(client, "/schools/near/?district=jinshui"))
    assert dense <= sparse <= 20


def test_school_page_sections_follow_the_school_pages_list_of_names():
    """Every name in SchoolPage.SECTIONS is registered by a higher app, and nothing else is."""
    sections = registered_sections(SchoolPage.SECTIONS_HOOK, SchoolPage.SECTIONS)
    assert [section.key for section in sections] == SchoolPage.SECTIONS
