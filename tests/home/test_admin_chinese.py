"""The admin speaks Chinese to every role: each admin screen a role uses, rendered by the demo site
as that role, shows no English interface text; the project's catalog is compiled and current.

The screens are fetched over HTTP from the demo site (`live_site`, the same server the browser
journeys use), logged in as the demo's superuser, 全站编辑, 区县审核员 and 社区工作者.
"""

from __future__ import annotations

import http.cookiejar
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import lxml.html
import pytest

from tests.admin_text import english_words, latin_words

DEMO_PASSWORD = "zzxx-demo-2026"
ROLES = {
    "admin": "superuser",
    "editor": "全站编辑",
    "jinshui_moderator": "区县审核员",
    "jinshui_worker": "社区工作者",
}
# Screens every role opens, and those only some may (a refusal there is not a failure).
COMMON = [
    "/admin/",
    "/admin/pages/",
    "/admin/pages/search/?q=太极",
    "/admin/images/",
    "/admin/images/multiple/add/",
    "/admin/documents/",
    "/admin/documents/multiple/add/",
    "/admin/media/",
    "/admin/media/video/add/",
    "/admin/media/audio/add/",
    "/admin/account/",
    "/admin/account/name_email/",
    "/admin/signups/",
    "/admin/reports/participation/district/",
    "/admin/reports/participation/month/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/locked/",
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/reports/page-types-usage/",
    "/admin/snippets/",
    "/admin/snippets/home/audience/",
    "/admin/snippets/home/category/",
    "/admin/snippets/home/category/add/",
    "/admin/snippets/home/person/",
    "/admin/snippets/home/person/add/",
    "/admin/snippets/schools/facility/",
    "/admin/settings/home/sitesettings/",
    "/admin/settings/signups/signupsettings/",
    "/admin/searchpicks/",
    "/admin/searchpicks/add/",
    "/admin/searchpicks/reports/search-terms/",
    "/admin/redirects/",
    "/admin/redirects/add/",
    "/admin/redirects/import/",
    "/admin/forms/",
    "/admin/collections/",
    "/admin/collections/add/",
    "/admin/workflows/list/",
    "/admin/workflows/add/",
    "/admin/workflows/tasks/index/",
    "/admin/users/",
    "/admin/users/new/",
    "/admin/groups/",
    "/admin/groups/new/",
    "/admin/sites/",
    "/admin/community-roles/",
]
MUST_OPEN = {
    "admin": {"/admin/users/new/", "/admin/groups/new/", "/admin/community-roles/"},
    "editor": {"/admin/searchpicks/", "/admin/redirects/", "/admin/reports/participation/month/"},
    "jinshui_moderator": {"/admin/reports/participation/district/", "/admin/signups/"},
    "jinshui_worker": {"/admin/images/multiple/add/", "/admin/documents/multiple/add/"},
}
ALWAYS_OPEN = {"/admin/", "/admin/images/", "/admin/documents/", "/admin/media/"}


class AdminSession:
    def __init__(self, base_url: str, username: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        login = self.get("/admin/login/")[1]
        token = lxml.html.fromstring(login).xpath("//input[@name='csrfmiddlewaretoken']/@value")[0]
        data = urllib.parse.urlencode(
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(self.base_url + "/admin/login/", data=data)
        with self.opener.open(request, timeout=30) as response:
            assert response.url.endswith("/admin/"), f"{username} could not log in"

    def get(self, path: str) -> tuple[int, str, str]:
        """``(status, html, final path)``: redirects are followed (a refusal may redirect)."""
        try:
            with self.opener.open(self.base_url + _quote(path), timeout=60) as response:
                body = response.read().decode("utf-8", "replace")
                return response.status, body, urllib.parse.urlsplit(response.url).path
        except urllib.error.HTTPError as error:
            return error.code, "", path


def _quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&%")


def _database(live_site) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(live_site.root) / 'db.sqlite3'}?mode=ro", uri=True)


def content_words(db) -> set[str]:
    """Latin words in what staff typed or uploaded: user names and e-mail addresses, page
    titles and slugs, file names and titles, tags, host names and redirect paths."""
    queries = [
        "select username, email, first_name, last_name from auth_user",
        "select title, slug, url_path from wagtailcore_page where depth > 1",
        "select title, file from wagtaildocs_document",
        "select title, file from wagtailimages_image",
        "select title, file from wagtailmedia_media",
        "select name, slug from taggit_tag",
        "select hostname, site_name from wagtailcore_site",
        "select old_path, redirect_link from wagtailredirects_redirect",
        "select name, slug from home_category",
        "select name, slug from home_audience",
        "select name, title, affiliation from home_person",
    ]
    words = set()
    for query in queries:
        for row in db.execute(query):
            words |= latin_words(*(str(value) for value in row if value))
    return words


def page_screens(db, scope_path: str) -> list[str]:
    """Explorer and edit screen of one page of each page type under ``scope_path``, and the
    add screen of every page type that can be added there."""
    rows = db.execute(
        "select min(id), content_type_id from wagtailcore_page"
        " where depth > 1 and path like ? group by content_type_id",
        (scope_path + "%",),
    ).fetchall()
    screens = []
    for page_id, _content_type in rows:
        screens += [f"/admin/pages/{page_id}/", f"/admin/pages/{page_id}/edit/"]
        screens.append(f"/admin/pages/{page_id}/add_subpage/")
    return screens


def _scope_path(db, username: str) -> str:
    row = db.execute(
        "select p.path from schools_schoolrole r join wagtailcore_page p on p.id = r.page_id"
        " join auth_user_groups ug on ug.group_id = r.group_id"
        " join auth_user u on u.id = ug.user_id where u.username = ? order by p.path",
        (username,),
    ).fetchone()
    return row[0] if row else ""


def _more_screens(db) -> list[str]:
    """Edit screens of one item of each kind of media and snippet."""
    screens = []
    for table, pattern in [
        ("wagtailimages_image", "/admin/images/{}/"),
        ("wagtaildocs_document", "/admin/documents/edit/{}/"),
        ("wagtailmedia_media", "/admin/media/edit/{}/"),
        ("home_category", "/admin/snippets/home/category/edit/{}/"),
        ("home_person", "/admin/snippets/home/person/edit/{}/"),
        ("auth_group", "/admin/groups/edit/{}/"),
        ("auth_user", "/admin/users/edit/{}/"),
        ("wagtailcore_collection", "/admin/collections/{}/"),
        ("wagtailcore_workflow", "/admin/workflows/edit/{}/"),
    ]:
        row = db.execute(f"select max(id) from {table}").fetchone()  # fixed table names
        if row and row[0]:
            screens.append(pattern.format(row[0]))
    occurrence = db.execute("select min(occurrence_id) from signups_signup").fetchone()[0]
    if occurrence:
        screens.append(f"/admin/signups/{occurrence}/")
    return screens


@pytest.mark.parametrize("username", list(ROLES))
def test_every_admin_screen_a_role_uses_is_in_chinese(live_site, username):
    db = _database(live_site)
    allowed = content_words(db)
    session = AdminSession(live_site.url, username)
    screens = [*COMMON, *_more_screens(db), *page_screens(db, _scope_path(db, username))]
    opened, english = set(), []
    seen = set()
    queue = list(screens)
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, body, final_path = session.get(path)
        if status != 200 or final_path != urllib.parse.urlsplit(_quote(path)).path:
            continue  # refused (403, or sent back to the dashboard): not a screen of this role
        opened.add(path)
        if path.endswith("/add_subpage/"):
            queue += sorted(
                set(re.findall(r'href="(/admin/pages/add/[a-z_]+/[a-z_]+/\d+/)"', body))
            )
        english += [(path, word, text) for word, text in english_words(body, allowed)]
    expected = ALWAYS_OPEN | MUST_OPEN[username]
    assert expected <= opened, sorted(expected - opened)
    assert any("/edit/" in path and "/pages/" in path for path in opened)
    assert any("/pages/add/" in path for path in opened)
    report = sorted({f"{word!r} in {text!r} ({path})" for path, word, text in english})
    assert not report, f"English on {ROLES[username]}'s screens:\n" + "\n".join(report[:80])
