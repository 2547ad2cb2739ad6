"""Demo learning resources for `manage.py load_demo` .

Each video and audio resource gets its own recording from demo/media/recordings/ (spoken from the
resource's text by scripts/make_demo_recordings.py, committed), with captions and chapters that
match the speech; the demo needs no ffmpeg and no download.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtailmedia.models import get_media_model

from demo.data.handouts import HANDOUTS, handout_pdf, handout_text
from demo.data.recordings import RESOURCE_SCRIPTS, Script
from demo.data.resources import CLOSING_PARAGRAPH, RESOURCES
from demo.helpers import DemoReport, ensure_child_page, ensure_image
from home.models import Audience, Category
from learning_resources.models import (
    ResourceDocument,
    ResourceGalleryImage,
    ResourceIndexPage,
    ResourcePage,
    TaggedResource,
)

DEMO_MEDIA_DIR = Path(__file__).resolve().parent.parent / "media"
RECORDINGS_DIR = DEMO_MEDIA_DIR / "recordings"


def ensure_media(report: DemoReport, title: str, media_type: str, filename: str, **fields):
    media_model = get_media_model()
    media = media_model.objects.filter(title=title).first()
    if media is not None:
        return media
    media = media_model(title=title, type=media_type, **fields)
    media.file.save(filename, ContentFile((RECORDINGS_DIR / filename).read_bytes()), save=False)
    media.save()
    report.add(f"音视频：{title}")
    return media


def ensure_document(report: DemoReport, title: str, filename: str, data: bytes):
    document_model = get_document_model()
    document = document_model.objects.filter(title=title).first()
    if document is not None:
        return document
    document = document_model(title=title)
    document.file.save(filename, ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    report.add(f"文档：{title}")
    return document


@cache
def recordings_manifest() -> dict:
    return json.loads((RECORDINGS_DIR / "manifest.json").read_text(encoding="utf-8"))


def ensure_recording(report: DemoReport, script: Script):
    """The script's recording as (media, captions, chapters): a Media row and two WebVTT documents."""
    entry = recordings_manifest()[script.key]
    label = "录像" if entry["type"] == "video" else "录音"
    size = {"width": entry["width"], "height": entry["height"]} if "width" in entry else {}
    media = ensure_media(
        report,
        f"{label}：{script.title}",
        entry["type"],
        entry["file"],
        duration=entry["duration"],
        **size,
    )
    captions = ensure_document(
        report,
        f"字幕：{script.title}",
        f"{script.key}.vtt",
        (RECORDINGS_DIR / f"{script.key}.vtt").read_bytes(),
    )
    chapters = None
    if len(script.chapters) > 1:
        chapters = ensure_document(
            report,
            f"章节：{script.title}",
            f"{script.key}.chapters.vtt",
            (RECORDINGS_DIR / f"{script.key}.chapters.vtt").read_bytes(),
        )
    return media, captions, chapters


def ensure_handouts(report: DemoReport, title: str):
    """The printable (PDF) and plain-text handouts about ``title``, or (None, None) if none."""
    sections = HANDOUTS.get(title)
    if sections is None:
        return None, None
    printable = ensure_document(
        report, f"{title}（讲义）", "handout.pdf", handout_pdf(title, sections)
    )
    text = ensure_document(
        report,
        f"{title}（讲义文字版）",
        "handout.txt",
        handout_text(title, sections).encode("utf-8"),
    )
    return printable, text


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def load_resources_demo(home, report: DemoReport) -> None:
    index = ensure_child_page(
        report,
        home,
        ResourceIndexPage,
        "resources",
        title="学习资源",
        intro="视频、音频、讲义和图文，随时随地学习。可以按类型、学习对象、内容类别和标签筛选。",
        show_in_menus=True,
    )
    gallery = [ensure_image(report, f"学习资源图集{number}", (960, 540)) for number in (1, 2)]
    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    categories = {category.slug: category for category in Category.objects.all()}

    existing_slugs = set(index.get_children().values_list("slug", flat=True))
    newest = timezone.now() - timedelta(hours=1)
    for position, row in enumerate(RESOURCES):
        slug, title, kind, category_slug, audience_slugs, tag_names, summary, text = row
        if slug in existing_slugs:
            continue
        fields = {
            "title": title,
            "summary": summary,
            "image": ensure_image(report, f"学习资源封面：{title}", (960, 540)),
            "category": categories.get(category_slug),
            "audiences": [audiences[s] for s in audience_slugs if s in audiences],
            "tagged_items": [
                TaggedResource(tag=Tag.objects.get_or_create(name=name)[0]) for name in tag_names
            ],
            "source": "郑州市社区教育指导服务中心",
            "search_description": summary,
        }
        if kind in ("video", "audio"):
            script = RESOURCE_SCRIPTS[slug]
            media, captions, chapters = ensure_recording(report, script)
            fields.update(
                {kind: media},
                caption_file=captions,
                chapters_file=chapters,
                transcript=script.transcript_html(),
                body=[{"type": "paragraph", "value": _paragraphs(summary, CLOSING_PARAGRAPH)}],
            )
        elif kind == "document":
            printable, text_version = ensure_handouts(report, title)
            fields.update(
                documents=[
                    ResourceDocument(document=printable, title=f"{title}（打印版）"),
                    ResourceDocument(document=text_version, title=f"{title}（文字版）"),
                ],
                body=[{"type": "paragraph", "value": _paragraphs(text, CLOSING_PARAGRAPH)}],
            )
        else:
            fields.update(
                gallery_images=[
                    ResourceGalleryImage(image=image, caption=f"{title}（示意图{number}）")
                    for number, image in enumerate(gallery, start=1)
                ],
                body=[{"type": "paragraph", "value": _paragraphs(text, CLOSING_PARAGRAPH)}],
            )
        page = ensure_child_page(report, index, ResourcePage, slug, **fields)
        # Spread publication dates so "newest first" has a visible order: the list's order.
        published = newest - timedelta(days=position)
        Page.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )
