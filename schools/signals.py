"""Keep roles in step with the tree, and tell reviewers when something awaits them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import TaskState
from wagtail.signals import page_published, task_submitted

from .models import CommunityCollegePage, CommunityUniversityPage, DistrictReviewTask


def create_district_roles(sender, instance, **kwargs):
    """A newly published district gets its moderator and worker groups and its collection."""
    from .roles import ensure_district_roles

    ensure_district_roles(instance)


def attach_moderation_workflow(sender, instance, **kwargs):
    from .roles import ensure_moderation_workflow

    ensure_moderation_workflow(instance)


class DistrictReviewSubmissionNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    """E-mails everyone who can review the submitted page (its district's moderators)."""

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        return isinstance(instance, TaskState) and isinstance(
            instance.task.specific, DistrictReviewTask
        )

    def get_recipient_users(self, task_state, **kwargs):
        page = task_state.workflow_state.content_object
        ancestors = page.get_ancestors(inclusive=True)
        reviewers = get_user_model().objects.filter(
            is_active=True,
            groups__page_permissions__page__in=ancestors,
            groups__page_permissions__permission__codename="publish_page",
        )
        if getattr(settings, "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS", True):
            reviewers = reviewers | get_user_model().objects.filter(
                is_superuser=True, is_active=True
            )
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            reviewers = reviewers.exclude(pk=triggering_user.pk)
        return reviewers.distinct()


district_review_notifier = DistrictReviewSubmissionNotifier()


def connect():
    page_published.connect(
        create_district_roles, sender=CommunityCollegePage, dispatch_uid="zz_district_roles"
    )
    page_published.connect(
        attach_moderation_workflow,
        sender=CommunityUniversityPage,
        dispatch_uid="zz_moderation_workflow",
    )
    task_submitted.connect(
        district_review_notifier, sender=TaskState, dispatch_uid="zz_district_review_submitted"
    )
