"""What a resident (and a community worker) actually does, on a phone, in a real browser."""

import datetime
import json
import re
import urllib.request

import icalendar
import pytest

from tests.browser_fixtures import new_phone_context, screenshot

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "zzxx-demo-2026"


def _json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_resident_finds_the_nearest_learning_point_and_its_events(browser, live_site):
    schools = [
        feature
        for feature in _json(f"{live_site.url}/schools/geojson/")["features"]
        if feature["properties"]["tier"] == 4
    ]
    # The first school in tree order hosts a weekly tai chi class in the demo.
    home_school = schools[0]
    lng, lat = home_school["geometry"]["coordinates"]
    context = new_phone_context(
        browser, geolocation={"latitude": lat, "longitude": lng}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto(f"{live_site.url}/schools/")
    page.get_by_role("button", name="使用我的当前位置").click()
    page.wait_for_url(re.compile(r"/schools/near/\?lat="))
    results = page.locator(".school-list li")
    assert results.count() == 10
    first = results.first
    assert home_school["properties"]["name"] in first.inner_text()
    assert "0.0 公里" in first.inner_text()
    first.get_by_role("link", name=home_school["properties"]["name"]).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == home_school["properties"]["name"]
    events = page.locator("#section-events-here").locator("xpath=ancestor::section[1]")
    assert "每周太极拳晨练" in events.inner_text()
    screenshot(page, "journey-near-me-school")
    context.close()


def test_resident_filters_the_calendar_and_downloads_an_event(phone, live_site):
    phone.goto(f"{live_site.url}/calendar/")
    phone.get_by_role("link", name="本周", exact=True).click()
    phone.wait_for_url(re.compile(r"range=week"))
    filters = phone.locator("details.filters")
    if not filters.evaluate("details => details.open"):  # open already when a filter is set
        filters.locator("summary").click()
    phone.get_by_label("学习对象").select_option(label="老年人")
    phone.get_by_label("区县").select_option(label="中原区")
    phone.get_by_role("button", name="查看").click()
    phone.wait_for_url(re.compile(r"audience=elderly"))
    assert "range=week" in phone.url and "district=zhongyuan" in phone.url
    listing = phone.locator(".entry-list")
    assert listing.count() > 0
    titles = phone.locator(".entry__title a").all_inner_texts()
    assert "每周太极拳晨练" in titles
    subscribe = phone.get_by_role("link", name="订阅到手机日历").get_attribute("href")
    assert subscribe.startswith("webcal://") and "audience=elderly" in subscribe
    phone.locator(".entry__title a", has_text="每周太极拳晨练").first.click()
    phone.wait_for_load_state()
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="添加到我的日历").click()
    with open(download_info.value.path(), "rb") as ics:
        calendar = icalendar.Calendar.from_ical(ics.read())
    events = calendar.walk("VEVENT")
    assert events and all(str(event["SUMMARY"]) == "每周太极拳晨练" for event in events)
    assert events[0]["DTSTART"].params["TZID"] == "Asia/Shanghai"


def test_resident_watches_a_lecture_with_captions_and_reads_the_transcript(phone, live_site):
    phone.goto(f"{live_site.url}/forum/")
    archive = phone.locator("#archive-heading").locator("xpath=..")
    archive.locator(".card__title a").first.click()
    phone.wait_for_load_state()
    if phone.locator("video").count() == 0:  # the newest may be an audio recording
        phone.go_back()
        archive.locator(".card__title a").nth(1).click()
        phone.wait_for_load_state()
    video = phone.locator("video")
    assert video.count() == 1
    playback = video.evaluate(
        """async (video) => {
            const track = video.textTracks[0];
            track.mode = "showing";
            await video.play();
            await new Promise((resolve) => setTimeout(resolve, 1200));
            return {time: video.currentTime, cues: track.cues ? track.cues.length : 0,
                    language: track.language, label: track.label};
        }"""
    )
    assert playback["time"] > 0.3
    assert (
        playback["cues"] > 0
        and playback["language"] == "zh-Hans"
        and playback["label"] == "中文字幕"
    )
    transcript = phone.locator("#transcript-heading").locator("xpath=..")
    assert transcript.is_visible() and "大家好" in transcript.inner_text()


def _font_size(page, selector="body"):
    return page.locator(selector).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def test_elder_mode_makes_text_larger_and_is_remembered(phone, live_site):
    phone.goto(f"{live_site.url}/")
    assert _font_size(phone) >= 18
    normal_heading = _font_size(phone, "h2")
    toggle = phone.get_by_role("button", name="长辈模式")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert _font_size(phone) >= 22
    assert _font_size(phone, "h2") > normal_heading
    phone.goto(f"{live_site.url}/calendar/")
    assert _font_size(phone) >= 22
    assert phone.get_by_role("button", name="退出长辈模式").get_attribute("aria-pressed") == "true"
    line_height = phone.locator("body").evaluate(
        "el => parseFloat(getComputedStyle(el).lineHeight)"
    )
    assert line_height >= 1.5 * 22
    screenshot(phone, "elder-mode-calendar-phone")
    phone.get_by_role("button", name="退出长辈模式").click()
    phone.reload()
    assert 18 <= _font_size(phone) < 22


def _log_in(page, live_site, username):
    page.goto(f"{live_site.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_worker_posts_an_event_and_the_moderator_approves_it(browser, live_site):
    title = "育才学习点插花体验课"
    day = datetime.date.today() + datetime.timedelta(days=3)
    worker = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = worker.new_page()
    _log_in(page, live_site, "jinshui_worker")
    assert "我的社区" in page.content()
    page.get_by_role("link", name="发布活动").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/events/eventpage/"))
    page.fill("#id_title", title)
    page.fill("#id_summary", "周末一起学插花，材料免费提供。")
    page.fill("#id_occurrences-0-start", f"{day:%Y-%m-%d} 09:00")
    page.fill("#id_occurrences-0-end", f"{day:%Y-%m-%d} 11:00")
    page.keyboard.press("Escape")
    page.locator("footer .w-dropdown__toggle").click()
    page.locator('button[name="action-submit"]').click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    assert (
        f"{live_site.url}/calendar/"
        and title not in urllib.request.urlopen(f"{live_site.url}/calendar/").read().decode()
    )
    worker.close()

    moderator = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = moderator.new_page()
    _log_in(page, live_site, "jinshui_moderator")
    assert "等待你的审查" in page.content()
    page.get_by_role("link", name=title).first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    approve = page.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    )
    if not approve.is_visible():
        page.locator("footer .w-dropdown__toggle").click()
    assert approve.inner_text().strip().startswith("批准")
    approve.click()
    page.wait_for_load_state()
    moderator.close()

    public = urllib.request.urlopen(f"{live_site.url}/calendar/").read().decode()
    assert title in public


def test_resident_searches_taiji_and_opens_the_course(phone, live_site):
    phone.goto(f"{live_site.url}/")
    phone.get_by_label("站内搜索").fill("太极")
    phone.get_by_role("button", name="搜索", exact=True).click()
    phone.wait_for_url(re.compile(r"/search/\?q="))
    assert phone.locator(".search-result").count() > 0
    phone.get_by_role("link", name=re.compile(r"^课程（\d+）")).click()
    phone.wait_for_url(re.compile(r"type=learning_resources.coursepage"))
    result = phone.locator(".search-result__title a").first
    assert "太极" in result.inner_text()
    # The word typed is marked (or the longer word of its synonym group, 太极拳, that holds it).
    assert "太极" in result.locator("mark").first.inner_text()
    course_url = result.get_attribute("href")
    result.click()
    phone.wait_for_url(re.compile(re.escape(course_url) + "$"))  # a class may live under its school
    assert "太极拳" in phone.locator("h1").inner_text()
    assert phone.locator(".course-status").first.inner_text() in ("即将开课", "进行中", "已结束")
