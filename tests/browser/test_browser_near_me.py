"""Near me from the right spot, and calendars to subscribe to, in a real phone browser."""

import json
import re
import urllib.request

import icalendar
import pytest

from schools.geo import gcj02_to_wgs84, great_circle_km, wgs84_to_gcj02
from tests.browser_fixtures import new_phone_context, screenshot, set_elder_mode, watch_responses

pytestmark = pytest.mark.browser


def _get(url) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _demo_points(live_site):
    """Tier-4 schools with their stored (GCJ-02) positions, from the API, in tree order."""
    url = (
        f"{live_site.url}/api/v2/pages/?type=schools.CommunitySchoolPage"
        "&fields=latitude,longitude&limit=50"
    )
    return [item for item in json.loads(_get(url))["items"] if item["latitude"] is not None]


def _standing_at(school) -> dict:
    """What a phone standing at the school reports: its WGS-84 position."""
    lat, lng = gcj02_to_wgs84(school["latitude"], school["longitude"])
    return {"latitude": lat, "longitude": lng}


def _wrong_nearest(schools, position):
    """The school the uncorrected search would pick (WGS-84 numbers read as GCJ-02)."""
    return min(
        schools,
        key=lambda s: great_circle_km(
            position["latitude"], position["longitude"], s["latitude"], s["longitude"]
        ),
    )


def _pick_a_school_the_raw_numbers_get_wrong(schools):
    for school in schools:
        if _wrong_nearest(schools, _standing_at(school))["id"] != school["id"]:
            return school
    pytest.fail("the demo has no school ~570 m from another: the datum shift is not exercised")


@pytest.mark.parametrize("start", ["/", "/schools/"])
def test_near_me_puts_the_school_the_resident_stands_at_first(browser, live_site, start):
    schools = _demo_points(live_site)
    school = _pick_a_school_the_raw_numbers_get_wrong(schools)
    position = _standing_at(school)
    # Sanity: converting the phone's position back lands on the stored spot.
    back = wgs84_to_gcj02(position["latitude"], position["longitude"])
    assert great_circle_km(*back, school["latitude"], school["longitude"]) * 1000 < 1
    context = new_phone_context(browser, geolocation=position, permissions=["geolocation"])
    page = context.new_page()
    watch = watch_responses(page)
    page.goto(live_site.url + start)
    finder = page.locator("form[data-near-me]")
    button = finder.get_by_role("button", name="使用我的当前位置")
    button.scroll_into_view_if_needed()
    assert button.is_visible()
    button.click()
    page.wait_for_url(re.compile(r"/schools/near/\?lat="))
    first = page.locator(".school-list li").first
    assert school["title"] in first.inner_text()
    assert "0.0 公里" in first.inner_text()
    screenshot(page, f"near-me-from-{'home' if start == '/' else 'directory'}")
    context.close()
    watch.check()


def _calendar_from_webcal(live_site, href: str) -> icalendar.Calendar:
    assert href.startswith("webcal://127.0.0.1:")
    url = "http://" + href.removeprefix("webcal://")
    assert url.startswith(live_site.url + "/")
    return icalendar.Calendar.from_ical(_get(url))


def _screens(page, live_site, url: str, name: str):
    for elder in (False, True):
        set_elder_mode(page, live_site.url, elder)
        page.goto(url)
        screenshot(page, f"{name}{'-elder' if elder else ''}")


def test_school_and_district_pages_offer_their_calendar(watched_phone, live_site):
    phone = watched_phone
    school = _demo_points(live_site)[0]
    school_url = json.loads(_get(f"{live_site.url}/api/v2/pages/{school['id']}/"))["meta"][
        "html_url"
    ]
    assert school_url.startswith(live_site.url)
    phone.goto(school_url)
    link = phone.get_by_role("link", name="订阅到手机日历")
    calendar = _calendar_from_webcal(live_site, link.get_attribute("href"))
    assert str(calendar["X-WR-CALNAME"]) == f"{school['title']} · 郑州终身学习网"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT6H"
    with phone.expect_download() as download:
        phone.get_by_role("link", name="下载日历文件（.ics）").click()
    with open(download.value.path(), "rb") as ics:
        downloaded = icalendar.Calendar.from_ical(ics.read())
    assert {e["UID"] for e in downloaded.walk("VEVENT")} == {
        e["UID"] for e in calendar.walk("VEVENT")
    }
    _screens(phone, live_site, school_url, "subscribe-school")

    phone.goto(school_url)
    # On a phone the breadcrumbs show only the parent; the district is the third crumb.
    district_link = phone.locator(".breadcrumbs a").nth(2)
    district_name = district_link.text_content().strip()
    phone.goto(live_site.url + district_link.get_attribute("href"))
    href = phone.get_by_role("link", name="订阅到手机日历").get_attribute("href")
    district = _calendar_from_webcal(live_site, href)
    assert str(district["X-WR-CALNAME"]).endswith(" · 郑州终身学习网")
    assert str(district["X-WR-CALNAME"]).split(" · ")[0] in district_name
    # The district's calendar holds the school's events and more.
    assert {e["UID"] for e in calendar.walk("VEVENT")} <= {
        e["UID"] for e in district.walk("VEVENT")
    }
    _screens(phone, live_site, phone.url, "subscribe-district")


def test_learning_week_edition_filters_and_subscribes(watched_phone, live_site):
    phone = watched_phone
    phone.goto(f"{live_site.url}/learning-week/")
    phone.locator(".edition-list h2 a").first.click()
    phone.wait_for_load_state()
    edition_url = phone.url.split("?")[0]
    title = phone.locator("h1").inner_text()
    href = phone.get_by_role("link", name="订阅到手机日历").get_attribute("href")
    calendar = _calendar_from_webcal(live_site, href)
    assert str(calendar["X-WR-CALNAME"]) == f"{title} · 郑州终身学习网"
    everything = len(calendar.walk("VEVENT"))
    assert everything == 20

    districts = phone.locator("#edition-district option").all_inner_texts()[1:]
    assert districts[:5] == ["中原区", "二七区", "管城回族区", "金水区", "上街区"]
    # The demo's week began two days ago: its first day is over and says so.
    first_day = phone.locator("section.day").first
    assert "已结束" in first_day.inner_text()
    phone.get_by_label("区县").select_option(label="金水区")
    phone.get_by_role("button", name="筛选").click()
    phone.wait_for_url(re.compile(r"district="))
    titles = phone.locator("section.day .entry__title a").all_inner_texts()
    assert titles and all(title.startswith("金水区") for title in titles)
    assert len(titles) < everything
    _screens(phone, live_site, phone.url, "learning-week-filtered")
    with phone.watch.expecting(400):
        phone.goto(edition_url + "?day=1999-01-01")
    assert "没有找到日期" in phone.locator(".notice--error").inner_text()
