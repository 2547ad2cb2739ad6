"""WGS-84 ↔ GCJ-02: the browser's position is converted before "near me" measures, and what
other software reads (GeoJSON, schema.org ``geo``) is WGS-84.

The fixed pairs come from independent implementations of the standard ("eviltransform")
algorithm, not from ours: the published test vectors of googollee/eviltransform (Shanghai,
Shenzhen, Beijing) and of wandergis/coordtransform (Beijing), and for Zhengzhou the value the
PyPI package coordtransform 0.2.1 computes (eviltransform 0.1.1 agrees to under 1 cm).
"""

import json

import pytest

from schools.directory import nearest_schools
from schools.geo import gcj02_to_wgs84, great_circle_km, wgs84_to_gcj02
from tests.factories.schools import (
    CommunitySchoolPageFactory,
    school_branch,
)

# (WGS-84 lat, lng) → (GCJ-02 lat, lng)
PUBLISHED_PAIRS = [
    pytest.param((34.7466, 113.6253), (34.745417341698484, 113.6313465804004), id="zhengzhou"),
    pytest.param((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215), id="shanghai"),
    pytest.param((22.543847, 113.912316), (22.540796131694766, 113.9171764808363), id="shenzhen"),
    pytest.param((39.911954, 116.377817), (39.91334545536069, 116.38404722455657), id="beijing"),
    pytest.param((39.915, 116.404), (39.91640428150164, 116.41024449916938), id="beijing-2"),
]


@pytest.mark.parametrize(("wgs", "gcj"), PUBLISHED_PAIRS)
def test_wgs84_to_gcj02_matches_published_pairs_within_5_m(wgs, gcj):
    converted = wgs84_to_gcj02(*wgs)
    assert great_circle_km(*converted, *gcj) * 1000 < 5
    # The offset is real: hundreds of metres, so skipping the conversion is not "close enough".
    assert great_circle_km(*wgs, *gcj) * 1000 > 300


@pytest.mark.parametrize(("wgs", "gcj"), PUBLISHED_PAIRS)
def test_gcj02_to_wgs84_recovers_the_published_wgs_point_within_1_m(wgs, gcj):
    assert great_circle_km(*gcj02_to_wgs84(*gcj), *wgs) * 1000 < 1


@pytest.mark.parametrize(
    "point", [(34.75, 113.62), (34.2, 112.6), (35.1, 114.3), (45.75, 126.65), (23.1, 113.3)]
)
def test_round_trip_is_under_1_m(point):
    back = wgs84_to_gcj02(*gcj02_to_wgs84(*point))
    assert great_circle_km(*back, *point) * 1000 < 1
    again = gcj02_to_wgs84(*wgs84_to_gcj02(*point))
    assert great_circle_km(*again, *point) * 1000 < 1


@pytest.mark.parametrize("point", [(51.5074, -0.1278), (40.7128, -74.006), (-33.87, 151.21)])
def test_positions_outside_china_are_unchanged(point):
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point


# --- Near me on the right spot ---------------------------------------------------------------

# Where the resident stands, in WGS-84 (what the phone reports).
RESIDENT_WGS = (34.7466, 113.6253)


@pytest.fixture
def two_schools(home_page):
    """Two schools ~300 m apart, stored as AMap reads them (GCJ-02).

    北边学校 is 40 m north of where the resident really stands. 西南学校 is about 300 m
    west-south-west of it, towards the point the resident's *unconverted* WGS-84 numbers name
    in GCJ-02 terms (~570 m west of the truth): the wrong answer without the conversion.
    """
    centre = school_branch(home_page, "中原区", slug="zy").centre
    true_lat, true_lng = wgs84_to_gcj02(*RESIDENT_WGS)
    # 40 m north of the true spot.
    north = CommunitySchoolPageFactory(
        parent=centre, title="北边学校", latitude=true_lat + 0.00036, longitude=true_lng
    )
    # ~300 m west-south-west of it, towards the raw WGS numbers.
    southwest = CommunitySchoolPageFactory(
        parent=centre, title="西南学校", latitude=true_lat - 0.0006, longitude=true_lng - 0.0031
    )
    return north, southwest


def test_two_schools_are_about_300_m_apart_and_the_raw_numbers_favour_the_wrong_one(two_schools):
    north, southwest = two_schools
    apart = great_circle_km(
        north.latitude, north.longitude, southwest.latitude, southwest.longitude
    )
    assert 250 < apart * 1000 < 350
    uncorrected = nearest_schools(*RESIDENT_WGS, limit=1)
    assert [item.school.title for item in uncorrected] == ["西南学校"]


def test_near_me_converts_the_browser_position_and_finds_the_truly_nearest(client, two_schools):
    response = client.get("/schools/near/", {"lat": "34.7466", "lng": "113.6253"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("北边学校") < html.index("西南学校")
    assert "0.0 公里" in html  # 40 m


def test_geojson_and_json_ld_are_wgs84_and_round_trip_to_the_stored_spot(client, two_schools):
    north, _southwest = two_schools
    data = json.loads(client.get("/schools/geojson/").content)
    feature = next(f for f in data["features"] if f["properties"]["name"] == "北边学校")
    lng, lat = feature["geometry"]["coordinates"]
    # A map app reading the GeoJSON (WGS-84) and converting it for AMap lands on the school.
    assert great_circle_km(*wgs84_to_gcj02(lat, lng), north.latitude, north.longitude) * 1000 < 1
    assert great_circle_km(lat, lng, north.latitude, north.longitude) * 1000 > 400
    # The resident standing at the school sees it 0.0 km away when the phone reports that point.
    html = client.get("/schools/near/", {"lat": f"{lat}", "lng": f"{lng}"}).content.decode()
    assert "0.0 公里" in html.split("北边学校")[1].split("</li>")[0]
    page_html = client.get(north.url).content.decode()
    ld = json.loads(page_html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert (ld["geo"]["latitude"], ld["geo"]["longitude"]) == pytest.approx((lat, lng), abs=1e-6)


def test_amap_links_keep_the_stored_gcj02_position(client, two_schools):
    north, _southwest = two_schools
    html = client.get(north.url).content.decode()
    assert f"position={north.longitude:.6f}%2C{north.latitude:.6f}" in html


def test_home_page_finder_loads_the_location_script(client, two_schools):
    html = client.get("/").content.decode()
    assert "data-near-me" in html and "data-locate" in html
    assert "js/near-me.js" in html
