import hashlib
from collections import Counter
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from .query import parse_query
from .site_search import help_links, run_search, scope_for
from .tags import MAX_ITEMS_PER_TYPE, find_tag, tagged_pages_by_type

SUGGEST_MIN_CHARACTERS = 2
SUGGEST_LIMIT = 8
SUGGEST_CACHE_SECONDS = 60
# Titles repeat (a weekly activity at several schools): read a few more to fill eight lines.
SUGGEST_OVERFETCH = 3


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


@require_GET
def search_page(request):
    """/search/?q=…&type=app_label.model&page=N: the site search. Bad input never gives a 500."""
    parsed = parse_query(request.GET.get("q"))
    outcome = run_search(
        parsed,
        type_value=(request.GET.get("type") or "").strip(),
        page_number=request.GET.get("page"),
        use_places=request.GET.get("place") != "off",
    )
    context = {
        "outcome": outcome,
        "query_text": parsed.text,
        "results": outcome.results,
        "help_links": help_links(request) if parsed.is_empty or not outcome.total else [],
    }
    return TemplateResponse(request, "search/search_page.html", context)


@require_GET
def suggest(request):
    """/search/suggest/?q=…: up to eight titles for the search box, as JSON."""
    # The last word may be a syllable still being typed (taij → 太极…).
    parsed = parse_query(request.GET.get("q"), complete_last=True)
    suggestions = []
    if len("".join(parsed.pieces)) >= SUGGEST_MIN_CHARACTERS:
        key = "search-suggest:" + hashlib.sha256(parsed.text.encode()).hexdigest()
        suggestions = cache.get(key)
        if suggestions is None:
            entries: dict[str, dict] = {}
            counts: Counter = Counter()
            # Without the repeats of recurring activities (one line each, linking to the next).
            found = scope_for(parsed, use_places=False).results()
            for page in found[: SUGGEST_LIMIT * SUGGEST_OVERFETCH]:
                model = ContentType.objects.get_for_id(page.content_type_id).model_class()
                url = page.get_url(request)
                if model is None or not url:
                    continue
                counts[page.title] += 1
                if page.title not in entries and len(entries) < SUGGEST_LIMIT:
                    entries[page.title] = {
                        "title": page.title,
                        "url": url,
                        "type": str(model._meta.verbose_name),
                    }
            for title, entry in entries.items():
                if counts[title] > 1:
                    # One line per title: picking it searches for the title, and the results
                    # tell the places and dates apart.
                    entry["url"] = f"{reverse('search')}?{urlencode({'q': title})}"
                    entry["type"] += f"（共 {counts[title]} 项）"
            suggestions = list(entries.values())
            cache.set(key, suggestions, SUGGEST_CACHE_SECONDS)
    response = JsonResponse(
        {"query": parsed.text, "suggestions": suggestions},
        json_dumps_params={"ensure_ascii": False},
    )
    patch_cache_control(response, public=True, max_age=SUGGEST_CACHE_SECONDS)
    return response
