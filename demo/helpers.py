"""Building blocks for `manage.py load_demo`, shared by every demo loader in `demo.loaders`.

A loader is a function taking the home page and a ``DemoReport`` (the command lists them, in
order, in ``demo/management/commands/load_demo.py``). Loaders only create what is missing, so running the command
again changes nothing (and says so); an editor's later changes to demo pages are kept.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page

from home.collections import shared_collection


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, label: str) -> None:
        self.created.append(label)

    def login(self, role: str, username: str, password: str) -> None:
        if (role, username, password) not in self.logins:
            self.logins.append((role, username, password))


def ensure_child_page(report: DemoReport, parent: Page, page_class, slug: str, **fields):
    """Return the child of ``parent`` with ``slug``, creating it live when missing.

    Demo pages are saved once, live, without a first revision: publishing a revision costs
    three saves (and three search-index updates) per page, which makes loading hundreds of
    demo pages slow. The first edit in the admin creates the revision history as usual.
    """
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    published_at = fields.pop("first_published_at", None) or timezone.now()
    page = page_class(
        slug=slug,
        live=True,
        first_published_at=published_at,
        last_published_at=published_at,
        **fields,
    )
    parent.add_child(instance=page)
    report.add(f"{page_class._meta.verbose_name}：{page.title}")
    return page


def _demo_picture(seed: str, size: tuple[int, int]) -> bytes:
    """A soft abstract picture (gradient and circles), made locally and repeatably from a seed."""
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())
    width, height = size
    hue = rng.random()
    top = [int(c * 255) for c in colorsys.hls_to_rgb(hue, 0.42, 0.55)]
    bottom = [int(c * 255) for c in colorsys.hls_to_rgb((hue + 0.12) % 1, 0.25, 0.6)]
    picture = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        mix = y / max(height - 1, 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(7):
        radius = rng.randint(height // 8, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        light = [
            int(c * 255) for c in colorsys.hls_to_rgb((hue + rng.random() * 0.2) % 1, 0.7, 0.5)
        ]
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius], outline=tuple(light), width=6
        )
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def ensure_image(report: DemoReport, title: str, size: tuple[int, int] = (1200, 675)):
    """Return the demo image called ``title``, generating it the first time."""
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).first()
    if image is not None:
        return image
    slug = hashlib.sha1(title.encode()).hexdigest()[:12]
    image = image_model(title=title, collection=shared_collection())
    image.file = ImageFile(io.BytesIO(_demo_picture(title, size)), name=f"demo-{slug}.jpg")
    image.save()
    report.add(f"图片：{title}")
    return image


def ensure_group(report: DemoReport, name: str, permission_codenames: list[str]) -> Group:
    """A group with at least the given ``app_label.codename`` permissions."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        report.add(f"用户组：{name}")
    wanted = []
    for dotted in permission_codenames:
        app_label, codename = dotted.split(".")
        wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    missing = [perm for perm in wanted if not group.permissions.filter(pk=perm.pk).exists()]
    if missing:
        group.permissions.add(*missing)
    return group


def ensure_user(
    report: DemoReport,
    *,
    role: str,
    username: str,
    password: str,
    full_name: str,
    groups=(),
    superuser: bool = False,
):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(
            username=username,
            first_name=full_name,
            email=f"{username}@zzlearning.example",
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.set_password(password)
        user.save()
        report.add(f"演示用户：{username}")
    for group in groups:
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
    report.login(role, username, password)
    return user
