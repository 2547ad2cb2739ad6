"""Sign-up figures for the participation report (报告 → 参与情况统计).

Registered into the report's ``participation_report_measures`` hook: numbers per occurrence,
which the report sums per district, audience or month. Counts only, never personal data.
"""

from django.db.models import Count, Q

from .models import ACTIVE_STATUSES, Signup, SignupStatus

COLUMNS = [
    ("signups", "报名人数"),
    ("confirmed", "报名成功"),
    ("checked_in", "签到人数"),
]


def participation_measures(occurrence_ids):
    """``(columns, {occurrence id: {column: number}})`` in one query."""
    rows = (
        Signup.objects.filter(occurrence_id__in=list(occurrence_ids))
        .values("occurrence_id")
        .annotate(
            signups=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
            confirmed=Count("pk", filter=Q(status=SignupStatus.CONFIRMED)),
            checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        )
    )
    return COLUMNS, {
        row["occurrence_id"]: {key: row[key] for key, _heading in COLUMNS} for row in rows
    }
