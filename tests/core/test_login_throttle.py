"""Every form that checks a secret goes through one limiter (core.login_throttle), whatever its
URL, however many requests arrive at once, and whatever a client writes into X-Forwarded-For."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import checks, mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from wagtail.models import PageViewRestriction

from core import login_throttle
from core.checks import client_address_is_configured
from core.client_address import client_address
from signups.ratelimit import over_limit

PASSWORD = "correct-horse-battery-9"
ADDRESS = "203.0.113.7"
START = datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "editor", "editor@example.com", PASSWORD, is_staff=True, is_superuser=True
    )


def _post(client, path, data, address=ADDRESS, **headers):
    return client.post(path, data, REMOTE_ADDR=address, **headers)


def _refused(response, text="登录失败次数过多"):
    body = response.content.decode()
    return (
        response.status_code == 429
        and text in body
        and int(response["Retry-After"]) >= 1
        and response["Cache-Control"] == "no-store"
    )


# --- every login path ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_front_end_login_is_throttled_like_the_admin_login_and_shares_its_count(
    client, editor, home_page
):
    """/_util/login/ (Wagtail's login for private pages) gives a full session: same limiter."""
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            wrong = _post(client, "/_util/login/", {"username": "editor", "password": "wrong"})
            assert wrong.status_code == 200
        refused = _post(
            client,
            "/_util/login/",
            {"username": "editor", "password": PASSWORD, "next": "/admin/pages/"},
        )
        assert _refused(refused)
        # The way back keeps where the login was going; never to another site.
        assert 'href="/_util/login/?next=%2Fadmin%2Fpages%2F"' in refused.content.decode()
        assert "返回登录页" in refused.content.decode()
        elsewhere = _post(
            client,
            "/_util/login/",
            {"username": "editor", "password": "x", "next": "https://evil.example/"},
        )
        assert elsewhere.status_code == 429 and "evil.example" not in elsewhere.content.decode()
        assert not refused.wsgi_request.user.is_authenticated
        # The admin login counts the same attempts: no second budget there.
        admin = _post(client, "/admin/login/", {"username": "editor", "password": PASSWORD})
        assert _refused(admin)


@pytest.mark.django_db
def test_the_front_end_login_cannot_lock_an_account_faster_than_the_back_off(
    client, editor, home_page, settings
):
    """Ten quick guesses used to lock any account through /_util/login/: now they are spaced."""
    settings.LOGIN_THROTTLE = {**settings.LOGIN_THROTTLE, "SLOW_AFTER": 3, "LOCK_AFTER": 10}
    with time_machine.travel(START, tick=False):
        answers = [
            _post(client, "/_util/login/", {"username": "editor", "password": "wrong"}).status_code
            for _ in range(20)
        ]
    assert answers.count(200) == 3 and answers.count(429) == 17
    # Not locked: once the short wait is over, the editor signs in.
    with time_machine.travel(START + datetime.timedelta(seconds=3), tick=False):
        ok = _post(client, "/admin/login/", {"username": "editor", "password": PASSWORD})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_page_password_guesses_are_throttled_and_the_right_password_clears_them(client, home_page):
    restriction = PageViewRestriction.objects.create(
        page=home_page, restriction_type=PageViewRestriction.PASSWORD, password="kaixue2026"
    )
    path = f"/_util/authenticate_with_password/{restriction.pk}/{home_page.pk}/"
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            wrong = _post(client, path, {"password": "guess", "return_url": "/"})
            assert wrong.status_code == 200  # the password form again
        refused = _post(client, path, {"password": "kaixue2026", "return_url": "/"})
        assert _refused(refused, "密码输错次数过多")
        assert "返回上一页" in refused.content.decode()
        assert 'href="/"' in refused.content.decode()  # the protected page, with its form
        # Not even the right password gets through while refused; after the wait it does.
        passed = client.session.get(PageViewRestriction.passed_view_restrictions_session_key, [])
        assert restriction.pk not in passed
        clock.shift(3)
        right = _post(client, path, {"password": "kaixue2026", "return_url": "/"})
        assert right.status_code == 302
        # The right password cleared this address's count for the page.
        other = Client()
        for _ in range(3):
            assert _post(other, path, {"password": "guess", "return_url": "/"}).status_code == 200


@pytest.mark.django_db
def test_password_reset_requests_are_throttled_per_address_and_per_email(client, editor, home_page):
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            sent = _post(client, "/admin/password_reset/", {"email": "editor@example.com"})
            assert sent.status_code == 302
        refused = _post(client, "/admin/password_reset/", {"email": "editor@example.com"})
        assert _refused(refused, "重置密码的请求过多")
        # From elsewhere, the same mailbox is still spaced out.
        elsewhere = _post(
            client, "/admin/password_reset/", {"email": "EDITOR@example.com"}, "198.51.100.4"
        )
        assert elsewhere.status_code == 429
    assert len(mail.outbox) == 3


# --- concurrency -----------------------------------------------------------------------------


class CountingSlowMD5Hasher(MD5PasswordHasher):
    """MD5 (the test hasher) that counts each password it checks and takes as long as a real
    hasher would (PBKDF2 at production cost): the window in which a read-then-write counter
    lets concurrent guesses through."""

    checked = 0
    lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingSlowMD5Hasher.lock:
            CountingSlowMD5Hasher.checked += 1
        time.sleep(0.2)
        return super().verify(password, encoded)


def _at_once(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def run(index):
        from django.db import connection

        barrier.wait()
        try:
            result = work(index)
            with lock:
                results.append(result)
        except Exception as error:  # noqa: BLE001 - collected: the test asserts there are none
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


# Transactional: the threads' own database connections must see the editor. serialized_rollback
# brings back what migrations created (the root page) for the tests that run later.
@pytest.mark.engine
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_forty_concurrent_wrong_logins_check_at_most_the_threshold_of_passwords(editor, settings):
    settings.PASSWORD_HASHERS = ["tests.core.test_login_throttle.CountingSlowMD5Hasher"]
    editor.set_password(PASSWORD)
    editor.save()
    CountingSlowMD5Hasher.checked = 0

    def wrong_login(index):
        response = Client().post(
            "/admin/login/",
            {"username": "editor", "password": f"guess-{index}"},
            REMOTE_ADDR=f"198.51.100.{index + 1}",  # many addresses: only the account limits
        )
        return response.status_code

    # The clock stands still: on a loaded machine the forty requests can take longer than the
    # wait after the last unhurried attempt, and a request after that wait may rightly go ahead.
    with time_machine.travel(time.time(), tick=False):
        results, errors = _at_once(40, wrong_login)
    assert errors == []
    slow_after = settings.LOGIN_THROTTLE["SLOW_AFTER"]
    assert results.count(200) == slow_after  # the "wrong password" form, password checked
    assert results.count(429) == 40 - slow_after
    assert CountingSlowMD5Hasher.checked == slow_after


@pytest.fixture(params=["locmem", "shared-folder"])
def each_cache_backend(request, settings, tmp_path):
    """The limiter on the test cache (local memory) and on production's shared cache folder."""
    if request.param == "shared-folder":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "core.cache_backends.SharedFolderCache",
                "LOCATION": str(tmp_path / "cache"),
            },
        }
    cache.clear()
    yield request.param
    cache.clear()


def test_concurrent_reservations_never_exceed_the_allowance_on_each_cache(
    each_cache_backend, settings
):
    """Without any spacing (SLOW_AFTER above the lock), exactly LOCK_AFTER of 40 racing
    attempts on one account are allowed, on every cache backend production may use."""
    settings.LOGIN_THROTTLE = {
        **settings.LOGIN_THROTTLE,
        "SLOW_AFTER": 100,
        "LOCK_AFTER": 10,
        "ADDRESS_LOCK_AFTER": 100,
    }
    factory = RequestFactory()

    def attempt(index):
        request = factory.post("/admin/login/", REMOTE_ADDR=f"198.51.100.{index + 1}")
        try:
            login_throttle.reserve(request, login_throttle.LOGIN, "editor")
        except login_throttle.Throttled:
            return "refused"
        return "allowed"

    results, errors = _at_once(40, attempt)
    assert errors == []
    assert results.count("allowed") == 10
    assert results.count("refused") == 30


def test_an_attempt_racing_an_unhurried_one_claimed_a_moment_later_goes_ahead(settings):
    """Among the first SLOW_AFTER attempts there is no wait, so a request that read the clock
    just before a racing request claimed the previous number is not refused (CI once saw 7 of
    10 allowed for this reason)."""
    settings.LOGIN_THROTTLE = {**settings.LOGIN_THROTTLE, "SLOW_AFTER": 5, "LOCK_AFTER": 10}
    cache.clear()
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=ADDRESS)
    login_throttle.reserve(request, login_throttle.LOGIN, "editor")
    [_address, account] = login_throttle.subjects(request, login_throttle.LOGIN, "editor")
    cache.set(f"{account.key}:1", time.time() + 0.5)  # claimed after this request began
    login_throttle.reserve(request, login_throttle.LOGIN, "editor")  # not refused
    assert cache.get(f"{account.key}:2") is not None


def test_with_the_cache_server_down_logins_are_not_locked_out(settings, caplog):
    """Like the sign-up limits, the limiter fails open (and says so) when Redis is unreachable,
    rather than refusing every editor."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = probe.getsockname()[1]  # nothing listens here
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilience.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{nobody}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=ADDRESS)
    for _ in range(15):
        login_throttle.reserve(request, login_throttle.LOGIN, "editor")
    assert "throttle skipped: the cache is unavailable" in caplog.text


# --- the client address ----------------------------------------------------------------------


def _request(remote="10.0.0.2", forwarded=None, **meta):
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", REMOTE_ADDR=remote, **meta)


def test_the_client_address_is_counted_from_the_right_of_x_forwarded_for(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_address(_request(forwarded="203.0.113.7")) == "10.0.0.2"
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(_request(forwarded="203.0.113.7")) == "203.0.113.7"
    # Whatever the client wrote in front of what the proxy appended is ignored.
    for spoofed in ("1.2.3.4, 203.0.113.7", "9.9.9.9,8.8.8.8, 203.0.113.7", "junk, 203.0.113.7"):
        assert client_address(_request(forwarded=spoofed)) == "203.0.113.7"
    assert client_address(_request(forwarded="[2001:db8::1]:443")) == "2001:db8::1"
    assert client_address(_request(forwarded="203.0.113.7:51234")) == "203.0.113.7"
    # Two proxies (a CDN, then the load balancer): the CDN's entry is the client's.
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_address(_request(forwarded="6.6.6.6, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"
    # Fewer entries than proxies, or no address where the proxy writes one: the direct peer.
    assert client_address(_request(forwarded="203.0.113.7")) == "10.0.0.2"
    assert client_address(_request()) == "10.0.0.2"
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address(_request(forwarded="1.2.3.4, not-an-address")) == "10.0.0.2"


def test_an_overwritten_header_still_works_without_hops(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    settings.SIGNUP_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_address(_request(HTTP_X_REAL_IP="203.0.113.7")) == "203.0.113.7"
    # A client's value kept in front of the proxy's: the proxy's (last) one counts.
    assert client_address(_request(HTTP_X_REAL_IP="1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert client_address(_request(HTTP_X_REAL_IP="nonsense")) == "10.0.0.2"
    assert client_address(_request()) == "10.0.0.2"


def test_rotating_spoofed_forwarded_entries_does_not_escape_the_sign_up_limit(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.SIGNUP_RATE_LIMIT = 10
    answers = [
        over_limit(_request(forwarded=f"192.0.2.{number}, 203.0.113.7"), "write")
        for number in range(15)
    ]
    assert answers == [False] * 10 + [True] * 5
    # Another resident behind the same proxy is not affected.
    assert over_limit(_request(forwarded="192.0.2.1, 198.51.100.20"), "write") is False


@pytest.mark.django_db
def test_rotating_spoofed_forwarded_entries_does_not_escape_the_login_limits(
    client, editor, home_page, settings
):
    settings.TRUSTED_PROXY_HOPS = 1
    with time_machine.travel(START, tick=False):
        # Many accounts from one client rotating its leftmost entry: the address lock holds.
        settings.LOGIN_THROTTLE = {
            **settings.LOGIN_THROTTLE,
            "SLOW_AFTER": 100,
            "ADDRESS_LOCK_AFTER": 5,
        }
        answers = [
            _post(
                client,
                "/admin/login/",
                {"username": f"guess{number}", "password": "wrong"},
                "10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.7",
            ).status_code
            for number in range(6)
        ]
        assert answers == [200] * 5 + [429]
        # The editor, at another address behind the same load balancer, signs in.
        ok = _post(
            client,
            "/admin/login/",
            {"username": "editor", "password": PASSWORD},
            "10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.20",
        )
        assert ok.status_code == 302


# --- the deploy check ------------------------------------------------------------------------


def test_the_deploy_check_warns_behind_a_proxy_without_a_client_address_rule(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # as in production
    settings.TRUSTED_PROXY_HOPS = 0
    settings.SIGNUP_CLIENT_IP_HEADER = ""
    warnings = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "home.W001" in [warning.id for warning in warnings]
    assert "TRUSTED_PROXY_HOPS" in client_address_is_configured()[0].hint
    # Not among the ordinary checks (development runs without a proxy).
    assert "home.W001" not in [warning.id for warning in checks.run_checks()]
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_address_is_configured() == []
    settings.TRUSTED_PROXY_HOPS = 0
    settings.SIGNUP_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_address_is_configured() == []
    settings.SIGNUP_CLIENT_IP_HEADER = ""
    settings.SECURE_PROXY_SSL_HEADER = None  # development settings
    assert client_address_is_configured() == []
