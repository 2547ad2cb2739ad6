"""The public sign-up form, the private status/cancel page and the 我的报名 look-up.

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
from wagtail.models import Page

from core.public_urls import public_url
from home.attendance import sessions_covered

from . import services
from .forms import BookingLookupForm, SignupForm
from .models import SignupStatus
from .notify import email_enabled, send_confirmation
from .ratelimit import limit_reached, over_limit

SENSITIVE = ("name", "phone", "helper_name", "helper_phone", "email")
RATE_LIMITED = _("操作太频繁了，请稍等几分钟再试。如需帮助，请联系主办方或到社区学习点现场报名。")


def _private(response):
    # same-origin: the private token in the URL never reaches another site, yet the browser
    # still sends this site's real Origin with a form post. (no-referrer makes Chromium send
    # "Origin: null", which Django's CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
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
        "sessions_covered": sessions_covered(occurrence.page.specific, occurrence),
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
        context["signup_lookup_hint"] = refusal.code == "duplicate"
        return _private(render(request, "signups/signup.html", context, status=refusal.status))
    status_url = reverse("signup_status", args=[token])
    send_confirmation(signup_row, public_url(status_url))
    # The status page is the confirmation page; ?new=1 only switches its greeting.
    return _private(HttpResponseRedirect(f"{status_url}?new=1", status=303))


def organiser_contact(page) -> dict | None:
    """Whom a resident can phone about this event or course: the school it takes place at,
    else the school it is posted under (events name their organiser; schools carry the phone)."""
    from schools.models import SchoolPage

    venue = getattr(page, "venue_page", None)
    candidates = [venue] if isinstance(venue, SchoolPage) else []
    nearest = Page.objects.ancestor_of(page).type(SchoolPage).order_by("-depth").first()
    if nearest is not None:
        candidates.append(nearest.specific)
    for school in candidates:
        if school.phone:
            organiser = getattr(page, "organiser", "") or school.title
            return {"name": organiser, "school": school.title, "phone": school.phone}
    return None


CANCEL_PROMOTED = _("已取消报名。名额已让给候补的人，感谢您。")
CANCEL_DONE = _("已取消报名，感谢您告诉我们。")


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
    # Cancelling takes two steps, both plain HTML: 取消报名 (a link, or a post without
    # confirm=yes) only asks 确定要取消报名吗？; the confirming post cancels.
    confirming = request.method == "GET" and request.GET.get("cancel") == "1"
    if request.method == "POST":
        if over_limit(request):
            return _error(request, RATE_LIMITED, 429, signup_row.occurrence)
        if request.POST.get("action") != "cancel":
            return _error(request, _("无法识别的操作。"), 400, signup_row.occurrence)
        if request.POST.get("confirm") != "yes":
            confirming = True
        elif signup_row.status == SignupStatus.CANCELLED:
            message = _("这条报名之前已经取消。")
        else:
            signup_row, promoted = services.cancel(signup_row.pk)
            message = CANCEL_PROMOTED if promoted else CANCEL_DONE
            signup_row = services.signup_for_token(token)
    occurrence = signup_row.occurrence
    page = occurrence.page.specific
    cancellable = signup_row.is_active and timezone.now() < occurrence.end
    context = {
        "signup": signup_row,
        "occurrence": occurrence,
        "signup_page": page,
        "sessions_covered": sessions_covered(page, occurrence),
        "position": services.waiting_position(signup_row),
        "counts": services.counts(occurrence),
        "message": message,
        "is_new": request.GET.get("new") == "1" and not message,
        "found": request.GET.get("found") == "1" and not message,
        "status_url": public_url(reverse("signup_status", args=[token])),
        "signup_token": token,
        "cancel_url": reverse("signup_status", args=[token]) + "?cancel=1#cancel",
        "cancellable": cancellable,
        "confirming_cancel": confirming and cancellable,
        "contact": organiser_contact(page),
    }
    return _private(render(request, "signups/status.html", context))


@never_cache
@sensitive_post_parameters("phone", "booking_code")
@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request):
    """我的报名: find a sign-up again by mobile number and 报名码, without the private link.

    Only the token's hash is stored, so the old link cannot be shown again: a successful
    look-up issues a fresh private link (the old one stops working, which also revokes a link
    that leaked) and redirects to the usual status page. Failed look-ups count against the
    address like token guesses; at the limit even a correct pair is refused, so guessing
    learns nothing.
    """
    if request.method != "POST":
        form = BookingLookupForm()
        form.describe_fields()
        return _private(render(request, "signups/lookup.html", {"form": form}))
    if limit_reached(request, "lookup"):
        return _error(request, RATE_LIMITED, 429)
    form = BookingLookupForm(request.POST)
    if not form.is_valid():
        form.describe_fields()
        return _private(render(request, "signups/lookup.html", {"form": form}, status=400))
    try:
        signup_row = services.find_booking(
            form.cleaned_data["phone"], form.cleaned_data["booking_code"]
        )
    except services.NotFound as refusal:
        over_limit(request, "lookup")
        form.describe_fields()
        context = {"form": form, "refusal": refusal.message}
        return _private(render(request, "signups/lookup.html", context, status=404))
    token = services.reissue_token(signup_row.pk)
    status_url = reverse("signup_status", args=[token])
    return _private(HttpResponseRedirect(f"{status_url}?found=1", status=303))
