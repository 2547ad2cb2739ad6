"""The 我的社区 panel on a community worker's or moderator's admin dashboard."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState, get_default_page_content_type

from .models import SchoolPage
from .roles import scopes_for

RECENT_LIMIT = 10


class MyCommunityPanel(Component):
    name = "my_community"
    template_name = "schools/admin/my_community_panel.html"
    order = 50

    def render_html(self, parent_context):
        request = parent_context["request"]
        if not scopes_for(request.user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        user = request.user
        scopes = []
        for role in scopes_for(user):
            scope = role.page.specific
            shortcuts = [
                {
                    "label": f"发布{model._meta.verbose_name}",
                    "url": reverse(
                        "wagtailadmin_pages:add",
                        args=(model._meta.app_label, model._meta.model_name, scope.pk),
                    ),
                }
                for model in scope.specific_class.allowed_subpage_models()
                if not issubclass(model, SchoolPage)
            ]
            scopes.append(
                {
                    "role": role,
                    "page": scope,
                    "shortcuts": shortcuts,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=(scope.pk,)),
                    "explore_url": reverse("wagtailadmin_explore", args=(scope.pk,)),
                }
            )
        my_pages = list(
            Page.objects.filter(owner=user)
            .exclude(depth__lte=2)
            .order_by("-latest_revision_created_at", "-pk")[:RECENT_LIMIT]
        )
        states = {
            int(state.object_id): state
            for state in WorkflowState.objects.filter(
                base_content_type=get_default_page_content_type(),
                object_id__in=[str(page.pk) for page in my_pages],
            )
            .exclude(status=WorkflowState.STATUS_CANCELLED)
            .order_by("created_at")
        }
        rows = []
        for page in my_pages:
            state = states.get(page.pk)
            rows.append(
                {
                    "page": page,
                    "status": _status_label(page, state),
                    "comment": _rejection_comment(state),
                    "edit_url": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                }
            )
        return {"scopes": scopes, "rows": rows}


def _status_label(page: Page, state: WorkflowState | None) -> str:
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return "待审核"
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "需修改"
    if page.live and page.has_unpublished_changes:
        return "已发布（有未提交的修改）"
    if page.live:
        return "已发布"
    return "草稿"


def _rejection_comment(state: WorkflowState | None) -> str:
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return ""
    rejected = state.task_states.filter(status="rejected").order_by("-finished_at").first()
    return rejected.comment if rejected else ""
