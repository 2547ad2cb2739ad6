"""The /search/ page's data: results, facets per page type, editors' promotions, help links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, get_page_models
from wagtail.search.utils import normalise_query_string

from home.filters import PageOfResults, is_plausible_value, paginate

from .query import ParsedQuery, search_pages, searchable_pages
from .relaxed import relaxed_pages
from .results import SearchHit, build_hits, model_label, type_label

PER_PAGE = 10
MAX_PROMOTIONS = 5
# Backends without facet support count the types of at most this many results.
FACET_FALLBACK_LIMIT = 1000

# Where to go when a search finds nothing: (page model name, link text). Only pages that exist
# are linked; a model that is not installed on this branch is skipped.
HELP_DESTINATIONS = [
    ("EventIndexPage", "查看活动日历，看看最近有哪些活动"),
    ("CommunityUniversityPage", "在社区学校目录中找一找离家近的学校"),
    ("CourseIndexPage", "浏览课程目录"),
    ("ResourceIndexPage", "浏览学习资源库"),
]


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Promotion:
    title: str
    url: str
    description: str
    hit: SearchHit | None = None


@dataclass
class SearchOutcome:
    parsed: ParsedQuery
    results: PageOfResults | None = None
    hits: list[SearchHit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    total: int = 0
    selected_type: str = ""
    selected_type_label: str = ""
    promotions: list[Promotion] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    # Results below the strict ones that cover only part of the query (search.relaxed).
    partial_count: int = 0


def page_model_for(value: str) -> type[Page] | None:
    """``app_label.model`` of a concrete page model, else None (never raises)."""
    if not value or not is_plausible_value(value) or value.count(".") != 1:
        return None
    app_label, model_name = value.split(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
    return model if model in get_page_models() and not model._meta.abstract else None


def type_counts(results) -> dict[int, int]:
    """Results per content type id: the backend's facet when it has one, else a bounded count."""
    if getattr(results, "supports_facet", False):
        return dict(results.facet("content_type_id"))
    return Counter(page.content_type_id for page in results[:FACET_FALLBACK_LIMIT])


def build_facets(counts: dict[int, int], selected: str) -> list[Facet]:
    facets = []
    for content_type_id, count in counts.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not count:
            continue
        value = model_label(model)
        facets.append(Facet(value, type_label(model), count, selected=value == selected))
    return sorted(facets, key=lambda facet: (-facet.count, facet.label))


def find_promotions(parsed: ParsedQuery, base) -> list[tuple[SearchPromotion, Page | None]]:
    """Editors' picks for this query, in their order; pages that are not live and public drop out.

    Looks promotions up without ``Query.get``, which would create a row for every query typed.
    """
    promotions = list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(parsed.text))
        .order_by("sort_order", "pk")
        .only("page_id", "external_link_url", "external_link_text", "description")[:MAX_PROMOTIONS]
    )
    page_ids = [promotion.page_id for promotion in promotions if promotion.page_id]
    visible = {page.pk: page for page in base.filter(pk__in=page_ids)} if page_ids else {}
    picked = []
    for promotion in promotions:
        if promotion.page_id:
            if promotion.page_id in visible:
                picked.append((promotion, visible[promotion.page_id]))
        elif promotion.external_link_url:
            picked.append((promotion, None))
    return picked


def run_search(parsed: ParsedQuery, *, type_value: str = "", page_number: str | None = None):
    outcome = SearchOutcome(parsed=parsed)
    if parsed.truncated:
        outcome.messages.append("搜索内容太长，只使用了前面的部分。")
    model = None
    if type_value:
        model = page_model_for(type_value)
        if model is None:
            shown = "".join(character for character in type_value[:30] if ord(character) >= 32)
            outcome.messages.append(f"没有“{shown}”这种内容类型，已显示全部类型的结果。")
        else:
            outcome.selected_type = model_label(model)
            outcome.selected_type_label = type_label(model)
    if parsed.is_empty:
        return outcome

    base = searchable_pages()
    promoted = find_promotions(parsed, base)
    promoted_ids = [page.pk for _promotion, page in promoted if page is not None]
    organic = base.exclude(pk__in=promoted_ids) if promoted_ids else base

    all_results = organic.search(parsed.query, order_by_relevance=True)
    counts = type_counts(all_results)
    outcome.facets = build_facets(counts, outcome.selected_type)
    if model is not None:
        results = organic.exact_type(model).search(parsed.query, order_by_relevance=True)
    else:
        results = all_results
    outcome.results = paginate(results, page_number, PER_PAGE)
    if outcome.results.message:
        outcome.messages.append(outcome.results.message)
    outcome.total = outcome.results.page.paginator.count

    on_first_page = outcome.results.page.number == 1
    shown_promotions = [
        (promotion, page)
        for promotion, page in promoted
        if on_first_page and (model is None or (page is not None and page.specific_class is model))
    ]
    promoted_pages = [page for _promotion, page in shown_promotions if page is not None]
    result_pages = list(outcome.results.page.object_list)
    # Strict first, relaxed after: fewer than a page of results is topped up with partial matches.
    # (First the matches through the editors' synonyms, counted in the total; then the partial.)
    more_pages = []
    if on_first_page and outcome.total < PER_PAGE:
        more_pages = relaxed_pages(
            parsed,
            organic.exact_type(model) if model is not None else organic,
            exclude=[page.pk for page in result_pages],
            limit=PER_PAGE - len(result_pages),
        )
    partial_ids = {page.pk for page in more_pages if page.partial_match}
    outcome.partial_count = len(partial_ids)
    outcome.total += len(more_pages) - len(partial_ids)
    result_pages += more_pages
    hits = build_hits(promoted_pages + result_pages, parsed.highlight_terms)
    for hit in hits[len(promoted_pages) :]:
        hit.partial = hit.page.pk in partial_ids
    promoted_hits = {hit.page.pk: hit for hit in hits[: len(promoted_pages)]}
    outcome.hits = hits[len(promoted_pages) :]
    for promotion, page in shown_promotions:
        if page is not None:
            hit = promoted_hits[page.pk]
            outcome.promotions.append(Promotion(hit.page.title, "", promotion.description, hit))
        else:
            title = promotion.external_link_text or promotion.external_link_url
            outcome.promotions.append(
                Promotion(title, promotion.external_link_url, promotion.description)
            )
    return outcome


def help_links(request) -> list[tuple[str, str]]:
    """Links to the calendar, the school directory and the catalogues that exist on this site."""
    models_by_name = {model.__name__: model for model in get_page_models()}
    wanted = [
        (models_by_name[name], text) for name, text in HELP_DESTINATIONS if name in models_by_name
    ]
    if not wanted:
        return []
    content_types = ContentType.objects.get_for_models(*(model for model, _text in wanted))
    pages_by_type = {}
    for page in searchable_pages().filter(content_type__in=content_types.values()).order_by("path"):
        pages_by_type.setdefault(page.content_type_id, page)
    links = []
    for model, text in wanted:
        page = pages_by_type.get(content_types[model].pk)
        url = page.get_url(request) if page is not None else None
        if url:
            links.append((url, text))
    return links


__all__ = ["PER_PAGE", "help_links", "run_search", "search_pages"]
