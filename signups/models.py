"""Sign-ups for occurrences (home.Occurrence), the draws that allot scarce seats, and the
editor-set rules (weekly limit per number, retention).

Personal data lives only in ``Signup`` rows: never in ``__str__``, logs, URLs or caches.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .phones import mask_phone


class SignupStatus(models.TextChoices):
    APPLIED = "applied", _("待摇号")
    CONFIRMED = "confirmed", _("报名成功")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_STATUSES = (SignupStatus.APPLIED, SignupStatus.CONFIRMED, SignupStatus.WAITING)


class AgeGroup(models.TextChoices):
    YOUTH = "youth", _("18 岁以下")
    ADULT = "adult", _("18–59 岁")
    ELDER = "elder", _("60 岁及以上（老年人）")


def new_token() -> tuple[str, str]:
    """A private link token and the hash stored in its place."""
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# 报名码: six characters a resident can read aloud and copy from paper without confusion
# (no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B). 22**6 is about 113 million codes; a look-up needs the
# mobile number too and failed look-ups are rate-limited, so guessing is hopeless.
BOOKING_CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY347"
BOOKING_CODE_LENGTH = 6


def new_booking_code() -> str:
    return "".join(secrets.choice(BOOKING_CODE_ALPHABET) for _ in range(BOOKING_CODE_LENGTH))


def normalize_booking_code(value: str) -> str | None:
    """The code as stored, or None when ``value`` cannot be one (full-width, lower case,
    spaces and dashes accepted)."""
    code = "".join(unicodedata.normalize("NFKC", value or "").upper().split()).replace("-", "")
    if len(code) != BOOKING_CODE_LENGTH or any(ch not in BOOKING_CODE_ALPHABET for ch in code):
        return None
    return code


class Signup(models.Model):
    occurrence = models.ForeignKey(
        "home.Occurrence",
        verbose_name=_("场次"),
        on_delete=models.CASCADE,
        related_name="signups",
    )
    status = models.CharField(_("状态"), max_length=10, choices=SignupStatus.choices)
    # Queue order within the occurrence: arrival order (first come) or the draw's order.
    rank = models.PositiveIntegerField(_("顺序"), null=True, blank=True)
    name = models.CharField(_("姓名"), max_length=40)
    # A mobile, or (desk sign-ups) a fixed line with its area code, digits only: 037112345678.
    phone = models.CharField(_("手机号"), max_length=12)
    # Whose number ``phone`` is when it is not the participant's own (desk sign-ups: 子女, 邻居 …).
    contact_relation = models.CharField(_("联系电话是谁的"), max_length=20, blank=True)
    age_group = models.CharField(_("年龄段"), max_length=8, choices=AgeGroup.choices)
    helper_name = models.CharField(_("代报名人姓名"), max_length=40, blank=True)
    helper_phone = models.CharField(_("代报名人手机号"), max_length=11, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    offline = models.BooleanField(_("学习点现场登记"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    booking_code = models.CharField(
        _("报名码"), max_length=BOOKING_CODE_LENGTH, unique=True, editable=False
    )
    consented_at = models.DateTimeField(_("同意隐私说明时间"))
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["occurrence", "rank", "pk"]
        constraints = [
            # One seat (or place in the queue) per number per occurrence.
            models.UniqueConstraint(
                fields=["occurrence", "phone"],
                condition=Q(status__in=["applied", "confirmed", "waiting"]),
                name="signups_one_active_per_phone",
            ),
        ]
        indexes = [
            models.Index(fields=["occurrence", "status", "rank"], name="signups_queue"),
            models.Index(fields=["phone", "status"], name="signups_phone"),
        ]

    def __str__(self):
        # No personal data: this string can reach logs and admin history.
        return f"报名 #{self.pk}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_helper_phone(self) -> str:
        return mask_phone(self.helper_phone)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_elder_offline(self) -> bool:
        return self.offline and self.age_group == AgeGroup.ELDER


class Draw(models.Model):
    """One draw (摇号) of an occurrence: its seed and result, so it can be audited and replayed."""

    occurrence = models.OneToOneField(
        "home.Occurrence", verbose_name=_("场次"), on_delete=models.CASCADE, related_name="draw"
    )
    seed = models.PositiveBigIntegerField(_("随机种子"))
    run_at = models.DateTimeField(_("摇号时间"), auto_now_add=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(_("名额"))
    reserved_seats = models.PositiveIntegerField(_("老年人保留名额"), default=0)
    # Applicant ids in the order the draw read them (ascending id), with the reserved pool
    # marked, and the resulting order: enough to replay the draw with the seed.
    pool = models.JSONField(_("参与摇号"), default=list)
    elder_pool = models.JSONField(_("保留名额候选"), default=list)
    order = models.JSONField(_("摇号结果"), default=list)
    # Which shuffle the draw used (signups.services.DRAW_ALGORITHM_*): a replay must use the same.
    # Draws made before the field existed used Python's random.shuffle (1).
    algorithm = models.PositiveSmallIntegerField(
        _("摇号算法"),
        choices=[(1, _("Python random.shuffle（旧版）")), (2, _("SHA-256 计数器洗牌"))],
        default=2,
    )

    class Meta:
        verbose_name = _("摇号记录")
        verbose_name_plural = _("摇号记录")

    def __str__(self):
        return f"摇号 #{self.pk}"


@register_setting(icon="form")
class SignupSettings(BaseGenericSetting):
    weekly_limit = models.PositiveSmallIntegerField(
        _("每个手机号每周最多报名场次"),
        default=3,
        help_text=_("按场次开始时间计算，每周从周一到周日；0 表示不限。"),
    )
    retention_days = models.PositiveIntegerField(
        _("报名信息保留天数"),
        default=180,
        help_text=_(
            "场次结束超过这么多天后，报名信息（姓名、手机号等）由 purge_signups 命令删除。"
        ),
    )

    panels = [FieldPanel("weekly_limit"), FieldPanel("retention_days")]

    class Meta:
        verbose_name = _("报名设置")
