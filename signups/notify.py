"""Messages to the person who signed up, only where a real e-mail backend is configured.

Without one, the confirmation page and the private link are the whole notification: nothing is
pretended to be sent. SMS would plug in here the same way (no SMS gateway is configured today).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

logger = logging.getLogger(__name__)

# Backends that do not deliver anything to a resident.
NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}


def email_enabled() -> bool:
    """``SIGNUP_EMAIL_ENABLED`` when set, else whether the e-mail backend really delivers."""
    explicit = getattr(settings, "SIGNUP_EMAIL_ENABLED", None)
    if explicit is not None:
        return bool(explicit)
    if settings.EMAIL_BACKEND in NON_DELIVERING_BACKENDS:
        return False
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        # Django's default: SMTP on localhost, i.e. nothing was configured.
        return settings.EMAIL_HOST not in ("", "localhost", "127.0.0.1")
    return True


def _when(signup) -> str:
    start = timezone.localtime(signup.occurrence.start)
    return f"{start:%Y年%-m月%-d日 %H:%M}"


def _send(signup, subject: str, lines: list[str]) -> None:
    if not signup.email or not email_enabled():
        return
    try:
        send_mail(subject, "\n".join(lines), None, [signup.email])
    except Exception:  # a mail outage must not undo a seat; the private link still works
        logger.exception("could not e-mail sign-up %s", signup.pk)


def send_confirmation(signup, status_url: str) -> None:
    title = signup.occurrence.page.title
    _send(
        signup,
        f"报名已收到：{title}",
        [
            f"{signup.name}，您好：",
            f"您报名的“{title}”（{_when(signup)}）当前状态：{signup.get_status_display()}。",
            f"报名手机号：{signup.masked_phone}",
            f"查看状态或取消报名：{status_url}",
            "这个链接只发给您本人，请不要转发。",
        ],
    )


def send_promotion(signup) -> None:
    title = signup.occurrence.page.title
    _send(
        signup,
        f"候补成功：{title}",
        [
            f"{signup.name}，您好：",
            f"有人取消了报名，您已从候补转为报名成功：“{title}”（{_when(signup)}）。",
            "如不能参加，请用报名时收到的链接取消，把名额让给其他人。",
        ],
    )


def send_draw_result(signup) -> None:
    title = signup.occurrence.page.title
    _send(
        signup,
        f"摇号结果：{title}",
        [
            f"{signup.name}，您好：",
            f"“{title}”（{_when(signup)}）已完成摇号，您的结果：{signup.get_status_display()}。",
            "可以用报名时收到的链接查看详情或取消报名。",
        ],
    )
