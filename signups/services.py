"""Signing up, cancelling, promoting from the waiting list and drawing seats.

Every change to an occurrence's sign-ups happens inside ``transaction.atomic()`` after locking
that occurrence's row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite takes its write lock when
the transaction begins, see ``transaction_mode`` in settings), so seats are counted by one
transaction at a time and can never be oversold. Locks are always taken occurrence first, then
sign-up rows, so two transactions never wait for each other in a circle.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import random
import secrets
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from home.models import Occurrence, SignupMode

from .models import (
    ACTIVE_STATUSES,
    AgeGroup,
    Draw,
    Signup,
    SignupSettings,
    SignupStatus,
    hash_token,
    new_booking_code,
    new_token,
)
from .phones import mask_name

logger = logging.getLogger(__name__)


class SignupError(Exception):
    """A refusal a resident or organiser can read; ``status`` is the HTTP status to answer with."""

    status = 409

    def __init__(self, message: str, status: int | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status


def _desk_duplicate_message(occurrence_id, phone: str) -> str:
    """At the desk the elder has no private link: say which booking already holds the number,
    so the worker can copy its 报名码 for them instead of registering again."""
    existing = (
        Signup.objects.filter(occurrence_id=occurrence_id, phone=phone, status__in=ACTIVE_STATUSES)
        .only("name", "booking_code", "status")
        .first()
    )
    if existing is None:
        return _("这个号码已经报过这一场，无需重复登记。")
    return _(
        "这个号码已经报过这一场（%(name)s，报名码 %(code)s，%(status)s），无需重复登记。"
        "请把这个报名码抄给老人；要换人参加，先在下面的名单里取消原来的报名。"
    ) % {
        "name": mask_name(existing.name),
        "code": existing.booking_code,
        "status": existing.get_status_display(),
    }


def _refuse_duplicate(occurrence_id, applicant: Applicant, error=None):
    message = (
        _desk_duplicate_message(occurrence_id, applicant.phone)
        if applicant.offline
        else _duplicate_message()
    )
    raise SignupError(message, code="duplicate") from error


def _duplicate_message() -> str:
    return _("这个手机号已经报过这一场了。可以用报名成功时的专属链接查看，或凭手机号和报名码找回。")


class NotFound(SignupError):
    status = 404


class Availability(Enum):
    DISABLED = "disabled"
    CANCELLED = "cancelled"
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


@dataclass
class Applicant:
    name: str
    phone: str
    age_group: str
    helper_name: str = ""
    helper_phone: str = ""
    email: str = ""
    offline: bool = False
    entered_by: object = None
    contact_relation: str = ""


# --- Reading ---------------------------------------------------------------------------------


def public_occurrence(occurrence_id) -> Occurrence:
    """The occurrence behind a public sign-up URL: enabled, on a live page anyone may see."""
    occurrence = (
        Occurrence.objects.filter(pk=occurrence_id)
        .exclude(signup_mode="")
        .select_related("page")
        .first()
    )
    if occurrence is None or not occurrence.signup_enabled:
        raise NotFound(_("没有找到这个报名场次，可能已被撤下。"))
    if not Page.objects.live().public().filter(pk=occurrence.page_id).exists():
        raise NotFound(_("没有找到这个报名场次，可能已被撤下。"))
    return occurrence


def occurrence_cancelled(occurrence: Occurrence) -> bool:
    """This occurrence is called off, by itself or with its whole event."""
    if occurrence.cancelled:
        return True
    check = getattr(occurrence.page.specific, "occurrence_is_cancelled", None)
    return bool(check and check(occurrence))


def availability(occurrence: Occurrence, now=None) -> Availability:
    now = now or timezone.now()
    if not occurrence.signup_enabled:
        return Availability.DISABLED
    if occurrence_cancelled(occurrence):
        return Availability.CANCELLED
    if occurrence.signup_opens and now < occurrence.signup_opens:
        return Availability.NOT_YET
    if now >= occurrence.signup_closes_at or now >= occurrence.end:
        return Availability.CLOSED
    return Availability.OPEN


def counts(occurrence: Occurrence) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        Signup.objects.filter(occurrence=occurrence)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    found = dict(rows)
    result = {status.value: found.get(status.value, 0) for status in SignupStatus}
    result["free"] = max((occurrence.capacity or 0) - result[SignupStatus.CONFIRMED], 0)
    return result


def waiting_position(signup: Signup) -> int | None:
    """1 for the first person on the waiting list."""
    if signup.status != SignupStatus.WAITING:
        return None
    ahead = Signup.objects.filter(
        occurrence_id=signup.occurrence_id, status=SignupStatus.WAITING, rank__lt=signup.rank
    ).count()
    return ahead + 1


def signup_for_token(token: str) -> Signup:
    if not token or len(token) > 64:
        raise NotFound(_("这个报名链接无效。请检查链接是否完整，或联系主办方。"))
    signup = (
        Signup.objects.filter(token_hash=hash_token(token))
        .select_related("occurrence__page")
        .first()
    )
    if signup is None:
        raise NotFound(_("这个报名链接无效。请检查链接是否完整，或联系主办方。"))
    return signup


def find_booking(phone: str, booking_code: str) -> Signup:
    """The sign-up of this number with this 报名码 (both already normalised)."""
    signup = (
        Signup.objects.filter(phone=phone, booking_code=booking_code)
        .select_related("occurrence__page")
        .first()
    )
    if signup is None:
        raise NotFound(_("没有找到这条报名：手机号和报名码对不上。请核对后再试，或联系主办方。"))
    return signup


def week_bounds(moment: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Monday 00:00 to the next Monday 00:00, Zhengzhou time, around ``moment``."""
    local = timezone.localtime(moment)
    monday = (local - datetime.timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return monday, monday + datetime.timedelta(days=7)


# --- Changing --------------------------------------------------------------------------------


def _lock(occurrence_id) -> Occurrence:
    occurrence = (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("page")
        .filter(pk=occurrence_id)
        .first()
    )
    if occurrence is None:
        raise NotFound(_("没有找到这个报名场次，可能已被撤下。"))
    return occurrence


def _check_open(occurrence: Occurrence, now) -> None:
    state = availability(occurrence, now)
    if state is Availability.DISABLED:
        raise NotFound(_("这一场没有开放网上报名。"))
    if state is Availability.CANCELLED:
        raise SignupError(_("这一场已经取消，不能报名。"))
    if state is Availability.NOT_YET:
        opens = timezone.localtime(occurrence.signup_opens)
        raise SignupError(
            _("报名还没有开始，将于 %(when)s 开始。") % {"when": f"{opens:%Y年%-m月%-d日 %H:%M}"}
        )
    if state is Availability.CLOSED:
        raise SignupError(_("报名已经截止。"))


def _lock_number(phone: str) -> None:
    """On PostgreSQL, serialise sign-ups of one number across occurrences (the weekly limit
    counts over several occurrences, whose row locks alone would not stop a race). The lock key
    is a keyed hash, so the number itself never reaches the database server's statement log."""
    if connection.vendor != "postgresql":
        return  # SQLite: the whole database is already locked for writing
    digest = hmac.new(settings.SECRET_KEY.encode(), phone.encode(), hashlib.sha256).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _check_weekly_limit(occurrence: Occurrence, phone: str, at_desk: bool = False) -> None:
    limit = SignupSettings.load().weekly_limit
    if not limit:
        return
    _lock_number(phone)
    monday, next_monday = week_bounds(occurrence.start)
    taken = Signup.objects.filter(
        phone=phone,
        status__in=ACTIVE_STATUSES,
        occurrence__start__gte=monday,
        occurrence__start__lt=next_monday,
    ).count()
    if taken >= limit:
        raise SignupError(
            _("这个手机号本周（%(monday)s 起）已报名 %(taken)s 场，达到每周 %(limit)s 场的上限。")
            % {"monday": f"{monday:%-m月%-d日}", "taken": taken, "limit": limit}
            + (_("可以帮老人报名下一周的场次。") if at_desk else "")
        )


def _unused_booking_code() -> str:
    while True:
        code = new_booking_code()
        if not Signup.objects.filter(booking_code=code).exists():
            return code


def _next_rank(occurrence: Occurrence) -> int:
    from django.db.models import Max

    top = Signup.objects.filter(occurrence=occurrence).aggregate(top=Max("rank"))["top"]
    return (top or 0) + 1


def sign_up(occurrence_id, applicant: Applicant, now=None) -> tuple[Signup, str]:
    """Take a seat, a place on the waiting list, or (draw) an application. Returns the sign-up
    and its private token (only its hash is stored)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            occurrence = _lock(occurrence_id)
            _check_open(occurrence, now)
            if Signup.objects.filter(
                occurrence=occurrence, phone=applicant.phone, status__in=ACTIVE_STATUSES
            ).exists():
                _refuse_duplicate(occurrence.pk, applicant)
            _check_weekly_limit(occurrence, applicant.phone, at_desk=applicant.offline)
            if occurrence.signup_mode == SignupMode.DRAW:
                status, rank = SignupStatus.APPLIED, None
            else:
                confirmed = Signup.objects.filter(
                    occurrence=occurrence, status=SignupStatus.CONFIRMED
                ).count()
                status = (
                    SignupStatus.CONFIRMED
                    if confirmed < occurrence.capacity
                    else SignupStatus.WAITING
                )
                rank = _next_rank(occurrence)
            token, token_hash = new_token()
            signup = Signup.objects.create(
                occurrence=occurrence,
                status=status,
                rank=rank,
                name=applicant.name,
                phone=applicant.phone,
                age_group=applicant.age_group,
                helper_name=applicant.helper_name,
                helper_phone=applicant.helper_phone,
                email=applicant.email,
                offline=applicant.offline,
                contact_relation=applicant.contact_relation,
                entered_by=applicant.entered_by,
                token_hash=token_hash,
                booking_code=_unused_booking_code(),
                consented_at=now,
                confirmed_at=now if status == SignupStatus.CONFIRMED else None,
            )
    except IntegrityError as error:
        # The partial unique index: the same number raced itself.
        _refuse_duplicate(occurrence_id, applicant, error)
    logger.info("sign-up %s for occurrence %s: %s", signup.pk, occurrence_id, status)
    return signup, token


def reissue_token(signup_id: int) -> str:
    """A fresh private link for a sign-up found by number and 报名码; the old link stops working
    (only hashes are stored, so the old token cannot be shown again)."""
    token, token_hash = new_token()
    Signup.objects.filter(pk=signup_id).update(token_hash=token_hash)
    logger.info("sign-up %s: private link reissued after a look-up", signup_id)
    return token


def _fill_free_seats(occurrence: Occurrence, now) -> list[Signup]:
    """Promote the first waiting people into free seats, in queue order."""
    if (
        occurrence.signup_mode == SignupMode.DRAW
        and not Draw.objects.filter(occurrence=occurrence).exists()
    ):
        return []
    if now >= occurrence.end or occurrence_cancelled(occurrence):
        return []
    confirmed = Signup.objects.filter(occurrence=occurrence, status=SignupStatus.CONFIRMED).count()
    free = (occurrence.capacity or 0) - confirmed
    if free <= 0:
        return []
    promoted = list(
        Signup.objects.filter(occurrence=occurrence, status=SignupStatus.WAITING).order_by(
            "rank", "pk"
        )[:free]
    )
    for signup in promoted:
        signup.status = SignupStatus.CONFIRMED
        signup.confirmed_at = now
        signup.save(update_fields=["status", "confirmed_at"])
        logger.info("sign-up %s promoted from the waiting list", signup.pk)
    return promoted


def fill_free_seats(occurrence_id, now=None) -> list[Signup]:
    """After capacity grew: promote waiting people into the new seats."""
    now = now or timezone.now()
    with transaction.atomic():
        occurrence = _lock(occurrence_id)
        promoted = _fill_free_seats(occurrence, now)
    _notify_promoted(promoted)
    return promoted


def cancel(signup_id: int, now=None) -> tuple[Signup, list[Signup]]:
    """Cancel a sign-up; a freed seat goes to the first person waiting. Idempotent."""
    now = now or timezone.now()
    occurrence_id = (
        Signup.objects.filter(pk=signup_id).values_list("occurrence_id", flat=True).first()
    )
    if occurrence_id is None:
        raise NotFound(_("没有找到这条报名。"))
    with transaction.atomic():
        occurrence = _lock(occurrence_id)
        signup = Signup.objects.select_for_update().get(pk=signup_id)
        if signup.status == SignupStatus.CANCELLED:
            return signup, []
        signup.status = SignupStatus.CANCELLED
        signup.cancelled_at = now
        signup.save(update_fields=["status", "cancelled_at"])
        promoted = _fill_free_seats(occurrence, now)
    logger.info("sign-up %s cancelled", signup.pk)
    _notify_promoted(promoted)
    return signup, promoted


def set_checked_in(signup_id: int, checked_in: bool, now=None) -> Signup:
    signup = Signup.objects.get(pk=signup_id)
    if signup.status != SignupStatus.CONFIRMED:
        raise SignupError(_("只有报名成功的人可以签到。"))
    signup.checked_in_at = (now or timezone.now()) if checked_in else None
    signup.save(update_fields=["checked_in_at"])
    return signup


def _notify_promoted(promoted: list[Signup]) -> None:
    from .notify import send_promotion

    for signup in promoted:
        transaction.on_commit(lambda signup=signup: send_promotion(signup))


# --- The draw ----------------------------------------------------------------------------------


# How a draw shuffles (recorded on each Draw, so a replay uses the method the draw used).
DRAW_ALGORITHM_PYTHON_RANDOM = 1  # random.Random(seed).shuffle: draws made before version 2
DRAW_ALGORITHM_SHA256 = 2  # draw_shuffle below: the same on every Python, defined here
DRAW_ALGORITHM = DRAW_ALGORITHM_SHA256


class DrawStream:
    """Random numbers from a seed, defined by this project: SHA-256 in counter mode.

    Block ``i`` is SHA-256 of ``b"zzsite-draw-v2"``, the seed (8 bytes, big-endian) and ``i``
    (8 bytes, big-endian); each block gives four 64-bit numbers (big-endian). ``below(n)`` is
    unbiased: numbers from the incomplete last run of ``n`` are rejected and the next one is read.
    Nothing here depends on Python's ``random`` module, whose algorithms may change.
    """

    DOMAIN = b"zzsite-draw-v2"

    def __init__(self, seed: int):
        self._seed = seed.to_bytes(8, "big")
        self._counter = 0
        self._buffered: list[int] = []

    def _next64(self) -> int:
        if not self._buffered:
            block = hashlib.sha256(
                self.DOMAIN + self._seed + self._counter.to_bytes(8, "big")
            ).digest()
            self._counter += 1
            self._buffered = [
                int.from_bytes(block[offset : offset + 8], "big") for offset in (24, 16, 8, 0)
            ]
        return self._buffered.pop()  # the block's first eight bytes first

    def below(self, n: int) -> int:
        """A uniform number in 0 … n-1."""
        limit = 2**64 - (2**64 % n)
        while True:
            number = self._next64()
            if number < limit:
                return number % n


def draw_shuffle(items: list, stream: DrawStream) -> None:
    """Fisher–Yates, in place: from the last position down, swap with a position at or before it."""
    for position in range(len(items) - 1, 0, -1):
        other = stream.below(position + 1)
        items[position], items[other] = items[other], items[position]


def draw_order(
    pool: list[int],
    elder_pool: list[int],
    seed: int,
    capacity: int,
    reserved: int,
    algorithm: int = DRAW_ALGORITHM,
) -> tuple[list[int], list[int]]:
    """Who gets a seat, in order, and the waiting list, in order: a pure function of its inputs.

    First the reserved seats are drawn among the elders signed up at a learning point's desk;
    then the remaining seats (unused reserved seats included) among everyone left, elders who
    missed a reserved seat too. Everyone not drawn joins the waiting list in drawn order. Both
    shuffles read one stream of numbers from the seed.
    """
    if algorithm == DRAW_ALGORITHM_PYTHON_RANDOM:
        rng = random.Random(seed)
        shuffle = rng.shuffle
    elif algorithm == DRAW_ALGORITHM_SHA256:
        stream = DrawStream(seed)
        shuffle = lambda items: draw_shuffle(items, stream)  # noqa: E731
    else:
        raise ValueError(f"unknown draw algorithm {algorithm}")
    elders = sorted(elder_pool)
    shuffle(elders)
    reserved_winners = elders[: min(reserved, capacity)]
    taken = set(reserved_winners)
    rest = [pk for pk in sorted(pool) if pk not in taken]
    shuffle(rest)
    general = rest[: capacity - len(reserved_winners)]
    return reserved_winners + general, rest[len(general) :]


def run_draw(occurrence_id, *, user=None, seed: int | None = None, now=None) -> Draw:
    now = now or timezone.now()
    with transaction.atomic():
        occurrence = _lock(occurrence_id)
        if occurrence.signup_mode != SignupMode.DRAW:
            raise SignupError(_("这一场不是摇号报名。"))
        if Draw.objects.filter(occurrence=occurrence).exists():
            raise SignupError(_("这一场已经摇过号了。"))
        if now < occurrence.signup_closes_at:
            raise SignupError(_("报名还没有截止，截止后才能摇号。"))
        if occurrence_cancelled(occurrence):
            raise SignupError(_("这一场已经取消，不能摇号。"))
        applicants = list(
            Signup.objects.filter(occurrence=occurrence, status=SignupStatus.APPLIED).order_by("pk")
        )
        pool = [signup.pk for signup in applicants]
        elder_pool = [
            signup.pk
            for signup in applicants
            if signup.offline and signup.age_group == AgeGroup.ELDER
        ]
        seed = secrets.randbits(63) if seed is None else seed
        reserved = occurrence.reserved_seats or 0
        winners, waiting = draw_order(pool, elder_pool, seed, occurrence.capacity, reserved)
        by_pk = {signup.pk: signup for signup in applicants}
        drawn = set(winners)
        for rank, pk in enumerate(winners + waiting, start=1):
            signup = by_pk[pk]
            signup.rank = rank
            if pk in drawn:
                signup.status, signup.confirmed_at = SignupStatus.CONFIRMED, now
            else:
                signup.status = SignupStatus.WAITING
        Signup.objects.bulk_update(applicants, ["rank", "status", "confirmed_at"])
        draw = Draw.objects.create(
            occurrence=occurrence,
            seed=seed,
            run_by=user,
            capacity=occurrence.capacity,
            reserved_seats=reserved,
            pool=pool,
            elder_pool=elder_pool,
            order=winners + waiting,
            algorithm=DRAW_ALGORITHM,
        )
    logger.info(
        "draw %s for occurrence %s: seed %s, %s applicants", draw.pk, occurrence_id, seed, len(pool)
    )
    from .notify import send_draw_result

    for signup in applicants:
        transaction.on_commit(lambda signup=signup: send_draw_result(signup))
    return draw


def replay_draw(draw: Draw) -> list[int]:
    """The draw's order recomputed from its recorded seed, pool and shuffle (an audit compares
    the two)."""
    winners, waiting = draw_order(
        draw.pool, draw.elder_pool, draw.seed, draw.capacity, draw.reserved_seats, draw.algorithm
    )
    return winners + waiting


def draws_due(now=None):
    """Draw-mode occurrences whose window has closed and that have not been drawn."""
    from django.db.models import Q

    now = now or timezone.now()
    return (
        Occurrence.objects.filter(signup_mode=SignupMode.DRAW, capacity__gt=0, draw__isnull=True)
        .filter(Q(signup_closes__lte=now) | Q(signup_closes__isnull=True, start__lte=now))
        .filter(end__gt=now, cancelled=False)
        .order_by("start", "pk")
    )
