"""The reusable filter behind every index page: parse GET parameters, never raise.

An index page declares its filters and sort orders once::

    class ResourceFilters(IndexFilters):
        sorts = {"newest": ("最新发布", ["-first_published_at", "-pk"]), "title": (...)}
        default_sort = "newest"

        def build_filters(self):
            return [
                ChoiceFilter("kind", "类型", choices=ResourceKind.choices, lookup="kind"),
                VocabularyFilter("audience", "学习对象", Audience, lookup="audiences"),
                TagFilter("tag", "标签", lookup="tags"),
            ]

``IndexFilters(request.GET)`` reads the query string. A value that is unknown or malformed
does not raise: it is recorded in ``errors`` (a Chinese message for the resident) and the
result is empty, so a stale or tampered link shows a clear message instead of a 500 or,
worse, an unfiltered list that looks like a match. ``paginate`` does the same for page numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from taggit.models import Tag

# Longer values cannot be a slug or a choice of ours; refuse them before touching the database.
MAX_VALUE_LENGTH = 100


def is_plausible_value(raw: str) -> bool:
    """Short and free of control characters (PostgreSQL rejects a NUL byte with an error)."""
    return len(raw) <= MAX_VALUE_LENGTH and not any(ord(character) < 32 for character in raw)


@dataclass
class FilterOption:
    value: str
    label: str
    selected: bool = False


@dataclass
class FilterField:
    """One <select> of the GET form: what the template needs, nothing more."""

    param: str
    label: str
    options: list[FilterOption]


class IndexFilter:
    """One GET parameter narrowing a queryset. Subclasses resolve the raw value to a lookup."""

    def __init__(self, param: str, label: str, *, lookup: str):
        self.param = param
        self.label = label
        self.lookup = lookup

    def options(self) -> list[FilterOption]:
        return []

    def resolve(self, raw: str) -> tuple[Any, str] | None:
        """Return ``(lookup value, display label)`` or ``None`` when ``raw`` matches nothing."""
        raise NotImplementedError

    def apply(self, queryset: QuerySet, value: Any) -> QuerySet:
        return queryset.filter(**{self.lookup: value})


class ChoiceFilter(IndexFilter):
    """A fixed list of choices, e.g. a model field's ``TextChoices``."""

    def __init__(self, param, label, *, lookup, choices):
        super().__init__(param, label, lookup=lookup)
        self.choices = [(str(value), str(text)) for value, text in choices]

    def options(self):
        return [FilterOption(value, text) for value, text in self.choices]

    def resolve(self, raw):
        for value, text in self.choices:
            if value == raw:
                return value, text
        return None


class VocabularyFilter(IndexFilter):
    """A snippet with a ``slug`` (Audience, Category); the URL carries the slug."""

    def __init__(self, param, label, model: type[Model], *, lookup):
        super().__init__(param, label, lookup=lookup)
        self.model = model
        self._items = None

    def items(self):
        if self._items is None:
            self._items = list(self.model.objects.all())
        return self._items

    def options(self):
        return [FilterOption(item.slug, item.name) for item in self.items()]

    def resolve(self, raw):
        for item in self.items():
            if item.slug == raw:
                return item, item.name
        return None


class TagFilter(IndexFilter):
    """A taggit tag by slug (Chinese slugs included). Options are set by the page (its tag cloud)."""

    def __init__(self, param, label, *, lookup):
        super().__init__(param, label, lookup=lookup)
        self.choices: list[Tag] = []

    def options(self):
        return [FilterOption(tag.slug, tag.name) for tag in self.choices]

    def resolve(self, raw):
        for tag in self.choices:
            if tag.slug == raw:
                return tag, tag.name
        tag = Tag.objects.filter(slug=raw).first()
        return (tag, tag.name) if tag is not None else None

    def apply(self, queryset, value):
        return queryset.filter(**{f"{self.lookup}__slug": value.slug})


class IndexFilters:
    """Parses one request's filters and sort order; subclasses declare ``build_filters`` and ``sorts``."""

    sorts: dict[str, tuple[str, list[str]]] = {}
    default_sort = ""

    def __init__(self, data):
        self.data = data
        self.errors: list[str] = []
        self.refused_filter = False
        self.selected: dict[str, Any] = {}
        self.selected_values: dict[str, str] = {}
        self.selected_labels: dict[str, str] = {}
        self.sort = self.default_sort
        self.filters = self.build_filters()

    def build_filters(self) -> list[IndexFilter]:
        """Fresh filter objects for each request (they cache database rows)."""
        raise NotImplementedError

    def filter_named(self, param: str) -> IndexFilter:
        return next(item for item in self.filters if item.param == param)

    def parse(self) -> IndexFilters:
        for index_filter in self.filters:
            raw = (self.data.get(index_filter.param) or "").strip()
            if not raw:
                continue
            resolved = index_filter.resolve(raw) if is_plausible_value(raw) else None
            if resolved is None:
                shown = "".join(c for c in raw[:30] if ord(c) >= 32)
                self.errors.append(f"没有找到{index_filter.label}“{shown}”，请重新选择。")
                self.refused_filter = True
                continue
            value, label = resolved
            self.selected[index_filter.param] = value
            self.selected_values[index_filter.param] = raw
            self.selected_labels[index_filter.param] = label
        raw_sort = (self.data.get("sort") or "").strip()
        if raw_sort in self.sorts:
            self.sort = raw_sort
        elif raw_sort:
            self.errors.append("不支持这种排序方式，已按默认顺序排列。")
        return self

    @property
    def is_valid(self) -> bool:
        """False when a filter value was refused; an unknown sort order alone never empties a list."""
        return not self.refused_filter

    def apply(self, queryset: QuerySet) -> QuerySet:
        if not self.is_valid:
            return queryset.none()
        for index_filter in self.filters:
            if index_filter.param in self.selected:
                queryset = index_filter.apply(queryset, self.selected[index_filter.param])
        return queryset.order_by(*self.sorts[self.sort][1])

    def form_fields(self) -> list[FilterField]:
        fields = []
        for index_filter in self.filters:
            chosen = self.selected_values.get(index_filter.param)
            options = index_filter.options()
            if chosen and not any(option.value == chosen for option in options):
                # A valid value outside the listed choices (a rare tag) stays visible and selected.
                options.append(FilterOption(chosen, self.selected_labels[index_filter.param]))
            for option in options:
                option.selected = option.value == chosen
            fields.append(FilterField(index_filter.param, index_filter.label, options))
        return fields

    def sort_options(self) -> list[FilterOption]:
        return [
            FilterOption(key, str(label), selected=key == self.sort)
            for key, (label, _order) in self.sorts.items()
        ]

    def querystring(self, **changes) -> str:
        """The current filters as a query string, with ``changes`` applied (None removes)."""
        from django.http import QueryDict

        params = QueryDict(mutable=True)
        for key, value in self.selected_values.items():
            params[key] = value
        if self.sort != self.default_sort:
            params["sort"] = self.sort
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return params.urlencode()


@dataclass
class PageOfResults:
    page: Any
    page_range: list
    message: str = ""


def paginate(queryset, raw_number: str | None, per_page: int) -> PageOfResults:
    """A page of ``queryset``; a non-numeric or out-of-range number gets a message, not a 500."""
    paginator = Paginator(queryset, per_page)
    message = ""
    raw_number = (raw_number or "1").strip()
    try:
        number = int(raw_number)
    except ValueError:
        number = 1
        message = "页码无效，已显示第 1 页。"
    else:
        if number < 1:
            number = 1
            message = "页码无效，已显示第 1 页。"
        elif number > paginator.num_pages:
            if paginator.count:
                message = f"没有第 {number} 页，已显示最后一页（第 {paginator.num_pages} 页）。"
            number = paginator.num_pages
    page = paginator.page(number)
    page_range = list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))
    return PageOfResults(page=page, page_range=page_range, message=message)
