from django import template
from django.core.serializers.json import DjangoJSONEncoder

from core.public_urls import public_url
from home.cards import SHARE_RENDITION

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (``None`` removes one).

    Keeps the visitor's filters when moving between pages of a listing.
    """
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD block, escaped like Django's json_script so text cannot end it."""
    import json

    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    escaped = (
        json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
        .replace("<", "\\u003C")
        .replace(">", "\\u003E")
        .replace("&", "\\u0026")
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(escaped))


@register.simple_tag
def occurrence_links(occurrences):
    """``{% occurrence_links occurrences as links %}``: the hook's links by occurrence pk."""
    from home.occurrence_links import occurrence_links as collect

    return collect(occurrences)


@register.filter
def has_ended(occurrence) -> bool:
    """``{% if occurrence|has_ended %}``: no sign-up link beside a time that is over."""
    from django.utils import timezone

    return occurrence.end < timezone.now()


@register.filter
def is_happening(occurrence) -> bool:
    """``{% if occurrence|is_happening %}``: it has begun and not yet ended (正在进行)."""
    from django.utils import timezone

    return occurrence.start <= timezone.now() <= occurrence.end


@register.filter
def links_for(links, occurrence):
    """``{% for link in links|links_for:occurrence %}``"""
    return links.get(occurrence.pk, [])


SHARE_DESCRIPTION_LENGTH = 120


def _share_image(context, page):
    image = context.get("share_image")
    if image is None and page is not None:
        image = getattr(page, "card_image", None) or getattr(page, "hero_image", None)
    return image


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(context):
    """Open Graph and WeChat (schema.org ``itemprop``) share metadata for the current page.

    A view may set ``share_title``, ``share_description`` and ``share_image`` in its context
    (a routable sub-page such as a teacher's profile); otherwise the page's own SEO title,
    search description or card summary and card image are used. URLs are absolute, as
    WeChat and other crawlers require.
    """
    from django.templatetags.static import static
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    title = context.get("share_title") or (
        (page.seo_title or page.title) if page is not None else ""
    )
    description = context.get("share_description") or ""
    if not description and page is not None:
        description = (
            page.search_description
            or getattr(page, "card_summary", "")
            or getattr(page, "intro", "")
            or ""
        )
    description = Truncator(strip_tags(str(description)).strip()).chars(SHARE_DESCRIPTION_LENGTH)
    image = _share_image(context, page)
    if image is not None:
        rendition = image.get_rendition(SHARE_RENDITION)
        image_url, width, height = rendition.url, rendition.width, rendition.height
    else:
        image_url, width, height = static("img/share-default.png"), 600, 600
    return {
        "site_name": "郑州终身学习网",
        "title": title or "郑州终身学习网",
        "description": description or "郑州市社区教育和终身学习的公共服务平台。",
        "image_url": public_url(image_url),
        "image_width": width,
        "image_height": height,
        "url": public_url(request.path),
        "type": getattr(page, "og_type", "website") if page is not None else "website",
    }


SHARE_QR_LABEL = "本页二维码，用微信扫一扫打开"


@register.inclusion_tag("includes/share_qr.html", takes_context=True)
def share_qr(context, page=None):
    """扫码分享: a QR code of the page's public URL (``PUBLIC_BASE_URL``), as inline SVG.

    The same block on event, lecture, course and school pages; the SVG is made once per URL
    and process (``core.qr``), so a render only looks it up.
    """
    from django.utils.safestring import mark_safe

    from core.qr import qr_svg

    request = context.get("request")
    page = page or context.get("page")
    url = page.get_full_url(request) if page is not None else None
    if not url and request is not None:
        url = public_url(request.path)
    if not url:
        return {}
    return {"url": url, "svg": mark_safe(qr_svg(url, SHARE_QR_LABEL, "qr share-qr__code"))}
