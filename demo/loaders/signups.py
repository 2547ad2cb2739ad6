"""Demo sign-ups: a few event occurrences and course sessions open for sign-up, one nearly full,
one full with a waiting list, one collecting applications for a draw, with obviously fake numbers (138000000xx)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.helpers import DemoReport, ensure_group
from home.models import Occurrence, SignupMode
from signups.models import AgeGroup, Signup
from signups.services import Applicant, sign_up

DEMO_NAMES = [
    "张秀兰",
    "王建国",
    "李桂英",
    "刘德明",
    "陈淑珍",
    "杨志强",
    "赵玉梅",
    "黄国华",
    "周丽娟",
    "吴文杰",
    "孙凤英",
    "马红梅",
    "朱永清",
    "胡春花",
    "郭振宇",
]


def _fake_phone(number: int) -> str:
    return f"138000{number:05d}"


def _upcoming(model_label: str, now, min_days: int, pages=None) -> list[Occurrence]:
    app_label, model = model_label.split(".")
    occurrences = Occurrence.objects.all()
    if pages is not None:
        occurrences = occurrences.filter(page__in=pages.values("pk"))
    return list(
        occurrences.filter(
            page__content_type__app_label=app_label,
            page__content_type__model=model,
            page__live=True,
            cancelled=False,
            start__gte=now + datetime.timedelta(days=min_days),
        )
        .select_related("page")
        .order_by("start", "pk")[:12]
    )


def _first_sessions(sessions: list[Occurrence]) -> list[Occurrence]:
    """Only sessions that open their course: signing up there covers the whole course."""
    earlier = set(
        Occurrence.objects.filter(
            page__in={session.page_id for session in sessions},
            cancelled=False,
        ).values_list("page_id", "start")
    )
    return [
        session
        for session in sessions
        if not any(page == session.page_id and start < session.start for page, start in earlier)
    ]


def _desk_worker_and_courses(now):
    from wagtail.permission_policies.pages import PagePermissionPolicy

    for username in ("jinshui_worker", "erqi_worker"):
        worker = get_user_model().objects.filter(username=username).first()
        if worker is None:
            continue
        pages = PagePermissionPolicy().instances_user_has_any_permission_for(worker, ["change"])
        courses = _first_sessions(_upcoming("learning_resources.coursepage", now, 3, pages=pages))
        if courses:
            return worker, courses
    return None, []


def _pick(candidates, used_pages):
    for occurrence in candidates:
        if occurrence.page_id not in used_pages:
            used_pages.add(occurrence.page_id)
            return occurrence
    return None


def _enable(occurrence, mode, capacity, **fields):
    occurrence.signup_mode = mode
    # A course has one seat figure: its 招收人数 is the sign-up's capacity.
    occurrence.capacity = getattr(occurrence.page.specific, "seats", None) or capacity
    for name, value in fields.items():
        setattr(occurrence, name, value)
    occurrence.save()


def load_signups_demo(home, report: DemoReport) -> None:
    ensure_group(report, "全站编辑", ["signups.change_signupsettings"])
    if Occurrence.objects.exclude(signup_mode="").exists():
        return  # set up before (or by an editor): leave it alone
    now = timezone.now()
    used: set[int] = set()
    events = _upcoming("events.eventpage", now, 2)
    courses = _first_sessions(_upcoming("learning_resources.coursepage", now, 3))
    # The draw goes on a session a demo community worker may manage, who then "entered" the
    # elders signed up at the desk (log in as that worker to see it under 报名管理).
    worker, worker_courses = _desk_worker_and_courses(now)
    phone_number = iter(range(1, 1000))

    def add(occurrence, count, offline_elders=0):
        for index in range(count):
            sign_up(
                occurrence.pk,
                Applicant(
                    name=DEMO_NAMES[index % len(DEMO_NAMES)],
                    phone=_fake_phone(next(phone_number)),
                    age_group=AgeGroup.ELDER if index % 2 else AgeGroup.ADULT,
                ),
                now=now,
            )
        for index in range(offline_elders):
            sign_up(
                occurrence.pk,
                Applicant(
                    name=DEMO_NAMES[-1 - index],
                    phone=_fake_phone(next(phone_number)),
                    age_group=AgeGroup.ELDER,
                    offline=True,
                    entered_by=worker,
                ),
                now=now,
            )

    open_event = _pick(events, used)
    if open_event is not None:
        _enable(open_event, SignupMode.FIRST_COME, 30)
        add(open_event, 5)
        report.add(f"报名：{open_event.page.title}（先到先得，30 个名额）")
    nearly_full = _pick(events, used)
    if nearly_full is not None:
        _enable(nearly_full, SignupMode.FIRST_COME, 10)
        add(nearly_full, 9)
        report.add(f"报名：{nearly_full.page.title}（只剩 1 个名额）")
    full = _pick(events, used)
    if full is not None:
        _enable(full, SignupMode.FIRST_COME, 6)
        add(full, 8)
        report.add(f"报名：{full.page.title}（已报满，2 人候补）")
    draw_session = _pick(worker_courses, used) or _pick(courses, used)
    if draw_session is not None:
        _enable(
            draw_session,
            SignupMode.DRAW,
            8,
            reserved_seats=2,
            signup_opens=now - datetime.timedelta(days=1),
            signup_closes=draw_session.start - datetime.timedelta(days=2),
        )
        add(draw_session, 6, offline_elders=2)
        report.add(
            f"报名：{draw_session.page.title}"
            f"（摇号，{draw_session.capacity} 个名额，老年人保留 2 个）"
        )
    course_session = _pick(courses, used)
    if course_session is not None:
        _enable(course_session, SignupMode.FIRST_COME, 25)
        add(course_session, 3)
        report.add(
            f"报名：{course_session.page.title}（先到先得，{course_session.capacity} 个名额）"
        )
    report.add(f"演示报名 {Signup.objects.count()} 条（手机号均为 138000xxxxx 测试号码）")
