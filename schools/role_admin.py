"""设置 → 社区角色: give a user the community-worker or moderator role for a school subtree, or
take it away, from the admin (what `manage.py assign_role` does, through schools.roles)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.models import Page

from .models import CommunityCentrePage, CommunityCollegePage, CommunitySchoolPage, SchoolRole
from .roles import assign_role, revoke_role

MANAGE_USERS = "auth.change_user"


def can_manage_roles(user) -> bool:
    """Those who may manage users (superusers, or a group given user management)."""
    return user.is_active and (user.is_superuser or user.has_perm(MANAGE_USERS))


def _scope_label(page: Page) -> str:
    """Indented by level below the district (社区学院), so the tree reads in a plain list."""
    district_depth = 4
    return "　" * max(page.depth - district_depth, 0) + page.title


class RoleForm(forms.Form):
    user = forms.ModelChoiceField(
        label="用户",
        queryset=get_user_model().objects.none(),
        empty_label="请选择用户",
        error_messages={"required": "请选择用户。", "invalid_choice": "没有这个用户，请重新选择。"},
    )
    role = forms.ChoiceField(
        label="角色",
        choices=SchoolRole.ROLE_CHOICES,
        widget=forms.RadioSelect,
        initial=SchoolRole.WORKER,
        help_text="社区工作者可以在负责范围内添加和修改内容，提交后由区县审核员审核发布；"
        "区县审核员负责整个区县，可以审核和发布。",
        error_messages={"required": "请选择角色。", "invalid_choice": "请选择列出的角色。"},
    )
    scope = forms.ModelChoiceField(
        label="负责范围",
        queryset=Page.objects.none(),
        empty_label="请选择区县、街道中心、社区学校或学习点",
        help_text="可以是区县社区学院、社区教育中心、社区学校或学习点；"
        "区县审核员总是负责所选页面所在的整个区县。",
        error_messages={
            "required": "请选择负责范围。",
            "invalid_choice": "没有这个负责范围，请重新选择。",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True, is_superuser=False)
        self.fields["user"].queryset = users.order_by("last_name", "first_name", "username")
        self.fields["user"].label_from_instance = _user_label
        self.fields["scope"].queryset = scope_pages()
        self.fields["scope"].label_from_instance = _scope_label


def scope_pages():
    """Districts, centres, schools and learning points, in tree order."""
    return Page.objects.type(
        CommunityCollegePage, CommunityCentrePage, CommunitySchoolPage
    ).order_by("path")


def _user_label(user) -> str:
    """赵社工（zhao_worker）: a Chinese name is written family name first, with no space."""
    name = f"{user.last_name}{user.first_name}".strip()
    return f"{name}（{user.get_username()}）" if name else user.get_username()


def _holders():
    """Every member of a community-role group, with the role, in tree order."""
    roles = SchoolRole.objects.select_related("group", "page").order_by("page__path", "role")
    rows = []
    for school_role in roles.prefetch_related("group__user_set"):
        for member in sorted(school_role.group.user_set.all(), key=lambda u: u.get_username()):
            rows.append({"user": member, "label": _user_label(member), "role": school_role})
    return rows


def index(request, form=None, status=200):
    if not can_manage_roles(request.user):
        raise PermissionDenied
    return render(
        request,
        "schools/admin/community_roles.html",
        {"form": form or RoleForm(), "holders": _holders()},
        status=status,
    )


@require_POST
def assign(request):
    if not can_manage_roles(request.user):
        raise PermissionDenied
    form = RoleForm(request.POST)
    if not form.is_valid():
        return index(request, form=form, status=400)
    user, role, scope = (form.cleaned_data[key] for key in ("user", "role", "scope"))
    try:
        group = assign_role(user, role, scope)
    except ValueError as error:
        form.add_error("scope", str(error))
        return index(request, form=form, status=400)
    messages.success(request, f"已将 {_user_label(user)} 设为“{group.name}”。")
    return redirect(reverse("community_roles:index"))


@require_POST
def revoke(request):
    if not can_manage_roles(request.user):
        raise PermissionDenied
    user = get_user_model().objects.filter(pk=_int(request.POST.get("user"))).first()
    school_role = SchoolRole.objects.filter(pk=_int(request.POST.get("role"))).first()
    if user is None or school_role is None or not user.groups.filter(pk=school_role.group_id):
        messages.error(request, "没有找到这个角色，可能已经撤销。")
        return redirect(reverse("community_roles:index"))
    revoke_role(user, school_role)
    messages.success(request, f"已撤销 {_user_label(user)} 的“{school_role.group.name}”角色。")
    return redirect(reverse("community_roles:index"))


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None
