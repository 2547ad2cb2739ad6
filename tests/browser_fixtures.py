"""A real site in a real browser: the demo site served by `runserver` from its own SQLite file,
driven by Playwright through Debian's Chromium (never a downloaded browser).

Browser tests carry the ``browser`` marker. Without /usr/bin/chromium they are deselected with
one line of explanation, unless REQUIRE_BROWSER=1 (as in CI), where a missing browser fails.
"""

from __future__ import annotations

import fcntl
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECT_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
MANAGE = [sys.executable, str(PROJECT_ROOT / "manage.py")]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# An init script: every Content-Security-Policy violation the page meets, in
# window.__cspViolations ("directive blocked-URI"), for a test to read.
CSP_COLLECTOR = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items or Path(CHROMIUM).exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium"
        )
    config.hook.pytest_deselected(items=browser_items)
    items[:] = [item for item in items if not item.get_closest_marker("browser")]
    config._browser_skip_note = (
        f"浏览器测试已跳过（{len(browser_items)} 项）：未找到 {CHROMIUM}。"
        "安装 Debian 的 chromium 后即可运行（apt-get install chromium）。"
    )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    note = getattr(config, "_browser_skip_note", None)
    if note:
        terminalreporter.write_line(note)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_folder(tmp_path_factory) -> Path:
    """The run's temporary folder, the same for every xdist worker (each has its own below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def exclusive(tmp_path_factory, name: str):
    """One worker at a time in the block, across the run's xdist workers."""
    with (shared_folder(tmp_path_factory) / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def shared_build(tmp_path_factory, name: str, build) -> Path:
    """``build(folder)`` once per test run, shared by every xdist worker: the first worker to get
    here builds under a lock, the others wait for it and read the same folder (never write it)."""
    folder = shared_folder(tmp_path_factory) / name
    with exclusive(tmp_path_factory, name):
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


def start_shared_build(tmp_path_factory, name: str, prepare, command: list[str], env: dict):
    """A shared build that runs in the background: started once per run by the first worker to
    ask (later calls do nothing), read with ``wait_for_shared_build``.

    ``prepare(folder)`` runs here (quick steps that take the run's locks); ``command`` then runs
    in its own process while the workers go on with tests that do not need it. The demo site
    takes ~20 s to load: started as soon as the migrated database exists, it is ready by the time
    the first demo test asks for it.
    """
    folder = shared_folder(tmp_path_factory) / name
    with exclusive(tmp_path_factory, name):
        if (folder / ".started").exists():
            return
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        prepare(folder)
        (folder / ".started").touch()
        built, failed = shlex.quote(str(folder / ".built")), shlex.quote(str(folder / ".failed"))
        script = f"{shlex.join(command)} && touch {built} || touch {failed}"
        with (folder / "build.log").open("w") as log:
            subprocess.Popen(["sh", "-c", script], env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for_shared_build(tmp_path_factory, name: str, timeout: float = 600) -> Path:
    """The folder of a build ``start_shared_build`` started, once it is done."""
    folder = shared_folder(tmp_path_factory) / name
    deadline = time.monotonic() + timeout
    while not (folder / ".built").exists():
        if (folder / ".failed").exists() or time.monotonic() > deadline:
            raise RuntimeError(f"{name} failed:\n{(folder / 'build.log').read_text()[-3000:]}")
        time.sleep(0.2)
    return folder


def session_uses(request, *fixtures: str) -> bool:
    """Whether any collected test of this run (on any xdist worker) asks for one of ``fixtures``."""
    return any(
        set(fixtures) & set(getattr(item, "fixturenames", ())) for item in request.session.items
    )


def manage_in(root: Path, *command: str, **env: str) -> None:
    """``manage.py command`` on the site in ``root`` (its SQLite file unless env says otherwise)."""
    subprocess.run(
        [*MANAGE, *command], env=site_env(root, **env), check=True, capture_output=True, timeout=600
    )


@pytest.fixture(scope="session")
def migrated_database(request, tmp_path_factory) -> Path:
    """An empty database migrated as production migrates, once per run (tests.conftest copies it
    into each worker's in-memory test database instead of migrating there again). If the run has
    demo tests, the demo site starts loading from it at once."""
    migrated = (
        shared_build(
            tmp_path_factory,
            "migrated",
            lambda root: manage_in(root, "migrate", "--noinput", "--run-syncdb"),
        )
        / "db.sqlite3"
    )
    if session_uses(request, "demo_site_files", "demo", "demo_media", "live_site"):
        _start_demo_site(tmp_path_factory, migrated)
    return migrated


def _start_demo_site(tmp_path_factory, migrated: Path) -> None:
    start_shared_build(
        tmp_path_factory,
        "demo-site",
        lambda root: shutil.copy2(migrated, root / "db.sqlite3"),
        [*MANAGE, "load_demo"],
        site_env(shared_folder(tmp_path_factory) / "demo-site"),
    )


@pytest.fixture(scope="session")
def demo_site_files(tmp_path_factory, migrated_database):
    """The demo site's database and media, loaded once per run; copy, don't use."""
    _start_demo_site(tmp_path_factory, migrated_database)  # nothing if already under way
    return wait_for_shared_build(tmp_path_factory, "demo-site")


def site_env(root: Path, **extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zzsite.settings.test",
        "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
        "MEDIA_ROOT": str(root / "media"),
        # Every browser module shares one live site from one address: the journeys together post
        # more sign-ups than one resident would. The limit itself is tested in tests/signups/test_signups.py.
        "SIGNUP_RATE_LIMIT": "1000",
        "PRIVATE_MEDIA_ROOT": str(root / "private-media"),
        **extra,
    }


def copy_demo_site(template: Path, root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template / "db.sqlite3", root / "db.sqlite3")
    for folder in ("media", "private-media"):
        if (template / folder).exists():
            shutil.copytree(template / folder, root / folder, dirs_exist_ok=True)
    return root


def start_server(root: Path, env: dict) -> tuple[subprocess.Popen, str]:
    """runserver on a free local port, serving from ``root``; waits until the home page answers."""
    port = _free_port()
    log = (root / "server.log").open("a")
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        # Links the site emits (calendar subscriptions, share tags) name this server.
        env={"PUBLIC_BASE_URL": url, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=5)
            return server, url
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((root / "server.log").read_text()[-3000:]) from None
            time.sleep(0.3)


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def live_site(demo_site_files, tmp_path_factory):
    """The demo site, loaded once per test session, served on a free local port."""
    root = copy_demo_site(demo_site_files, tmp_path_factory.mktemp("live-site"))
    server, url = start_server(root, site_env(root))
    yield SimpleNamespace(url=url, root=root)
    stop_server(server)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_phone_context(browser, **options):
    return browser.new_context(
        viewport=PHONE,
        device_scale_factor=1,  # layout is in CSS pixels; 2 only paints four times the pixels
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        accept_downloads=True,
        **options,
    )


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser tab (its own cookies and local storage)."""
    context = new_phone_context(browser)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


class ResponseWatch:
    """Fails a journey on any 4xx/5xx the browser meets, unless the journey said it expects it.

    ``watch = watch_responses(page)``; ``with watch.expecting(403): …`` for a refusal the journey
    provokes on purpose; ``watch.check()`` (called by the fixture at the end) raises on the rest.
    """

    def __init__(self, page):
        self.page = page
        self.unexpected: list[str] = []
        self._expected: set[int] = set()
        page.on("response", self._seen)

    def _seen(self, response):
        if response.status >= 400 and response.status not in self._expected:
            self.unexpected.append(f"{response.status} {response.request.method} {response.url}")

    class _Expecting:
        def __init__(self, watch, statuses):
            self.watch, self.statuses = watch, set(statuses)

        def __enter__(self):
            self.watch._expected |= self.statuses

        def __exit__(self, *exc):
            self.watch._expected -= self.statuses

    def expecting(self, *statuses: int):
        return self._Expecting(self, statuses)

    def check(self):
        assert not self.unexpected, "unexpected error responses:\n" + "\n".join(self.unexpected)


def watch_responses(page) -> ResponseWatch:
    return ResponseWatch(page)


@pytest.fixture
def watched_phone(browser):
    """A phone tab whose every unexpected 4xx/5xx response fails the test."""
    context = new_phone_context(browser)
    page = context.new_page()
    watch = watch_responses(page)
    page.watch = watch
    yield page
    context.close()
    watch.check()


def set_elder_mode(page, base_url: str, on: bool) -> None:
    """Switch 长辈模式 as the toggle does (this device's choice, kept in local storage)."""
    page.goto(base_url + "/robots.txt")
    page.evaluate(
        "on => on ? localStorage.setItem('zz-elder-mode', 'on')"
        " : localStorage.removeItem('zz-elder-mode')",
        on,
    )
