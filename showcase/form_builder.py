"""The volunteer form's fields as residents need them: a 手机号码 field type validated like the
sign-up form's numbers, and drop-downs that start at 请选择 instead of pre-selecting a choice
the resident never made."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES

from signups.forms import AccessibleFormMixin, PhoneInput, clean_phone_value

PHONE_FIELD_TYPE = "phone"
VOLUNTEER_FIELD_CHOICES = (*FORM_FIELD_CHOICES, (PHONE_FIELD_TYPE, _("手机号码")))


class MobilePhoneField(forms.CharField):
    """A mainland mobile number, stored as its 11 digits (spaces, dashes, +86 removed)."""

    widget = PhoneInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return clean_phone_value(value, required=self.required)


class VolunteerForm(AccessibleFormMixin, BaseForm):
    """Ties each field's help text and error to its input for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.describe_fields()

    def full_clean(self):
        super().full_clean()
        self.describe_fields()


class VolunteerFormBuilder(FormBuilder):
    def get_form_class(self):
        return type("VolunteerForm", (VolunteerForm,), self.formfields)

    def create_phone_field(self, field, options):
        options["error_messages"] = {"required": _("请填写手机号码。")}
        return MobilePhoneField(**options)

    def create_dropdown_field(self, field, options):
        options["choices"] = [("", _("请选择")), *self.get_formatted_field_choices(field)]
        options["error_messages"] = {
            "required": _("请选择%(label)s。") % {"label": field.label},
            "invalid_choice": _("请从列表中选择%(label)s。") % {"label": field.label},
        }
        return forms.ChoiceField(**options)

    def get_field_options(self, field):
        options = super().get_field_options(field)
        if field.field_type not in ("dropdown", PHONE_FIELD_TYPE):
            options["error_messages"] = {
                "required": _("请填写“%(label)s”。") % {"label": field.label}
            }
        return options
