"""Admin sessions end after a spell of inactivity (sliding with use) and when the browser closes."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
START = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def editor(home_page):
    return get_user_model().objects.create_superuser("editor", "editor@example.cn", PASSWORD)


def _dashboard(client):
    return client.get("/admin/")


def test_the_session_cookie_lasts_until_the_browser_closes(client, editor):
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_the_session_ends_after_thirty_idle_minutes_and_slides_with_activity(client, editor):
    with time_machine.travel(START, tick=False) as clock:
        client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
        assert _dashboard(client).status_code == 200

        clock.shift(datetime.timedelta(minutes=25))
        assert _dashboard(client).status_code == 200  # in use: the expiry moves on
        clock.shift(datetime.timedelta(minutes=25))
        assert _dashboard(client).status_code == 200  # 50 minutes in, 25 of them idle

        clock.shift(datetime.timedelta(minutes=31))
        response = _dashboard(client)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_idle_time_is_a_setting(client, editor, settings):
    settings.SESSION_COOKIE_AGE = 5 * 60
    with time_machine.travel(START, tick=False) as clock:
        client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
        clock.shift(datetime.timedelta(minutes=6))
        response = _dashboard(client)

    assert response.status_code == 302


# --- two-factor sign-in (ADMIN_2FA_REQUIRED) ---------------------------------------------------


def _totp_token(device):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_without_two_factor_required_a_password_is_enough(client, editor, settings):
    settings.WAGTAIL_2FA_REQUIRED = False
    client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert _dashboard(client).status_code == 200


def test_with_two_factor_required_an_editor_without_a_device_must_set_one_up(
    client, editor, settings
):
    settings.WAGTAIL_2FA_REQUIRED = True
    client.post("/admin/login/", {"username": "editor", "password": PASSWORD})

    response = _dashboard(client)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/devices/new")
    setup = client.get(response["Location"]).content.decode()
    assert "两步验证让账号更安全" in setup  # in Chinese
    assert client.get("/admin/2fa/devices/qr-code").status_code == 200  # the QR code to scan
    assert client.get(f"/admin/pages/{editor.pk}/").status_code == 302


def test_with_two_factor_required_the_code_from_the_app_opens_the_admin(client, editor, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.WAGTAIL_2FA_REQUIRED = True
    device = TOTPDevice.objects.create(user=editor, name="手机", confirmed=True)
    with time_machine.travel(START, tick=False) as clock:
        client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
        refused = _dashboard(client)
        assert refused.status_code == 302 and refused["Location"].startswith("/admin/2fa/auth")

        right = _totp_token(device)
        wrong = client.post(
            "/admin/2fa/auth", {"otp_token": "111111" if right == "000000" else "000000"}
        )
        assert wrong.status_code == 200  # the form again, with its error
        assert _dashboard(client).status_code == 302

        clock.shift(datetime.timedelta(seconds=3))  # django-otp spaces out attempts after a miss
        client.post("/admin/2fa/auth", {"otp_token": right, "next": "/admin/"})
        assert _dashboard(client).status_code == 200
