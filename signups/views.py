"""The public sign-up form and the private status/cancel page.

Both render with a CSRF token and are marked never-cache, so no shared cache ever stores them;
live seat counts are shown here, never on the (cacheable) event and course pages.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from home.public_urls import public_url

from . import services
from .forms import SignupForm
from .models import SignupStatus
from .notify import email_enabled, send_confirmation
from .ratelimit import over_limit

SENSITIVE = ("name", "phone", "helper_name", "helper_phone", "email")
RATE_LIMITED = _("操作太频繁了，请稍等几分钟再试。如需帮助，请联系主办方或到社区学习点现场报名。")


def _private(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _error(request, message: str, status: int, occurrence=None):
    return _private(
        render(
            request,
            "signups/error.html",
            {"message": message, "occurrence": occurrence},
            status=status,
        )
    )


def _signup_context(occurrence, form, now):
    return {
        "occurrence": occurrence,
        "signup_page": occurrence.page.specific,
        "form": form,
        "availability": services.availability(occurrence, now).value,
        "counts": services.counts(occurrence),
        "is_draw": occurrence.signup_mode == "draw",
        "drawn": _has_draw(occurrence),
    }


def _has_draw(occurrence) -> bool:
    from .models import Draw

    return Draw.objects.filter(occurrence=occurrence).exists()


@never_cache
@sensitive_post_parameters(*SENSITIVE)
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request, occurrence_id: str):
    try:
        pk = int(occurrence_id)
    except ValueError:
        return _error(request, _("报名场次编号无效，请从活动或课程页面的“报名”按钮进入。"), 404)
    try:
        occurrence = services.public_occurrence(pk)
    except services.NotFound as refusal:
        return _error(request, refusal.message, refusal.status)
    now = timezone.now()
    send_email = email_enabled()
    if request.method != "POST":
        form = SignupForm(email_enabled=send_email)
        form.describe_fields()
        return _private(
            render(request, "signups/signup.html", _signup_context(occurrence, form, now))
        )

    if over_limit(request):
        return _error(request, RATE_LIMITED, 429, occurrence)
    form = SignupForm(request.POST, email_enabled=send_email)
    if not form.is_valid():
        form.describe_fields()
        context = _signup_context(occurrence, form, now)
        return _private(render(request, "signups/signup.html", context, status=400))
    data = form.cleaned_data
    applicant = services.Applicant(
        name=data["name"],
        phone=data["phone"],
        age_group=data["age_group"],
        helper_name=data["helper_name"],
        helper_phone=data["helper_phone"],
        email=data.get("email", ""),
    )
    try:
        signup_row, token = services.sign_up(occurrence.pk, applicant, now=now)
    except services.SignupError as refusal:
        form.describe_fields()
        context = _signup_context(occurrence, form, now)
        context["refusal"] = refusal.message
        return _private(render(request, "signups/signup.html", context, status=refusal.status))
    status_url = reverse("signup_status", args=[token])
    send_confirmation(signup_row, public_url(status_url))
    # The status page is the confirmation page; ?new=1 only switches its greeting.
    return _private(HttpResponseRedirect(f"{status_url}?new=1", status=303))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status(request, token: str):
    try:
        signup_row = services.signup_for_token(token)
    except services.NotFound as refusal:
        if over_limit(request, "token"):
            return _error(request, RATE_LIMITED, 429)
        return _error(request, refusal.message, refusal.status)
    message = ""
    if request.method == "POST":
        if over_limit(request):
            return _error(request, RATE_LIMITED, 429, signup_row.occurrence)
        if request.POST.get("action") != "cancel":
            return _error(request, _("无法识别的操作。"), 400, signup_row.occurrence)
        if signup_row.status == SignupStatus.CANCELLED:
            message = _("这条报名之前已经取消。")
        else:
            signup_row, _promoted = services.cancel(signup_row.pk)
            message = _("已取消报名。名额已让给候补的人，感谢您。")
        signup_row = services.signup_for_token(token)
    occurrence = signup_row.occurrence
    context = {
        "signup": signup_row,
        "occurrence": occurrence,
        "signup_page": occurrence.page.specific,
        "position": services.waiting_position(signup_row),
        "counts": services.counts(occurrence),
        "message": message,
        "is_new": request.GET.get("new") == "1" and not message,
        "status_url": public_url(reverse("signup_status", args=[token])),
        "cancellable": signup_row.is_active and timezone.now() < occurrence.end,
    }
    return _private(render(request, "signups/status.html", context))
