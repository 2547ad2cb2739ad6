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


def _open_archived_lecture(phone, live_site, element):
    """The newest lecture in the archive whose recording is a ``element`` (video or audio)."""
    phone.goto(f"{live_site.url}/forum/")
    links = phone.locator("#archive-heading").locator("xpath=..").locator(".card__title a")
    for href in [links.nth(i).get_attribute("href") for i in range(links.count())]:
        phone.goto(live_site.url + href)
        if phone.locator(f".media-player {element}").count() == 1:
            return
    raise AssertionError(f"no archived lecture with a {element} recording")


def _position(phone, element="video"):
    return phone.locator(f".media-player {element}").evaluate("media => media.currentTime")


def test_resident_watches_a_lecture_and_plays_it_from_a_line_of_the_transcript(
    watched_phone, live_site
):
    phone = watched_phone
    _open_archived_lecture(phone, live_site, "video")
    video = phone.locator(".media-player video")
    tracks = video.evaluate(
        """async (video) => {
            const captions = video.textTracks[0];
            captions.mode = "showing";
            await video.play();
            await new Promise((resolve) => setTimeout(resolve, 1200));
            video.pause();
            return {time: video.currentTime, cues: captions.cues ? captions.cues.length : 0,
                    language: captions.language, label: captions.label,
                    kinds: Array.from(video.textTracks, (track) => track.kind)};
        }"""
    )
    assert tracks["time"] > 0.3 and tracks["cues"] >= 4
    assert tracks["language"] == "zh-Hans" and tracks["label"] == "中文字幕"
    assert tracks["kinds"] == ["captions", "chapters"]
    duration = video.evaluate("video => video.duration")
    assert 30 <= duration <= 90  # a recording worth watching, not a test pattern

    # The transcript is the captions' lines, each a button that plays from its time.
    transcript = phone.locator("#transcript-heading").locator("xpath=..")
    assert "点任意一句" in transcript.inner_text()
    lines = transcript.get_by_role("button")
    assert lines.count() == tracks["cues"]
    third = transcript.locator("li").nth(2)
    start = float(third.get_attribute("data-start"))
    lines.nth(2).click()
    phone.wait_for_function(
        "start => !document.querySelector('.media-player video').paused"
        " && document.querySelector('.media-player video').currentTime > start",
        arg=start,
    )
    assert start <= _position(phone) < start + 3
    # The line being spoken is marked, and follows the playback.
    phone.wait_for_function("() => document.querySelector('.cue-list--transcript li.is-current')")
    assert third.get_attribute("class") == "is-current"
    assert lines.nth(2).get_attribute("aria-current") == "true"
    last = transcript.locator("li").last
    video.evaluate(
        "(video, t) => { video.currentTime = t; }", float(last.get_attribute("data-start")) + 0.2
    )
    phone.wait_for_function(
        "() => Array.from(document.querySelectorAll('.cue-list--transcript li')).pop().classList.contains('is-current')"
    )
    assert third.get_attribute("class") != "is-current"

    # Chapters jump to their part; the speed control changes playbackRate and is remembered.
    chapters = phone.get_by_role("navigation", name="章节")
    last_chapter = chapters.locator("li").last
    last_chapter.get_by_role("button").click()
    chapter_start = float(last_chapter.get_attribute("data-start"))
    phone.wait_for_function(
        "t => document.querySelector('.media-player video').currentTime >= t", arg=chapter_start
    )
    speed = phone.get_by_role("group", name="播放速度")
    speed.get_by_role("button", name="快一点 1.25 倍").click()
    assert video.evaluate("video => video.playbackRate") == 1.25
    assert (
        speed.get_by_role("button", name="快一点 1.25 倍").get_attribute("aria-pressed") == "true"
    )
    assert speed.get_by_role("button", name="正常 1 倍").get_attribute("aria-pressed") == "false"
    video.evaluate("video => video.pause()")
    screenshot(phone, "lecture-timed-transcript")
    phone.reload()
    assert phone.locator(".media-player video").evaluate("video => video.playbackRate") == 1.25
    phone.get_by_role("button", name="正常 1 倍").click()
    assert phone.locator(".media-player video").evaluate("video => video.playbackRate") == 1


def test_an_audio_lecture_transcript_plays_the_audio(watched_phone, live_site):
    phone = watched_phone
    _open_archived_lecture(phone, live_site, "audio")
    transcript = phone.locator("#transcript-heading").locator("xpath=..")
    second = transcript.locator("li").nth(1)
    second.get_by_role("button").click()
    start = float(second.get_attribute("data-start"))
    phone.wait_for_function(
        "t => !document.querySelector('.media-player audio').paused"
        " && document.querySelector('.media-player audio').currentTime > t",
        arg=start,
    )
    phone.locator(".media-player audio").evaluate("audio => audio.pause()")


def test_without_javascript_the_transcript_shows_its_times(browser, live_site):
    context = new_phone_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_site.url}/forum/")
        href = page.locator("#archive-heading").locator("xpath=..").locator(".card__title a")
        page.goto(live_site.url + href.first.get_attribute("href"))
        transcript = page.locator("#transcript-heading").locator("xpath=..")
        assert re.match(r"^\d\d:\d\d ", transcript.locator("li").first.inner_text())
        assert transcript.get_by_role("button").count() == 0
        assert not page.get_by_role("group", name="播放速度").is_visible()
        assert not transcript.get_by_text("点任意一句").is_visible()
    finally:
        context.close()


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
