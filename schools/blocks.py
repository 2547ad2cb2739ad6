from django.utils.translation import gettext_lazy as _
from wagtail import blocks

WEEKDAYS = [
    ("1", "周一"),
    ("2", "周二"),
    ("3", "周三"),
    ("4", "周四"),
    ("5", "周五"),
    ("6", "周六"),
    ("7", "周日"),
]
WEEKDAY_NAMES = dict(WEEKDAYS)


def describe_days(day_numbers) -> str:
    """'周一至周五', '周六、周日', '每天': consecutive runs of three or more become ranges."""
    days = sorted({int(day) for day in day_numbers})
    if len(days) == 7:
        return "每天"
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAY_NAMES[str(run[0])]}至{WEEKDAY_NAMES[str(run[-1])]}")
        else:
            parts.extend(WEEKDAY_NAMES[str(day)] for day in run)
    return "、".join(parts)


class OpeningHoursValue(blocks.StructValue):
    def days_label(self):
        return describe_days(self.get("days") or [])


class OpeningHoursBlock(blocks.StructBlock):
    days = blocks.MultipleChoiceBlock(label=_("开放日"), choices=WEEKDAYS)
    opens = blocks.TimeBlock(label=_("开始时间"), format="%H:%M")
    closes = blocks.TimeBlock(label=_("结束时间"), format="%H:%M")
    note = blocks.CharBlock(label=_("备注"), required=False, max_length=60)

    class Meta:
        icon = "time"
        label = _("开放时间")
        value_class = OpeningHoursValue

    def clean(self, value):
        value = super().clean(value)
        if value["opens"] and value["closes"] and value["closes"] <= value["opens"]:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "closes": blocks.BlockValidationError(_("结束时间必须晚于开始时间。"))
                }
            )
        return value
