"""The call for volunteers (志愿者招募): a form page whose submissions stay in the admin."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.segmentation import SegmentedSearchMixin
from home.page_base import BasePage

from ..form_builder import VOLUNTEER_FIELD_CHOICES, VolunteerFormBuilder
from ..submissions import MaskedSubmissionsListView


class VolunteerFormField(AbstractFormField):
    page = ParentalKey(
        "showcase.VolunteerPage", on_delete=models.CASCADE, related_name="form_fields"
    )
    # Wagtail's types plus 手机号码 (validated, the phone's number pad; see form_builder.py).
    field_type = models.CharField(
        verbose_name=_("field type"), max_length=16, choices=VOLUNTEER_FIELD_CHOICES
    )
    field_type.required_on_save = True


class VolunteerPage(BasePage, AbstractEmailForm):
    """A call for volunteers (志愿者招募) with a sign-up form built by the editors.

    Submissions are stored and shown only in the admin (to whoever may edit this page); the
    notification e-mail says that someone signed up, never who, so no personal data leaves
    the database. The form posts, so nothing typed appears in a URL or an access log.
    """

    intro = RichTextField(
        _("招募说明"), blank=True, features=["bold", "italic", "ul", "ol", "link"]
    )
    privacy_notice = models.TextField(
        _("个人信息说明"),
        default=(
            "您填写的信息仅用于志愿服务的联系和安排，只有本网站的编辑人员可以查看，"
            "不会公开或提供给第三方。"
        ),
    )
    thank_you_text = RichTextField(_("提交后显示"), blank=True, features=["bold", "italic", "link"])

    form_builder = VolunteerFormBuilder

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("表单项")),
        FieldPanel("privacy_notice"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("新报名提醒邮件（不含报名人信息）"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("志愿者招募")

    def get_submissions_list_view_class(self):
        return MaskedSubmissionsListView

    def send_mail(self, form):
        """Tell the editors there is a new sign-up; the data stays in the admin."""
        admin_url = reverse("wagtailforms:list_submissions", args=[self.pk])
        send_mail(
            self.subject or f"{self.title}：有新的报名",
            f"“{self.title}”收到一份新的志愿者报名。请登录管理后台查看：{admin_url}",
            self.from_address,
            [address.strip() for address in self.to_address.split(",") if address.strip()],
        )

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        form = getattr(response, "context_data", {}).get("form")
        if request.method == "POST" and form is not None and form.errors:
            response.status_code = 400  # shown again with the errors: nothing was stored
        # A page with a form and a CSRF token must never come out of a shared cache.
        response["Cache-Control"] = "private, no-store"
        return response
