"""The 报名 link next to each occurrence with sign-up on event, lecture and course pages.

Those pages are cached for anonymous visitors, so only static facts go here (the capacity and
when sign-up opens); live seat counts are on the sign-up page itself.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from home.models import SignupMode
from home.occurrence_links import OccurrenceLink


def signup_links(occurrences) -> dict[int, list[OccurrenceLink]]:
    links = {}
    for occurrence in occurrences:
        if not occurrence.signup_enabled or occurrence.cancelled:
            continue
        parts = [f"名额 {occurrence.capacity} 人"]
        if occurrence.signup_mode == SignupMode.DRAW:
            parts.append("摇号")
        if occurrence.signup_opens:
            opens = timezone.localtime(occurrence.signup_opens)
            parts.append(f"{opens:%-m月%-d日 %H:%M} 开始报名")
        closes = timezone.localtime(occurrence.signup_closes_at)
        parts.append(f"{closes:%-m月%-d日 %H:%M} 截止")
        links[occurrence.pk] = [
            OccurrenceLink(
                label="报名",
                url=reverse("signup", args=[occurrence.pk]),
                note="，".join(parts),
                kind="signup",
            )
        ]
    return links
