"""Organiser views in the Wagtail admin (报名管理).

Everything here follows the page permissions: a user sees and manages an occurrence's sign-ups
only when they may edit its page (``page.permissions_for_user(user).can_edit()``), so community
workers see their own subtree and nothing else. Full numbers appear only in the export.
"""

from __future__ import annotations

import csv
import io
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.permission_policies.pages import PagePermissionPolicy

from home.models import Occurrence, SignupMode

from . import services
from .forms import OfflineSignupForm
from .models import AgeGroup, Draw, Signup, SignupStatus
from .phones import mask_name

logger = logging.getLogger(__name__)


def editable_occurrences(user):
    """Occurrences with sign-up on pages this user may edit."""
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return Occurrence.objects.exclude(signup_mode="").filter(
        capacity__gt=0, page__in=pages.values("pk")
    )


def _occurrence_for(request, occurrence_id) -> Occurrence:
    try:
        pk = int(occurrence_id)
    except (TypeError, ValueError):
        raise Http404(_("报名场次编号无效。")) from None
    occurrence = Occurrence.objects.select_related("page").filter(pk=pk).first()
    if occurrence is None or not occurrence.signup_mode:
        raise Http404(_("没有找到这个报名场次。"))
    if not occurrence.page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return occurrence


def index(request):
    show_past = request.GET.get("past") == "1"
    now = timezone.now()
    occurrences = editable_occurrences(request.user).select_related("page")
    occurrences = (
        occurrences.filter(end__lt=now).order_by("-start")
        if show_past
        else occurrences.filter(end__gte=now).order_by("start")
    )
    occurrences = occurrences.annotate(
        confirmed=Count("signups", filter=Q(signups__status=SignupStatus.CONFIRMED)),
        waiting=Count("signups", filter=Q(signups__status=SignupStatus.WAITING)),
        applied=Count("signups", filter=Q(signups__status=SignupStatus.APPLIED)),
    )[:300]
    return render(
        request,
        "signups/admin/index.html",
        {"occurrences": occurrences, "show_past": show_past, "now": now},
    )


def detail(request, occurrence_id, *, offline_form=None, status=200):
    occurrence = _occurrence_for(request, occurrence_id)
    signups = list(
        Signup.objects.filter(occurrence=occurrence)
        .select_related("entered_by")
        .order_by("rank", "pk")
    )
    by_status = {status.value: [] for status in SignupStatus}
    for signup in signups:
        by_status[signup.status].append(signup)
    draw = Draw.objects.filter(occurrence=occurrence).select_related("run_by").first()
    now = timezone.now()
    context = {
        "occurrence": occurrence,
        "page": occurrence.page,
        "counts": services.counts(occurrence),
        "confirmed": by_status[SignupStatus.CONFIRMED],
        "waiting": by_status[SignupStatus.WAITING],
        "applied": by_status[SignupStatus.APPLIED],
        "cancelled": by_status[SignupStatus.CANCELLED],
        "checked_in": sum(1 for s in by_status[SignupStatus.CONFIRMED] if s.checked_in_at),
        "availability": services.availability(occurrence, now).value,
        "is_draw": occurrence.signup_mode == SignupMode.DRAW,
        "draw": draw,
        "draw_verified": draw is not None and services.replay_draw(draw) == draw.order,
        "can_draw": occurrence.signup_mode == SignupMode.DRAW
        and draw is None
        and now >= occurrence.signup_closes_at,
        "registered": _registered(request, signups),
        "offline_form": offline_form or OfflineSignupForm(initial={"age_group": AgeGroup.ELDER}),
    }
    return render(request, "signups/admin/detail.html", context, status=status)


def _registered(request, signups):
    """The desk sign-up just made (``?registered=<pk>``), if it is on this page's list."""
    pk = _int(request.GET.get("registered"))
    return next((s for s in signups if s.pk == pk and s.offline), None)


def _back(occurrence):
    return redirect(reverse("signups_admin:detail", args=[occurrence.pk]))


@require_POST
def checkin(request, occurrence_id):
    occurrence = _occurrence_for(request, occurrence_id)
    signup = Signup.objects.filter(
        occurrence=occurrence, pk=_int(request.POST.get("signup"))
    ).first()
    if signup is None:
        raise Http404(_("没有找到这条报名。"))
    try:
        services.set_checked_in(signup.pk, request.POST.get("checked_in") == "1")
    except services.SignupError as refusal:
        messages.error(request, refusal.message)
    return _back(occurrence)


def _confirmed(request) -> bool:
    """Irreversible actions run only on a POST that says ``confirm=yes`` (sent by the
    confirmation page); anything else shows that page first, so no JavaScript is needed."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def _cancel_consequence(occurrence, signup) -> str:
    if signup.status == SignupStatus.CONFIRMED:
        draw_pending = (
            occurrence.signup_mode == SignupMode.DRAW
            and not Draw.objects.filter(occurrence=occurrence).exists()
        )
        first_waiting = (
            None
            if draw_pending or timezone.now() >= occurrence.end or occurrence.cancelled
            else Signup.objects.filter(occurrence=occurrence, status=SignupStatus.WAITING)
            .order_by("rank", "pk")
            .first()
        )
        if first_waiting is not None:
            return _("取消后，候补第一位 %(name)s 将自动获得名额。") % {
                "name": mask_name(first_waiting.name)
            }
        return _("取消后空出 1 个名额，其他人可以再报名。")
    if signup.status == SignupStatus.WAITING:
        return _("取消后，这个人不再排队候补，后面的人顺序前移。")
    return _("取消后，这个人不再参加摇号。")


@require_http_methods(["GET", "POST"])
def cancel(request, occurrence_id):
    occurrence = _occurrence_for(request, occurrence_id)
    params = request.POST if request.method == "POST" else request.GET
    signup = Signup.objects.filter(occurrence=occurrence, pk=_int(params.get("signup"))).first()
    if signup is None:
        raise Http404(_("没有找到这条报名。"))
    if signup.status == SignupStatus.CANCELLED:
        messages.info(request, _("这条报名已经取消了，不用再操作。"))
        return _back(occurrence)
    if not _confirmed(request):
        question = _("确定取消 %(name)s（%(phone)s）的报名吗？") % {
            "name": mask_name(signup.name),
            "phone": signup.masked_phone,
        }
        return render(
            request,
            "signups/admin/confirm.html",
            {
                "occurrence": occurrence,
                "page": occurrence.page,
                "heading": _("取消报名"),
                "question": question,
                "consequence": _cancel_consequence(occurrence, signup),
                "action": reverse("signups_admin:cancel", args=[occurrence.pk]),
                "hidden": {"signup": signup.pk},
                "confirm_label": _("确定取消报名"),
                "back_label": _("不取消，返回名单"),
                "danger": True,
            },
        )
    _signup, promoted = services.cancel(signup.pk)
    if promoted:
        messages.success(
            request,
            _("已取消 %(name)s 的报名，候补第一位 %(promoted)s 已自动获得名额。")
            % {"name": mask_name(signup.name), "promoted": mask_name(promoted[0].name)},
        )
    else:
        messages.success(request, _("已取消 %(name)s 的报名。") % {"name": mask_name(signup.name)})
    return _back(occurrence)


@require_http_methods(["GET", "POST"])
def draw(request, occurrence_id):
    occurrence = _occurrence_for(request, occurrence_id)
    if not _confirmed(request):
        # Nothing to confirm when the draw cannot run: say why straight away.
        if Draw.objects.filter(occurrence=occurrence).exists():
            messages.error(request, _("这一场已经摇过号了，结果见下面的名单。"))
            return _back(occurrence)
        if timezone.now() < occurrence.signup_closes_at:
            messages.error(request, _("报名还没有截止，截止后才能摇号（也会由定时任务自动摇号）。"))
            return _back(occurrence)
        applied = Signup.objects.filter(occurrence=occurrence, status=SignupStatus.APPLIED).count()
        consequence = _(
            "摇号后结果不能更改：%(applied)s 人申请 %(capacity)s 个名额"
            "（其中老年人保留 %(reserved)s 个），未中签的人按抽中顺序进入候补。"
        ) % {
            "applied": applied,
            "capacity": occurrence.capacity,
            "reserved": occurrence.reserved_seats or 0,
        }
        return render(
            request,
            "signups/admin/confirm.html",
            {
                "occurrence": occurrence,
                "page": occurrence.page,
                "heading": _("开始摇号"),
                "question": _("确定现在为这一场摇号吗？"),
                "consequence": consequence,
                "action": reverse("signups_admin:draw", args=[occurrence.pk]),
                "hidden": {},
                "confirm_label": _("确定摇号"),
                "back_label": _("先不摇号，返回"),
                "danger": False,
            },
        )
    try:
        result = services.run_draw(occurrence.pk, user=request.user)
    except services.SignupError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("摇号完成，随机种子 %(seed)s 已记录，可据此复核。") % {"seed": result.seed}
        )
    return _back(occurrence)


@require_POST
@sensitive_post_parameters("name", "phone")
def offline(request, occurrence_id):
    occurrence = _occurrence_for(request, occurrence_id)
    form = OfflineSignupForm(request.POST)
    if not form.is_valid():
        # The page again, with the errors next to their fields (the admin's field template).
        return detail(request, occurrence.pk, offline_form=form, status=400)
    data = form.cleaned_data
    applicant = services.Applicant(
        name=data["name"],
        phone=data["phone"],
        age_group=data["age_group"],
        offline=True,
        contact_relation=data["contact_relation"],
        entered_by=request.user,
    )
    try:
        signup, _token = services.sign_up(occurrence.pk, applicant)
    except services.SignupError as refusal:
        messages.error(request, refusal.message)
    else:
        # Messages travel in a cookie or the session: the masked number only, no name. The
        # 报名码 alone finds nothing (a look-up needs the full number too); the elder gets it
        # on paper from the desk to check or cancel online later.
        messages.success(
            request,
            _(
                "已登记（%(phone)s）：%(status)s。报名码 %(code)s，请抄给本人，"
                "凭手机号和报名码可在网站“我的报名”查看或取消。"
            )
            % {
                "phone": signup.masked_phone,
                "status": signup.get_status_display(),
                "code": signup.booking_code,
            },
        )
        # The detail page shows this booking's 报名码 large, to copy onto paper for the elder.
        return redirect(
            reverse("signups_admin:detail", args=[occurrence.pk]) + f"?registered={signup.pk}"
        )
    return _back(occurrence)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Export ------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    gettext_lazy("序号"),
    gettext_lazy("状态"),
    gettext_lazy("顺序"),
    gettext_lazy("姓名"),
    gettext_lazy("手机号"),
    gettext_lazy("年龄段"),
    gettext_lazy("代报名人"),
    gettext_lazy("代报名人手机号"),
    gettext_lazy("电子邮箱"),
    gettext_lazy("现场登记"),
    gettext_lazy("报名时间"),
    gettext_lazy("签到时间"),
]


def _cell(value) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _rows(occurrence):
    signups = Signup.objects.filter(occurrence=occurrence).order_by("status", "rank", "pk")
    order = {SignupStatus.CONFIRMED: 0, SignupStatus.APPLIED: 1, SignupStatus.WAITING: 2}
    signups = sorted(signups, key=lambda s: (order.get(s.status, 3), s.rank or 0, s.pk))
    for number, signup in enumerate(signups, start=1):
        yield [
            number,
            signup.get_status_display(),
            signup.rank or "",
            _cell(signup.name),
            signup.phone,
            signup.get_age_group_display(),
            _cell(signup.helper_name),
            signup.helper_phone,
            _cell(signup.email),
            "是" if signup.offline else "",
            _local(signup.created_at),
            _local(signup.checked_in_at),
        ]


def export(request, occurrence_id, fmt):
    occurrence = _occurrence_for(request, occurrence_id)
    logger.info("user %s exported sign-ups of occurrence %s", request.user.pk, occurrence.pk)
    filename = f"signups-{occurrence.pk}-{timezone.localtime(occurrence.start):%Y%m%d}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(column) for column in EXPORT_COLUMNS])
        writer.writerows(_rows(occurrence))
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "报名名单"
        sheet.append([str(column) for column in EXPORT_COLUMNS])
        for row in _rows(occurrence):
            sheet.append(row)
        for column in ("E", "H"):  # phone numbers as text, never numbers
            for cell in sheet[column][1:]:
                cell.number_format = "@"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    else:
        raise Http404(_("不支持的导出格式。"))
    response["Cache-Control"] = "no-store, private"
    return response
