"""Hostile input everywhere: Hypothesis feeds overlong, wrongly typed, control-character, invalid
UTF-8, SQL/FTS-syntax, huge and impossible values to every public URL pattern, every filter and
every public form, against the demo site served by runserver. Nothing may answer 5xx.

Derandomized (the same examples on every run, as CI needs), no deadline; at least 1,500
distinct requests per run.
"""

from __future__ import annotations

import http.client
import json
import re
import sqlite3
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.browser_fixtures import copy_demo_site, site_env, start_server, stop_server

settings.register_profile(
    "hostile",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


SENT: set[tuple[str, str, str]] = set()
MINIMUM_DISTINCT_REQUESTS = 1500

LISTINGS = [
    "/",
    "/courses/",
    "/resources/",
    "/calendar/",
    "/forum/",
    "/learning-week/",
    "/reading-festival/",
    "/schools/",
    "/schools/near/",
    "/schools/geojson/",
    "/search/",
    "/search/suggest/",
    "/calendar/ics/",
    "/forum/ics/",
    "/feeds/lectures/rss/",
    "/feeds/lectures/atom/",
    "/feeds/resources/rss/",
    "/feeds/resources/atom/",
    "/news/",
    "/showcase/",
    "/showcase/organisations/",
    "/showcase/honours/",
    "/teachers/",
    "/statistics/",
    "/api/v2/pages/",
    "/api/v2/images/",
    "/api/v2/documents/",
]
PARAMETERS = [
    "q", "page", "sort", "view", "month", "year", "when", "range", "from", "to", "series",
    "audience", "category", "district", "tag", "kind", "mode", "type", "tier", "speaker",
    "lat", "lng", "past", "new", "format", "limit", "offset", "id", "child_of",
    "descendant_of", "ancestor_of", "status", "search", "week",
]  # fmt: skip

# The edges of each parameter type: what overflows a date, a datetime, a C long or a bigint.
EDGE_INTEGERS = [
    "0", "-1", "1", str(2**31), str(2**63 - 1), str(2**63), str(2**64), str(10**100),
    str(-(2**63) - 1), "abc", "1.5", "1e3", "\uff11\uff12", " 7 ", "",
]  # fmt: skip
EDGE_DATES = [
    "0001-01-01", "9999-12-31", "9999-12-30", "0001-01-02", "1900-12-31", "3000-01-01",
    "0000-00-00", "2026-02-29", "abc",
]  # fmt: skip
EDGE_MONTHS = ["0001-01", "9999-12", "2026-00", "2026-13", "0000-00", "1900-12", "3000-01", "x"]
NASTY = [
    "' OR 1=1 --",
    "'; DROP TABLE wagtailcore_page; --",
    '"',
    '"unterminated',
    "NEAR(a b",
    "a AND OR NOT",
    "*",
    "^",
    "a:b",
    "title:太极",
    "(((",
    "\\",
    "%",
    "_",
    "\x00",
    "a\x00b",
    "\r\n",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "\udcff",
    "🧧" * 30,
    "太极" * 300,
    "9" * 400,
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "2026-02-30",
    "2026-13-01",
    "2026-00",
    "2026-13",
    "0000-00-00",
    "9999-12-31",
    "99999-01",
    "-0001-01-01",
    "1970-01-01T00:00:00Z",
    "90.000001",
    "-91",
    "181",
    "1e400",
    "34.7,113.6",
    "<script>alert(1)</script>",
    "../../../etc/passwd",
    "[]",
    "{}",
    "true",
    "None",
    "",
]


def encode_text(value: str) -> str:
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


def encode_bytes(value: bytes) -> str:
    return "".join(f"%{byte:02X}" for byte in value)


hostile_values = st.one_of(
    st.sampled_from(NASTY).map(encode_text),
    st.sampled_from(EDGE_INTEGERS + EDGE_DATES + EDGE_MONTHS).map(encode_text),
    st.text(max_size=40).map(encode_text),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda number: encode_text(repr(number))),
    st.binary(min_size=1, max_size=24).map(encode_bytes),  # invalid UTF-8 escapes
    st.integers(min_value=1000, max_value=20000).map(lambda size: "x" * size),
)


@pytest.fixture(scope="module")
def site(demo_site_files, tmp_path_factory):
    root = copy_demo_site(demo_site_files, tmp_path_factory.mktemp("hostile-site"))
    server, url = start_server(root, site_env(root, SIGNUP_RATE_LIMIT="0"))
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    client = Client(host, int(port), root)
    client.discover()
    yield client
    stop_server(server)


class Client:
    def __init__(self, host, port, root):
        self.host, self.port, self.root = host, port, root
        self.cookies: dict[str, str] = {}
        self.details: list[str] = []
        self.signup_path = ""
        self.status_path = ""

    def request(self, method: str, target: str, body: str = "") -> tuple[int, str]:
        SENT.add((method, target, body))
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}/"
        try:
            connection.request(method, target, body=body.encode("ascii"), headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def check(self, method: str, target: str, body: str = "") -> int:
        status, text = self.request(method, target, body)
        if status >= 500:
            log = (self.root / "server.log").read_text()[-4000:]
            pytest.fail(f"{method} {target[:300]} {body[:300]} -> {status}\n{log}")
        return status

    def discover(self):
        """A detail page of each kind, a course lesson, a sign-up form and a status link."""
        for listing, pattern in [
            ("/courses/", r'href="(/courses/[^"?#]+/)"'),
            ("/resources/", r'href="(/resources/[^"?#]+/)"'),
            ("/forum/", r'href="(/forum/[^"?#]+/)"'),
            ("/calendar/", r'href="(/(?:calendar|learning-week|reading-festival)/[^"?#]+/)"'),
            ("/schools/", r'href="(/(?:schools|community-university)/[^"?#]+/)"'),
            ("/learning-week/", r'href="(/learning-week/[^"?#]+/)"'),
            ("/reading-festival/", r'href="(/reading-festival/[^"?#]+/)"'),
        ]:
            status, html = self.request("GET", listing)
            assert status == 200, listing
            self.details += sorted(set(re.findall(pattern, html)) - {listing})[:2]
        for detail in list(self.details):
            status, html = self.request("GET", detail)
            match = re.search(r'href="(/signup/\d+/)"', html)
            if match and not self.signup_path:
                self.signup_path = match.group(1)
        if not self.signup_path:
            with sqlite3.connect(self.root / "db.sqlite3") as database:
                (occurrence,) = database.execute(
                    "SELECT id FROM home_occurrence WHERE signup_mode = 'first_come' "
                    "AND capacity > 20 ORDER BY id LIMIT 1"
                ).fetchone()
            self.signup_path = f"/signup/{occurrence}/"
        with sqlite3.connect(self.root / "db.sqlite3") as database:
            (school,) = database.execute(
                "SELECT page_ptr_id FROM schools_communityschoolpage ORDER BY page_ptr_id LIMIT 1"
            ).fetchone()
        # A learning point's large-print week, as a page and as a PDF.
        self.schedule_path = f"/schedule/{school}/"
        self.details.append(self.schedule_path)
        assert self.details and self.signup_path
        status, html = self.request("GET", self.signup_path)
        assert status == 200 and "csrftoken" in self.cookies
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        # A real sign-up, for a real status link to attack.
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.csrf,
                "name": "张三",
                "phone": "13800138000",
                "age_group": re.search(r'name="age_group"[^>]*value="([^"]+)"', html).group(1)
                if re.search(r'name="age_group"[^>]*value="([^"]+)"', html)
                else "",
                "consent": "on",
            }
        )
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        connection.request(
            "POST",
            self.signup_path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "Referer": f"http://{self.host}:{self.port}/",
            },
        )
        response = connection.getresponse()
        location = response.getheader("Location") or ""
        response.read()
        connection.close()
        match = re.search(r"(/signup/status/[^/]+/)", location)
        self.status_path = match.group(1) if match else "/signup/status/not-a-token/"


def query(pairs) -> str:
    return "&".join(f"{name}={value}" for name, value in pairs)


# Distinct requests each test must send: together at least 1,500 per run.
MINIMUM = {"listings": 720, "paths": 380, "forms": 420}
assert sum(MINIMUM.values()) >= MINIMUM_DISTINCT_REQUESTS


def sends_at_least(minimum, examples):
    """Run ``examples`` (a Hypothesis test taking the site) and count the distinct requests."""
    before = len(SENT)
    examples()
    sent = len(SENT) - before
    assert sent >= minimum, f"only {sent} distinct hostile requests, expected {minimum}"


CJK = re.compile("[\u4e00-\u9fff]")
MESSAGE = re.compile(r'class="notice[^"]*"[^>]*>(.*?)</(?:p|div)>', re.S)


def edge_cases(site) -> list[str]:
    """Every integer, date and month parameter of every public route, at its type's edges."""
    targets = []
    for value in map(encode_text, EDGE_DATES):
        for name in ("from", "to"):
            for extra in ("", "&view=month", "&range=custom", "&when=past"):
                for path in ("/calendar/", "/calendar/ics/"):
                    targets.append(f"{path}?{name}={value}{extra}")
        targets.append(f"/calendar/?from={value}&to={value}")
    for value in map(encode_text, EDGE_MONTHS + EDGE_INTEGERS):
        targets += [f"/calendar/?view=month&month={value}", f"/calendar/ics/?month={value}"]
    paged = [
        "/courses/", "/resources/", "/calendar/", "/schools/", "/search/?q=%E5%A4%AA%E6%9E%81",
        "/news/", "/showcase/organisations/", "/showcase/honours/", "/teachers/",
        "/tags/%E5%A4%AA%E6%9E%81/",
    ]  # fmt: skip
    for path in paged:
        for value in EDGE_INTEGERS:
            targets.append(f"{path}{'&' if '?' in path else '?'}page={encode_text(value)}")
    for value in EDGE_INTEGERS + ["0001", "9999"]:
        for path in ("/news/", "/showcase/organisations/", "/showcase/honours/", "/forum/"):
            targets.append(f"{path}?year={encode_text(value)}")
        targets += [
            f"/forum/?speaker={encode_text(value)}",
            f"/schools/?tier={encode_text(value)}",
            f"/schools/near/?lat={encode_text(value)}&lng=113.6",
            f"/schools/near/?lat=34.7&lng={encode_text(value)}",
        ]
    for kind in ("pages", "images", "documents"):
        names = ["offset", "limit", "id"]
        if kind == "pages":
            names += ["child_of", "descendant_of", "ancestor_of"]
        for value in EDGE_INTEGERS:
            targets += [f"/api/v2/{kind}/?{name}={encode_text(value)}" for name in names]
            targets.append(f"/api/v2/{kind}/{encode_text(value)}/")
    for value in map(encode_text, EDGE_DATES + EDGE_INTEGERS + ["2026-12-07", "2099-12-31"]):
        targets += [f"{site.schedule_path}?week={value}", f"{site.schedule_path}pdf/?week={value}"]
    lessons = [detail + "lessons/{}/" for detail in site.details if detail.startswith("/courses/")]
    templates = ["/signup/{}/", "/teachers/{}/", "/documents/{}/x.pdf", "/schedule/{}/", *lessons]
    for template in [*templates, "/schedule/{}/pdf/"]:
        targets += [template.format(encode_text(value) or "x") for value in EDGE_INTEGERS]
    return targets


def test_every_number_and_date_parameter_at_its_edges(site):
    """Year 1 and 9999, month 0 and 13, 0, -1, 2**63, 10**100 and non-numbers: never a 5xx, and
    a refusal says why (a Chinese message on the page, a ``message`` from the API)."""
    targets = edge_cases(site)
    assert len(targets) > 600
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda target: (target, *site.request("GET", target)), targets))
    failures = []
    for target, status, text in answers:
        if status >= 500:
            failures.append(f"{target} -> {status}")
        elif status == 400 and target.startswith("/api/"):
            if not json.loads(text).get("message"):
                failures.append(f"{target} -> 400 without a message")
        elif status == 400:
            said = " ".join(MESSAGE.findall(text)) if "<html" in text else text
            if not CJK.search(said):
                failures.append(f"{target} -> 400 without a Chinese message: {said[:80]!r}")
    assert not failures, "\n".join(failures)


def test_listings_filters_and_feeds_never_fail(site):
    sends_at_least(MINIMUM["listings"], lambda: listings_examples(site))


def test_path_segments_never_fail(site):
    sends_at_least(MINIMUM["paths"], lambda: path_examples(site))


def test_public_forms_never_fail(site):
    sends_at_least(MINIMUM["forms"], lambda: form_examples(site))


@settings(settings.get_profile("hostile"), max_examples=800)
@given(
    target=st.integers(min_value=0, max_value=10_000),
    pairs=st.lists(st.tuples(st.sampled_from(PARAMETERS), hostile_values), min_size=1, max_size=4),
)
def listings_examples(site, target, pairs):
    paths = LISTINGS + site.details
    path = paths[target % len(paths)]
    site.check("GET", f"{path}?{query(pairs)}")


PATH_TEMPLATES = [
    "/tags/{}/",
    "/signup/{}/",
    "/signup/status/{}/",
    "/courses/{}/",
    "/calendar/{}/",
    "/schools/{}/",
    "/{}/",
    "/documents/{}/x.pdf",
    "/search/{}/",
    "/schedule/{}/",
    "/schedule/{}/pdf/",
]


@settings(settings.get_profile("hostile"), max_examples=520)
@given(template=st.integers(min_value=0, max_value=100), value=hostile_values)
def path_examples(site, template, value):
    templates = PATH_TEMPLATES + [
        detail + "lessons/{}/" for detail in site.details if detail.startswith("/courses/")
    ]
    chosen = templates[template % len(templates)]
    site.check("GET", chosen.format(value[:3000] or "x"))


SIGNUP_FIELDS = [
    "name", "phone", "age_group", "for_someone_else", "helper_name", "helper_phone", "email",
    "consent", "action", "csrfmiddlewaretoken",
]  # fmt: skip


@settings(settings.get_profile("hostile"), max_examples=480)
@given(
    to_status=st.booleans(),
    pairs=st.lists(st.tuples(st.sampled_from(SIGNUP_FIELDS), hostile_values), max_size=8),
    with_token=st.booleans(),
)
def form_examples(site, to_status, pairs, with_token):
    path = site.status_path if to_status else site.signup_path
    fields = list(pairs)
    if with_token:
        fields.append(("csrfmiddlewaretoken", encode_text(site.csrf)))
        fields.append(("consent", "on"))
    site.check("POST", path, query(fields))
