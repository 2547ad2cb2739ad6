from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BOOKING_CODE_LENGTH, AgeGroup, normalize_booking_code
from .phones import normalize_contact_number, normalize_phone

PHONE_ERROR = _("请填写正确的 11 位手机号码，例如 13812345678。")


class PhoneInput(forms.TextInput):
    """A mobile number: the phone's number pad, and the browser may offer the saved number."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "tel", "inputmode": "tel", **(attrs or {})})


class AccessibleFormMixin:
    """Ties each field's help text and errors to its input (aria-describedby, aria-invalid),
    so a screen reader reads the message when the input gets focus."""

    def describe_fields(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if self.is_bound and bound.errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


def clean_phone_value(value: str, required: bool = True) -> str:
    """The normalised number, or a ValidationError with the site's one Chinese message."""
    if not value and not required:
        return ""
    phone = normalize_phone(value)
    if phone is None:
        raise forms.ValidationError(PHONE_ERROR, code="phone")
    return phone


class SignupForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("参加人姓名"),
        max_length=40,
        error_messages={"required": _("请填写参加人的姓名。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("参加人手机号"),
        max_length=20,
        help_text=_("11 位中国大陆手机号，用于核对身份；页面上只显示为 138****1234 的样式。"),
        error_messages={"required": _("请填写参加人的手机号。")},
        widget=PhoneInput(),
    )
    age_group = forms.ChoiceField(
        label=_("年龄段"),
        choices=AgeGroup.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择参加人的年龄段。"),
            "invalid_choice": _("请选择参加人的年龄段。"),
        },
    )
    for_someone_else = forms.BooleanField(label=_("我是替家人或朋友报名"), required=False)
    helper_name = forms.CharField(
        label=_("代报名人（您）的姓名"),
        max_length=40,
        required=False,
        help_text=_("替别人报名时填写，方便主办方联系。"),
    )
    helper_phone = forms.CharField(
        label=_("代报名人（您）的手机号"), max_length=20, required=False, widget=PhoneInput()
    )
    email = forms.EmailField(
        label=_("电子邮箱（选填）"),
        required=False,
        help_text=_("填写后，报名结果和候补变化会发到这个邮箱。"),
        error_messages={"invalid": _("请填写正确的电子邮箱地址。")},
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意上面的个人信息说明"),
        error_messages={"required": _("请阅读并同意个人信息说明后再提交。")},
    )

    def __init__(self, *args, email_enabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not email_enabled:
            del self.fields["email"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("请填写参加人的姓名。"))
        return name

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])

    def clean_helper_phone(self):
        return clean_phone_value(self.cleaned_data["helper_phone"], required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("for_someone_else"):
            if not cleaned.get("helper_name"):
                self.add_error("helper_name", _("替别人报名时，请填写您自己的姓名。"))
            if not cleaned.get("helper_phone") and "helper_phone" not in self.errors:
                self.add_error("helper_phone", _("替别人报名时，请填写您自己的手机号。"))
        else:
            cleaned["helper_name"] = ""
            cleaned["helper_phone"] = ""
        return cleaned


CONTACT_RELATIONS = [
    ("", _("本人的电话")),
    ("子女", _("子女")),
    ("配偶", _("配偶")),
    ("其他亲属", _("其他亲属")),
    ("邻居", _("邻居")),
]


class OfflineSignupForm(AccessibleFormMixin, forms.Form):
    """A desk sign-up entered by a community worker in the admin. Many elders have only a
    landline, or are reached through a child's or neighbour's mobile: either number is stored
    in ``phone`` (the number the one-sign-up-per-number rule and the weekly limit count)."""

    name = forms.CharField(label=_("姓名"), max_length=40)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        help_text=_(
            "手机号，或带区号的座机（例如 0371-12345678）；老人没有电话时，填家属的手机号并选择关系。"
        ),
        widget=PhoneInput(),
    )
    contact_relation = forms.ChoiceField(
        label=_("这个电话是谁的"),
        choices=CONTACT_RELATIONS,
        required=False,
        widget=forms.RadioSelect,
    )
    contact_relation_other = forms.CharField(
        label=_("其他关系（可不填）"),
        max_length=20,
        required=False,
        help_text=_("上面没有合适的选项时填写，例如“侄女”“楼长”。"),
    )
    age_group = forms.ChoiceField(
        label=_("年龄段"), choices=AgeGroup.choices, initial=AgeGroup.ELDER
    )
    consent = forms.BooleanField(
        label=_("已向本人说明个人信息用途，本人同意"),
        error_messages={"required": _("请先向本人说明个人信息用途并取得同意。")},
    )

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        phone = normalize_contact_number(value)
        if phone is None:
            digits = "".join(ch for ch in value if ch.isdigit())
            if 6 <= len(digits) <= 8:
                message = _("座机号码请加上区号，例如 0371-12345678。")
            else:
                message = _(
                    "请填写 11 位手机号（例如 13812345678）或带区号的座机（例如 0371-12345678）。"
                )
            raise forms.ValidationError(message, code="phone")
        return phone

    def clean(self):
        data = super().clean()
        other = (data.get("contact_relation_other") or "").strip()
        data["contact_relation"] = other or data.get("contact_relation") or ""
        return data


class BookingLookupForm(AccessibleFormMixin, forms.Form):
    """我的报名: the number signed up with and the 报名码 from the confirmation page."""

    phone = forms.CharField(
        label=_("报名时填写的手机号"),
        max_length=20,
        help_text=_("参加人的手机号，替家人报名时也填参加人的号码。"),
        error_messages={"required": _("请填写报名时的手机号。")},
        widget=PhoneInput(),
    )
    booking_code = forms.CharField(
        label=_("报名码"),
        max_length=20,
        help_text=_("报名成功页上的 %(length)s 位字母和数字，例如 K7PX3M；大小写都可以。")
        % {"length": BOOKING_CODE_LENGTH},
        error_messages={"required": _("请填写报名码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_phone(self):
        # Elders registered at a learning point's desk may have given a landline.
        phone = normalize_contact_number(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(PHONE_ERROR, code="phone")
        return phone

    def clean_booking_code(self):
        code = normalize_booking_code(self.cleaned_data["booking_code"])
        if code is None:
            raise forms.ValidationError(
                _("报名码是 %(length)s 位字母和数字，请照报名成功页上的样子填写。")
                % {"length": BOOKING_CODE_LENGTH},
                code="booking_code",
            )
        return code
