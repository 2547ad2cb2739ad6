"""The one listing mechanism behind every filtered page: parse GET parameters, never raise.

A listing declares its filters (and sort orders, if any) once::

    class ResourceFilters(IndexFilters):
        sorts = {"newest": ("最新发布", ["-first_published_at", "-pk"]), "title": (...)}
        default_sort = "newest"

        def build_filters(self):
            return [
                ChoiceFilter("kind", "类型", choices=ResourceKind.choices, lookup="kind"),
                VocabularyFilter("audience", "学习对象", Audience, lookup="audiences"),
                TagFilter("tag", "标签", lookup="tags"),
            ]

``IndexFilters(request.GET).parse()`` reads the query string. A value that is unknown or
malformed does not raise: it is recorded in ``errors`` (a Chinese message for the resident) and
the result is empty, so a stale or tampered link shows a clear message instead of a 500 or,
worse, an unfiltered list that looks like a match. ``paginate`` does the same for page numbers.

An index page adds ``FilteredIndexMixin`` and names its filters and listing; a page that serves
its listing from a route (the calendar, the Forum, the directory) builds the same context with
``listing_context`` and answers with ``listing_response``. Either way the template gets
``filters``, ``results`` and ``filter_errors`` and includes ``includes/filter_form.html``, and a
refused value answers 400 with the page still rendered.

A filter reads one parameter (``IndexFilter``) or several (``DateRangeFilter``); ``lookup`` is a
field lookup or a function ``(queryset, value) -> queryset``; ``error`` is its message, with
``{label}`` and ``{value}`` (what the visitor sent, shortened) filled in.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.template.response import TemplateResponse
from django.utils import timezone
from taggit.models import Tag

from core.page_cache import kept
from home.queries import in_key_order

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
    """One control of the GET form (``includes/filter_form.html``): what the template needs.

    ``widget`` is ``select``, ``date``, ``search`` or ``hidden`` (a hidden field is only written
    when it has a value); ``all_label`` is the select's empty choice.
    """

    param: str
    label: str
    options: list[FilterOption] = field(default_factory=list)
    widget: str = "select"
    all_label: str = "全部"
    value: str = ""
    maxlength: int | None = None
    placeholder: str = ""


class IndexFilter:
    """One GET parameter narrowing a listing. Subclasses resolve the raw value to a lookup."""

    error = "没有找到{label}“{value}”，请重新选择。"
    # ``None``: a parameter the listing reads but the form does not show (``when``, ``place``).
    widget: str | None = "select"

    def __init__(
        self,
        param: str,
        label: str,
        *,
        lookup: str | Callable | None = None,
        error: str | None = None,
        all_label: str = "全部",
        max_length: int | None = None,
        widget: str | None = "",
    ):
        self.param = param
        self.label = label
        self.lookup = lookup
        if error is not None:
            self.error = error
        self.all_label = all_label
        # Some listings cut long values instead of refusing them; kept as they always were.
        self.max_length = max_length
        if widget != "":
            self.widget = widget

    def options(self) -> list[FilterOption]:
        return []

    def resolve(self, raw: str) -> tuple[Any, str] | None:
        """Return ``(lookup value, display label)`` or ``None`` when ``raw`` matches nothing."""
        raise NotImplementedError

    def read(self, data, param: str | None = None) -> str:
        raw = (data.get(param or self.param) or "").strip()
        return raw[: self.max_length] if self.max_length else raw

    def message(self, raw: str) -> str:
        shown = "".join(c for c in raw[:30] if ord(c) >= 32)
        return self.error.format(label=self.label, value=shown, raw=raw)

    def parse(self, data, filters: IndexFilters) -> None:
        raw = self.read(data)
        if not raw:
            return
        filters.given[self.param] = raw
        resolved = self.resolve(raw) if is_plausible_value(raw) else None
        if resolved is None:
            filters.refuse(self.message(raw))
            return
        value, label = resolved
        filters.choose(self.param, value, raw, label)

    def apply(self, queryset: QuerySet, value: Any) -> QuerySet:
        if callable(self.lookup):
            return self.lookup(queryset, value)
        return queryset.filter(**{self.lookup: value})

    def form_fields(self, filters: IndexFilters) -> list[FilterField]:
        if self.widget is None:
            return []
        chosen = filters.selected_values.get(self.param)
        options = self.options()
        for option in options:
            option.selected = option.value == chosen
        return [
            FilterField(
                self.param,
                self.label,
                options,
                widget=self.widget,
                all_label=self.all_label,
                value=chosen or "",
            )
        ]


class ChoiceFilter(IndexFilter):
    """A fixed list of choices, e.g. a model field's ``TextChoices``."""

    def __init__(self, param, label, *, choices, value=None, **kwargs):
        super().__init__(param, label, **kwargs)
        self.choices = [(str(choice), str(text)) for choice, text in choices]
        # What the listing filters by, from the URL's text (``int`` for a tier); else the text.
        self.value = value

    def options(self):
        return [FilterOption(choice, text) for choice, text in self.choices]

    def resolve(self, raw):
        for choice, text in self.choices:
            if choice == raw:
                return (self.value(raw) if self.value else choice), text
        return None


class ObjectFilter(IndexFilter):
    """One of a list of rows (a snippet, a page, a person) named in the URL by ``key``.

    ``items`` is a list or a function returning one; it is loaded once, when first needed.
    """

    def __init__(self, param, label, items, *, key="slug", text="name", **kwargs):
        super().__init__(param, label, **kwargs)
        self._items_source = items
        self._items = None
        self.key = key
        self.text = text

    def items(self):
        if self._items is None:
            source = self._items_source
            self._items = list(source() if callable(source) else source)
        return self._items

    def key_of(self, item) -> str:
        return str(getattr(item, self.key))

    def text_of(self, item) -> str:
        return str(getattr(item, self.text))

    def options(self):
        return [FilterOption(self.key_of(item), self.text_of(item)) for item in self.items()]

    def resolve(self, raw):
        for item in self.items():
            if self.key_of(item) == raw:
                return item, self.text_of(item)
        return None


class VocabularyFilter(ObjectFilter):
    """A snippet with a ``slug`` (Audience, Category); the URL carries the slug."""

    def __init__(self, param, label, model: type[Model], **kwargs):
        super().__init__(param, label, partial(vocabulary, model), **kwargs)
        self.model = model


def vocabulary(model: type[Model]) -> list:
    """Every row of a vocabulary; a site-wide one (its changes bump the site-wide key) kept
    until it changes (core.page_cache.kept)."""
    if model._meta.label not in settings.PAGE_CACHE_SITE_WIDE_MODELS:
        return list(model.objects.all())
    return kept(
        f"vocabulary|{model._meta.label}", lambda: list(model.objects.all()), site_wide=True
    )


class DistrictFilter(ObjectFilter):
    """A district (tier-2 page) by slug, e.g. ``district=jinshui``; options in official order.

    ``districts`` is what the listing has loaded already (a ``DistrictLookup``'s list) or a
    function loading them; ``lookup`` says what "in the district" means for this listing.
    """

    def __init__(self, param, label, districts, **kwargs):
        super().__init__(param, label, districts, text="district_name", **kwargs)


class TagFilter(IndexFilter):
    """A taggit tag by slug (Chinese slugs included). Options are set by the page (its tag cloud)."""

    def __init__(self, param, label, **kwargs):
        super().__init__(param, label, **kwargs)
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
        if callable(self.lookup):
            return self.lookup(queryset, value)
        return queryset.filter(**{f"{self.lookup}__slug": value.slug})

    def form_fields(self, filters):
        fields = super().form_fields(filters)
        chosen = filters.selected_values.get(self.param)
        for form_field in fields:
            if chosen and not any(option.selected for option in form_field.options):
                # A valid tag outside the listed choices (a rare one) stays visible and selected.
                form_field.options.append(
                    FilterOption(chosen, filters.selected_labels[self.param], selected=True)
                )
        return fields


class KeywordFilter(IndexFilter):
    """Free text (``q``), spaces collapsed and cut to ``length``; never refused."""

    widget = "search"

    def __init__(self, param, label, *, length: int, placeholder: str = "", **kwargs):
        super().__init__(param, label, **kwargs)
        self.length = length
        self.placeholder = placeholder

    def parse(self, data, filters):
        keyword = " ".join(self.read(data).split())[: self.length]
        if keyword:
            filters.given[self.param] = keyword
            filters.choose(self.param, keyword, keyword, keyword)

    def form_fields(self, filters):
        return [
            FilterField(
                self.param,
                self.label,
                widget=self.widget,
                value=filters.selected_values.get(self.param, ""),
                maxlength=self.length,
                placeholder=self.placeholder,
            )
        ]


# --- Dates ------------------------------------------------------------------------------------

# The years a date filter may name: every date in between, plus a day either side, stays a
# valid date and a valid UTC datetime (year 1 or 9999 would overflow).
EARLIEST_DATE = datetime.date(1901, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)
MAX_CUSTOM_RANGE_DAYS = 366


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def parse_date(raw: str) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(raw.strip()[:10]) if raw.strip() else None
    except ValueError:
        return None
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return day


def named_range(key: str, today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a named range around ``today`` in local time."""
    if key == "today":
        start = today
        end = today + datetime.timedelta(days=1)
    elif key == "week":
        start = today - datetime.timedelta(days=today.weekday())
        end = start + datetime.timedelta(days=7)
    elif key == "weekend":
        monday = today - datetime.timedelta(days=today.weekday())
        start = monday + datetime.timedelta(days=5)
        end = monday + datetime.timedelta(days=7)
    elif key == "month":
        start = today.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
    else:
        raise ValueError(key)
    return local_midnight(start), local_midnight(end)


@dataclass
class DateRange:
    """[start, end) in local time; ``key`` is a named range or ``custom`` (``date_from``/``to``)."""

    key: str
    start: datetime.datetime
    end: datetime.datetime
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class DateRangeFilter(IndexFilter):
    """A named range (``range=today|week|weekend|month``) or chosen dates (``from``, ``to``).

    ``range=custom`` or either date asks for chosen dates: a missing start is today, a missing
    end the start; at most a year. Selected as a ``DateRange`` under ``param``.
    """

    def __init__(
        self,
        param,
        label,
        *,
        choices,
        now: datetime.datetime,
        from_param="from",
        to_param="to",
        custom_label="",
        **kwargs,
    ):
        super().__init__(param, label, **kwargs)
        self.choices = list(choices)
        self.now = now
        self.from_param, self.to_param = from_param, to_param
        self.custom_label = custom_label

    def parse(self, data, filters):
        today = timezone.localdate(self.now)
        range_key = self.read(data)
        raw_from, raw_to = self.read(data, self.from_param), self.read(data, self.to_param)
        for name, raw in (
            (self.param, range_key),
            (self.from_param, raw_from),
            (self.to_param, raw_to),
        ):
            if raw:
                filters.given[name] = raw
        if range_key:
            if range_key in dict(self.choices):
                filters.choose(self.param, DateRange(range_key, *named_range(range_key, today)))
            elif range_key != "custom":
                filters.refuse("不支持这个日期范围，请从“今天、本周、本周末、本月”中选择。")
        if not (raw_from or raw_to or range_key == "custom"):
            return
        date_from, date_to = parse_date(raw_from), parse_date(raw_to)
        if (raw_from and date_from is None) or (raw_to and date_to is None):
            filters.refuse(
                "日期格式不正确，请按“2026-05-01”的格式填写 1901 年至 2999 年之间的日期。"
            )
        elif date_from is None and date_to is None:
            filters.refuse("请填写开始日期或结束日期。")
        else:
            date_from = date_from or today
            date_to = date_to or date_from
            if date_to < date_from:
                filters.refuse("结束日期不能早于开始日期。")
            elif (date_to - date_from).days > MAX_CUSTOM_RANGE_DAYS:
                filters.refuse("日期范围不能超过一年，请缩小范围。")
            else:
                start = local_midnight(date_from)
                end = local_midnight(date_to + datetime.timedelta(days=1))
                filters.choose(self.param, DateRange("custom", start, end, date_from, date_to))

    def form_fields(self, filters):
        chosen = filters.selected.get(self.param)
        key = chosen.key if chosen is not None else ""
        options = [FilterOption(value, text, value == key) for value, text in self.choices]
        options.append(FilterOption("custom", self.custom_label, key == "custom"))
        return [
            FilterField(self.param, self.label, options, all_label=self.all_label),
            FilterField(
                self.from_param, "从", widget="date", value=filters.given.get(self.from_param, "")
            ),
            FilterField(
                self.to_param, "到", widget="date", value=filters.given.get(self.to_param, "")
            ),
        ]


class MonthFilter(IndexFilter):
    """A month (``month=2026-05``), this month when absent; selected as its ``DateRange``."""

    widget = None

    def __init__(self, param, label, *, now: datetime.datetime, **kwargs):
        super().__init__(param, label, **kwargs)
        self.now = now

    def parse(self, data, filters):
        today = timezone.localdate(self.now)
        first = self.first_of_month(data.get(self.param, ""), today)
        if first is None:
            filters.refuse(self.error)
            first = today.replace(day=1)
        next_month = (first + datetime.timedelta(days=32)).replace(day=1)
        filters.selected[self.param] = DateRange(
            "month", local_midnight(first), local_midnight(next_month), first, next_month
        )

    @staticmethod
    def first_of_month(raw: str, today: datetime.date) -> datetime.date | None:
        if not raw:
            return today.replace(day=1)
        try:
            year, month = (int(part) for part in raw.strip()[:7].split("-"))
            return datetime.date(year, month, 1) if 1900 < year < 3000 else None
        except ValueError:
            return None


# --- One request's filters --------------------------------------------------------------------


class IndexFilters:
    """Parses one request's filters and sort order; subclasses declare ``build_filters`` and ``sorts``.

    After ``parse()``: ``selected`` (param → value to filter by), ``selected_values`` (the URL
    text of each accepted value), ``given`` (every non-empty value sent, accepted or not) and
    ``errors``. Without ``sorts`` the listing has one fixed order and ignores ``sort``.
    """

    sorts: dict[str, tuple[str, list]] = {}
    default_sort = ""

    def __init__(self, data):
        self.data = data
        self.errors: list[str] = []
        self.refused_filter = False
        self.selected: dict[str, Any] = {}
        self.selected_values: dict[str, str] = {}
        self.selected_labels: dict[str, str] = {}
        self.given: dict[str, str] = {}
        self.sort = self.default_sort
        self.filters = self.build_filters()

    def build_filters(self) -> list[IndexFilter]:
        """Fresh filter objects for each request (they cache database rows)."""
        raise NotImplementedError

    def filter_named(self, param: str) -> IndexFilter:
        return next(item for item in self.filters if item.param == param)

    def choose(self, param: str, value: Any, raw: str | None = None, label: str = "") -> None:
        self.selected[param] = value
        if raw is not None:
            self.selected_values[param] = raw
            self.selected_labels[param] = label

    def refuse(self, message: str) -> None:
        self.errors.append(message)
        self.refused_filter = True

    def parse(self) -> IndexFilters:
        for index_filter in self.filters:
            index_filter.parse(self.data, self)
        if self.sorts:
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

    @property
    def has_filters(self) -> bool:
        """Whether the visitor narrowed or reordered the listing (the form offers to clear it)."""
        return bool(self.querystring())

    def apply(self, queryset: QuerySet) -> QuerySet:
        if not self.is_valid:
            return queryset.none()
        for index_filter in self.filters:
            if index_filter.param in self.selected and index_filter.lookup is not None:
                queryset = index_filter.apply(queryset, self.selected[index_filter.param])
        return queryset.order_by(*self.sorts[self.sort][1]) if self.sorts else queryset

    def form_fields(self) -> list[FilterField]:
        return [
            form_field
            for index_filter in self.filters
            for form_field in index_filter.form_fields(self)
        ]

    def sort_options(self) -> list[FilterOption]:
        return [
            FilterOption(key, str(label), selected=key == self.sort)
            for key, (label, _order) in self.sorts.items()
        ]

    def choice_key(self) -> str:
        """What a kept list of matches is named by: the accepted choices (a refused value
        matches nothing)."""
        return f"{self.is_valid}|{self.querystring()}"

    def querystring(self, **changes) -> str:
        """The current filters as a query string, with ``changes`` applied (None removes)."""
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


def paginate(
    queryset, raw_number: str | None, per_page: int, *, count: int | None = None
) -> PageOfResults:
    """A page of ``queryset``; a non-numeric or out-of-range number gets a message, not a 500.

    ``count``: how many there are, when the caller already knows (no COUNT query then).
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: the value given stands in for the query
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


def paginate_kept_keys(name, find_keys, raw_number, per_page, load) -> PageOfResults:
    """A page of the keys ``find_keys()`` returns, kept under ``name`` (core.page_cache.kept,
    until what they came from changes; what time alone changes within PAGE_CACHE_SECONDS, as
    for whole pages), with the page's items loaded by ``load(keys)``: a reused choice costs no
    COUNT, filter or ORDER BY, and the items themselves are always as they are now."""
    results = paginate(kept(name, find_keys), raw_number, per_page)
    results.page.object_list = load(list(results.page.object_list))
    return results


# --- Listings ---------------------------------------------------------------------------------


def listing_context(filters: IndexFilters, results: PageOfResults | None = None, **extra) -> dict:
    """What every filtered template reads: ``filters``, ``results``, ``filter_errors``."""
    return {
        "filters": filters,
        "results": results,
        "filter_querystring": filters.querystring(),
        "filter_errors": filters.errors,
        **extra,
    }


def mark_refused(response, context: dict | None = None):
    """A refused filter is a bad request; the page still renders (form, message)."""
    if context is None:
        context = getattr(response, "context_data", None) or {}
    filters = context.get("filters")
    if isinstance(filters, IndexFilters) and not filters.is_valid:
        response.status_code = 400
    return response


def listing_response(request, template: str, context: dict) -> TemplateResponse:
    """A routed listing's page (the calendar, the Forum, the directory): 400 when refused."""
    return mark_refused(TemplateResponse(request, template, context), context)


class FilteredIndexMixin:
    """An index page whose listing is filtered, sorted and paginated from the query string.

    Set ``filters_class`` (or override ``get_filters``), ``listing_name`` (the template's name
    for the page of items) and ``get_listing`` (the unfiltered queryset, ready for cards).
    """

    filters_class: type[IndexFilters]
    listing_name = "items"
    per_page = 12

    def get_filters(self, request) -> IndexFilters:
        return self.filters_class(request.GET)

    def get_listing(self, request, filters: IndexFilters) -> QuerySet:
        raise NotImplementedError

    def listing_extra_context(self, filters: IndexFilters) -> dict:
        return {}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = self.get_filters(request).parse()

        def matching_keys():
            listing = filters.apply(self.get_listing(request, filters))
            return list(listing.values_list("pk", flat=True))

        # Which items match, kept per filter choice (a course passing from 即将开课 to 进行中
        # by time alone moves within PAGE_CACHE_SECONDS, as for whole pages).
        results = paginate_kept_keys(
            f"listing|{self.pk}|{filters.choice_key()}",
            matching_keys,
            request.GET.get("page"),
            self.per_page,
            lambda keys: in_key_order(self.get_listing(request, filters), keys),
        )
        context.update(
            listing_context(
                filters,
                results,
                **{self.listing_name: results.page.object_list},
                **self.listing_extra_context(filters),
            )
        )
        return context

    def serve(self, request, *args, **kwargs):
        return mark_refused(super().serve(request, *args, **kwargs))
