"""The /search/ page's data: results, facets per page type, editors' promotions, help links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, get_page_models
from wagtail.search.utils import normalise_query_string

from home.filters import PageOfResults, is_plausible_value, paginate

from .facts import SearchFacts, site_facts
from .places import PlaceMatch, find_place
from .query import ParsedQuery, parse_query, search_pages, searchable_pages
from .relaxed import relaxed_pages
from .results import SearchHit, build_hits, model_label, still_to_come_first, type_label

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
class Scope:
    """Where and what to search for one typed query.

    ``query`` is what is searched: the typed query, or its rest once a place it names is taken
    out (``place``); ``base`` is the live, public pages within that place, without the repeats
    of recurring activities (``search.facts``).
    """

    parsed: ParsedQuery
    query: ParsedQuery
    base: QuerySet
    facts: SearchFacts
    place: PlaceMatch | None = None

    @property
    def highlight_terms(self) -> list[str]:
        names = self.place.names if self.place else []
        return sorted(set(self.query.highlight_terms) | set(names), key=len, reverse=True)

    def results(self, pages: QuerySet | None = None):
        """Best first: the search's order, or, for a place alone, the place and then its tree."""
        pages = self.base if pages is None else pages
        if not self.query.is_empty:
            return pages.search(self.query.query, order_by_relevance=True)
        place_ids = self.place.place_ids if self.place else []
        return pages.annotate(
            place_first=Case(
                When(pk__in=place_ids, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by("place_first", "path")

    def more(self, pages: QuerySet | None = None, *, exclude=(), limit: int = PER_PAGE):
        """Below fewer than a page of strict results: synonym matches, then partial ones."""
        if self.query.is_empty:
            return []  # a place alone: its pages are all listed already
        pages = self.base if pages is None else pages
        return relaxed_pages(self.query, pages, exclude=exclude, limit=limit)

    def top(self, limit: int = PER_PAGE) -> list[Page]:
        """The first ``limit`` answers as /search/ lists them (for measuring: search_recall)."""
        found = list(self.results()[:limit])
        if len(found) < limit:
            found += self.more(exclude=[page.pk for page in found], limit=limit - len(found))
        return found


def scope_for(parsed: ParsedQuery, *, use_places: bool = True) -> Scope:
    """The scope of a non-empty query: its place (when it names one) and the pages to search."""
    facts = site_facts()
    base = searchable_pages()
    place = find_place(parsed.text, facts.places) if use_places else None
    query = parsed
    if place is not None:
        base = base.filter(place.filter_q())
        query = parse_query(place.rest)
    # A number in the query (a year, an edition) asks for one of a series: keep them all.
    if facts.hidden and not any(piece.isdigit() for piece in parsed.pieces):
        base = base.exclude(pk__in=sorted(facts.hidden))
    return Scope(parsed=parsed, query=query, base=base, facts=facts, place=place)


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
    place: PlaceMatch | None = None
    # What was searched within the place ("" when the query named a place only).
    rest_text: str = ""


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
    if isinstance(results, QuerySet):
        return dict(results.order_by().values_list("content_type_id").annotate(total=Count("pk")))
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


def run_search(
    parsed: ParsedQuery,
    *,
    type_value: str = "",
    page_number: str | None = None,
    use_places: bool = True,
):
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

    scope = scope_for(parsed, use_places=use_places)
    outcome.place = scope.place
    outcome.rest_text = scope.query.text
    base = scope.base
    promoted = find_promotions(parsed, base)
    promoted_ids = [page.pk for _promotion, page in promoted if page is not None]
    organic = base.exclude(pk__in=promoted_ids) if promoted_ids else base

    all_results = scope.results(organic)
    counts = type_counts(all_results)
    outcome.facets = build_facets(counts, outcome.selected_type)
    results = scope.results(organic.exact_type(model)) if model is not None else all_results
    # Exact counts per type (not the fallback's bounded sample) already say how many there are.
    known_count = None
    if getattr(all_results, "supports_facet", False) or isinstance(all_results, QuerySet):
        if model is None:
            known_count = sum(counts.values())
        else:
            known_count = counts.get(ContentType.objects.get_for_model(model).pk, 0)
    outcome.results = paginate(results, page_number, PER_PAGE, count=known_count)
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
        more_pages = scope.more(
            organic.exact_type(model) if model is not None else organic,
            exclude=[page.pk for page in result_pages],
            limit=PER_PAGE - len(result_pages),
        )
    partial_ids = {page.pk for page in more_pages if page.partial_match}
    outcome.partial_count = len(partial_ids)
    outcome.total += len(more_pages) - len(partial_ids)
    result_pages += more_pages
    hits = build_hits(
        promoted_pages + result_pages, scope.highlight_terms, series_size=scope.facts.series_size
    )
    for hit in hits[len(promoted_pages) :]:
        hit.partial = hit.page.pk in partial_ids
    promoted_hits = {hit.page.pk: hit for hit in hits[: len(promoted_pages)]}
    organic_hits = hits[len(promoted_pages) :]
    outcome.hits = still_to_come_first(
        [hit for hit in organic_hits if not hit.partial]
    ) + still_to_come_first([hit for hit in organic_hits if hit.partial])
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


__all__ = ["PER_PAGE", "help_links", "run_search", "scope_for", "search_pages"]
