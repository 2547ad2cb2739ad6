"""Signed-in sessions end after a spell of inactivity and when the browser closes (等保 2.0).

Only staff sign in (the public site has no accounts), so the settings apply to every session:
the cookie is a browser-session cookie (``SESSION_EXPIRE_AT_BROWSER_CLOSE``) and the stored session
expires ``SESSION_COOKIE_AGE`` seconds (``ADMIN_SESSION_IDLE_MINUTES``) after it was last saved.
This middleware saves a signed-in user's session again as they use the site, so the expiry slides
with activity; at most once a minute, not on every request, to keep writes cheap.
"""

import time

REFRESH_EVERY_SECONDS = 60
ACTIVE_AT_KEY = "_zz_active_at"


class SlidingSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(ACTIVE_AT_KEY, 0) >= REFRESH_EVERY_SECONDS:
                request.session[ACTIVE_AT_KEY] = now  # marks the session modified: saved again
        return self.get_response(request)


def use_the_users_authenticator():
    """wagtail-2fa's code form names no device; django-otp 1.7 requires one (trying every
    device would count failures against each). Staff have one TOTP device (wagtail-2fa creates
    only those), so the form checks the code against the user's confirmed authenticator app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from wagtail_2fa import forms, views

    class AuthenticatorTokenForm(forms.TokenForm):
        def clean(self):
            if not self.cleaned_data.get("otp_device"):
                device = (
                    TOTPDevice.objects.devices_for_user(self.user, confirmed=True)
                    .order_by("pk")
                    .first()
                )
                if device is not None:
                    self.cleaned_data["otp_device"] = device.persistent_id
            return super().clean()

    views.LoginView.form_class = AuthenticatorTokenForm
