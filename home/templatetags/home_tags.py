from django import template
from django.core.serializers.json import DjangoJSONEncoder

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
def links_for(links, occurrence):
    """``{% for link in links|links_for:occurrence %}``"""
    return links.get(occurrence.pk, [])
