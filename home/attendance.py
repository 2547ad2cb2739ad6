"""How to attend: the one statement an event, lecture or course page makes about getting in.

Every page that has times (events, lectures, courses) says one of: 需报名 (with the seats and a
报名 button), 免费入场，无需报名 (or the cost), 报名已截止, 已结束 or 已取消 — never two that
disagree. Pages are cached for anonymous visitors, so only static facts go here (capacity, when
sign-up opens and closes); the live number of seats left is on the sign-up page itself.

The sign-up URL comes through the ``occurrence_links`` hook (links with ``kind="signup"``), so
this module needs no import from the sign-up app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from .models import SignupMode
from .occurrence_links import OccurrenceLink, occurrence_links

SIGNUP_LINK_KIND = "signup"


class Way:
    SIGNUP = "signup"  # an open online sign-up: one 报名 button
    SIGNUP_CHOOSE = "signup-choose"  # several occurrences take sign-ups: choose one below
    SIGNUP_SOON = "signup-soon"  # online sign-up opens later
    SIGNUP_CLOSED = "signup-closed"
    EXTERNAL = "external"  # sign up elsewhere (the organiser's own link)
    ENROL_TEXT = "enrol-text"  # the organiser's own words (e.g. at the desk)
    FREE = "free"  # just come
    ONLINE = "online"
    FINISHED = "finished"
    CANCELLED = "cancelled"


@dataclass
class Attendance:
    way: str
    headline: str
    details: list[str] = field(default_factory=list)
    button: OccurrenceLink | None = None
    external_url: str = ""
    # Whether 报名 buttons still belong next to individual occurrences (several to choose from).
    per_occurrence_links: bool = False

    @property
    def needs_signup(self) -> bool:
        return self.way in {Way.SIGNUP, Way.SIGNUP_CHOOSE, Way.SIGNUP_SOON, Way.EXTERNAL}


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%-m月%-d日 %H:%M}"


def signup_window(occurrence, now) -> str:
    """'open', 'soon' or 'closed' for an occurrence with sign-up enabled."""
    if occurrence.signup_opens and now < occurrence.signup_opens:
        return "soon"
    if now >= occurrence.signup_closes_at:
        return "closed"
    return "open"


def seats_text(occurrence) -> str:
    text = f"名额 {occurrence.capacity} 人"
    if occurrence.signup_mode == SignupMode.DRAW:
        text += "（摇号）"
    return text


def signup_link(occurrence) -> OccurrenceLink | None:
    for link in occurrence_links([occurrence]).get(occurrence.pk, []):
        if link.kind == SIGNUP_LINK_KIND:
            return link
    return None


def _fee_headline(cost: str, free: str, paid: str) -> str:
    """``free`` when nothing is charged, else ``paid`` with the fee named."""
    cost = (cost or "").strip()
    return free if not cost or cost == "免费" else f"{paid} · 费用：{cost}"


def fee_headline(cost: str) -> str:
    return _fee_headline(cost, "免费入场，无需报名", "无需报名")


def course_fee_headline(fee: str) -> str:
    """A class one simply attends: 入场 is a word for events, not for a class."""
    return _fee_headline(fee, "免费，无需报名，直接来上课", "无需报名，直接来上课")


def no_signup_headline(fee: str, sessions) -> str:
    if sessions:
        return course_fee_headline(fee)
    return _fee_headline(fee, "免费学习，无需报名", "无需报名")


def _signup_attendance(occurrence, now, *, covers: str = "") -> Attendance | None:
    """The statement for one occurrence taking sign-ups, or None when the hook offers no link."""
    window = signup_window(occurrence, now)
    closes = f"报名截止：{_local(occurrence.signup_closes_at)}"
    if window == "closed":
        return Attendance(Way.SIGNUP_CLOSED, "报名已截止", details=[covers] if covers else [])
    if window == "soon":
        details = [f"{_local(occurrence.signup_opens)} 开始报名，{closes}。"]
        if covers:
            details.append(covers)
        return Attendance(Way.SIGNUP_SOON, f"需报名 · {seats_text(occurrence)}", details=details)
    link = signup_link(occurrence)
    if link is None:
        return None
    details = [f"{closes}。剩余名额请在报名页查看。"]
    if occurrence.signup_mode == SignupMode.DRAW:
        details.append("报名截止后摇号决定名单，结果可在报名后的个人链接中查看。")
    if covers:
        details.insert(0, covers)
    return Attendance(
        Way.SIGNUP, f"需报名 · {seats_text(occurrence)}", details=details, button=link
    )


def event_attendance(page, now=None) -> Attendance:
    """For an event or lecture (``events.CalendarPage``): from its status, times and sign-ups."""
    now = now or timezone.now()
    if page.status == "cancelled":
        return Attendance(Way.CANCELLED, "活动已取消")
    occurrences = [o for o in page.all_occurrences if not o.cancelled]
    upcoming = [o for o in occurrences if o.end >= now]
    if occurrences and not upcoming:
        recording = getattr(page, "has_recording", False)
        return Attendance(
            Way.FINISHED,
            "已结束",
            details=["可以在本页观看讲座回放。"] if recording else [],
        )
    taking_signups = [o for o in upcoming if o.signup_enabled]
    open_now = [o for o in taking_signups if signup_window(o, now) == "open"]
    if len(open_now) > 1:
        return Attendance(
            Way.SIGNUP_CHOOSE,
            "需报名 · 每场单独报名",
            details=["请在下面“时间和地点”中选择场次，点“报名”。剩余名额请在报名页查看。"],
            per_occurrence_links=True,
        )
    if taking_signups:
        # The one open now, else the next to open (or the latest to have closed).
        found = _signup_attendance((open_now or taking_signups)[0], now)
        if found is not None:
            return found
    join_url = getattr(page, "join_url", "")
    if join_url:
        return Attendance(
            Way.EXTERNAL, "需报名", details=["请通过主办方的报名入口报名。"], external_url=join_url
        )
    if page.status == "online":
        return Attendance(Way.ONLINE, "线上举行，无需报名", details=[])
    cost = getattr(page, "cost", "")
    details = [] if getattr(page, "how_to_join", "") else ["请按时间直接到场。"]
    return Attendance(Way.FREE, fee_headline(cost), details=details)


def enrolment_occurrence(sessions):
    """A course's sign-up: the first non-cancelled session with sign-up enabled.

    Signing up for it signs up for the course as a whole (all its sessions).
    """
    for session in sessions:
        if not session.cancelled and session.signup_enabled:
            return session
    return None


def sessions_covered(page, occurrence) -> str:
    """On a course's sign-up and status pages: the classes one sign-up on ``occurrence``
    covers ("" for an event, or a course of one class)."""
    held = getattr(page, "held_sessions", None)
    if not held:
        return ""
    remaining = [session for session in held if session.start >= occurrence.start]
    if len(remaining) < 2:
        return ""
    return (
        f"共 {len(remaining)} 次课，{_local(remaining[0].start)} 到 {_local(remaining[-1].start)}，"
        "报名一次全部参加，不用每次课单独报名。"
    )


def course_attendance(course, now=None) -> Attendance:
    """For a course (``learning_resources.CoursePage``): one sign-up for all its sessions."""
    now = now or timezone.now()
    if course.status.value == "finished":
        return Attendance(Way.FINISHED, "已结束", details=["本期课程已结束。"])
    held = course.held_sessions
    enrol = enrolment_occurrence(held)
    if enrol is not None:
        remaining = [session for session in held if session.start >= enrol.start]
        if len(held) == 1:
            covers = ""
        elif len(remaining) == len(held):
            covers = f"报名一次即参加本课程全部 {len(held)} 次课，不用每次课单独报名。"
        else:
            # Sign-up on a later session (a course one may join part-way): say so plainly,
            # and say 已开课 only once its first class has begun (an editor may add an earlier
            # class without sign-up to a course that has not started).
            number = held.index(enrol) + 1
            if held[0].start <= now:
                covers = (
                    f"本课程已开课。现在报名，从第 {number} 次课（{_local(enrol.start)}）起"
                    f"参加余下的 {len(remaining)} 次课，不用每次课单独报名。"
                )
            else:
                covers = (
                    f"报名后参加第 {number} 次课（{_local(enrol.start)}）起的 "
                    f"{len(remaining)} 次课，不用每次课单独报名。"
                )
        found = _signup_attendance(enrol, now, covers=covers)
        if found is not None:
            if found.way == Way.SIGNUP_CLOSED and course.enrolment_text:
                found.details.append(course.enrolment_text)
            return found
    if course.enrolment_url:
        return Attendance(
            Way.EXTERNAL,
            "需报名",
            details=[course.enrolment_text] if course.enrolment_text else [],
            external_url=course.enrolment_url,
        )
    deadline = (
        [f"报名截止：{course.enrolment_deadline:%Y年%-m月%-d日}"]
        if course.enrolment_deadline
        else []
    )
    if course.enrolment_text:
        headline = "报名方式" if course.takes_signup else no_signup_headline(course.fee, held)
        return Attendance(Way.ENROL_TEXT, headline, details=[course.enrolment_text, *deadline])
    if not held:
        return Attendance(Way.FREE, no_signup_headline(course.fee, held), details=deadline)
    return Attendance(
        Way.FREE, course_fee_headline(course.fee), details=["请按上课时间到上课地点参加。"]
    )
