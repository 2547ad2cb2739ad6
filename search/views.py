from django.template.response import TemplateResponse

from .tags import MAX_ITEMS_PER_TYPE, find_tag, tagged_pages_by_type


def tag_page(request, tag_slug: str):
    """/tags/<tag>/: everything live and public carrying the tag, grouped by page type."""
    tag = find_tag(tag_slug)
    groups = tagged_pages_by_type(tag) if tag is not None else []
    context = {
        "tag": tag,
        "tag_text": tag.name if tag is not None else tag_slug[:50],
        "groups": groups,
        "total": sum(len(group.items) for group in groups),
        "max_per_type": MAX_ITEMS_PER_TYPE,
    }
    status = 200 if groups else 404
    return TemplateResponse(request, "search/tag_page.html", context, status=status)
