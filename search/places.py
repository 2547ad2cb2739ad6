"""A place named in a query filters the results to that place.

What residents type for a place, read from the school directory (``search.facts``):

- a district (tier 2): its name (金水区), the name without 区/县/市 (金水), the college's title;
- a centre (tier 3): its title (花园路街道社区教育中心), the street or town (花园路街道), and the
  street or town without 街道/镇/乡/办事处 when three characters or more are left (花园路; a
  two-character rest such as 少林 is a word of its own and needs 少林街道);
- a school or learning point (tier 4): its title, and the title without its centre's name
  (阳光社区学校) when four characters or more are left.

The longest name wins where names overlap. A name several places share (新华路街道 in three
districts) selects them all, unless another place in the query narrows it (新密市新华路街道).
The rest of the query is searched within the place: pages at or below it in the tree, dated
pages or courses held at it (their ``venue``), and pages whose title names it. Recognition is
pure Python over the cleaned query text; the filter is one ``Q`` of subqueries on the page
queryset, so SQLite, PostgreSQL and Elasticsearch read it alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.models import Page

from .facts import PlaceRow, venue_models

DISTRICT_SUFFIXES = ("回族区", "新区", "区", "县", "市")
CENTRE_TITLE_SUFFIX = "社区教育中心"
CENTRE_SUFFIXES = ("街道办事处", "办事处", "街道", "镇", "乡")
MIN_BARE_CENTRE = 3
MIN_BARE_SCHOOL = 4
MIN_ALIAS = 2
# Little words left beside a place once it is taken out (金水区的太极拳, 在花园路学书法).
FILLER_BEFORE = "在去到离近"
FILLER_AFTER = "的里附近周边这边"
FILLER_ONLY = re.compile(f"[{FILLER_BEFORE}{FILLER_AFTER}和或及与]+")


@dataclass
class PlaceMatch:
    """The place(s) a query names and the rest of the query."""

    places: list[PlaceRow]
    names: list[str]  # the place names as typed, e.g. ["金水"]
    label: str  # what the chip shows: 金水区, 新华路街道（巩义市、新密市、新郑市）
    rest: str  # the query without the place names, to search within the place
    place_ids: list[int] = field(default_factory=list)

    def filter_q(self) -> Q:
        """Pages at or below the places, pages held at them (their venue is there), and pages
        named for them (a news item titled 金水区开设…)."""
        condition = Q()
        for place in self.places:
            condition |= Q(path__startswith=place.path)
            for model in venue_models():
                held = model.objects.filter(venue__path__startswith=place.path)
                condition |= Q(pk__in=held.values_list("pk", flat=True))
        for name in sorted({place_name(place) for place in self.places}):
            named = Page.objects.filter(title__contains=name)
            condition |= Q(pk__in=named.values_list("pk", flat=True))
        return condition


def _without_suffix(name: str, suffixes) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def place_name(place: PlaceRow) -> str:
    """How a place reads on the chip: 金水区, 花园路街道, or a school's title."""
    if place.tier == 2:
        return place.district_name or place.title
    if place.tier == 3:
        return _without_suffix(place.title, (CENTRE_TITLE_SUFFIX,))
    return place.title


def aliases(places: list[PlaceRow]) -> dict[str, list[PlaceRow]]:
    """Every name a resident may type for a place, to the places it names."""
    by_alias: dict[str, list[PlaceRow]] = {}

    def add(alias: str, place: PlaceRow):
        alias = alias.strip().lower()
        if len(alias) >= MIN_ALIAS and place not in by_alias.setdefault(alias, []):
            by_alias[alias].append(place)

    centre_names = {}
    for place in places:
        add(place.title, place)
        if place.tier == 2:
            name = place.district_name or place.title
            add(name, place)
            add(_without_suffix(name, DISTRICT_SUFFIXES), place)
        elif place.tier == 3:
            name = _without_suffix(place.title, (CENTRE_TITLE_SUFFIX,))
            centre_names[place.path] = name
            add(name, place)
            bare = _without_suffix(name, CENTRE_SUFFIXES)
            if bare != name and len(bare) >= MIN_BARE_CENTRE:
                add(bare, place)
    for place in places:
        if place.tier != 4:
            continue
        centre = centre_names.get(place.path[: len(place.path) - 4])
        if centre and place.title.startswith(centre):
            rest = place.title[len(centre) :]
            if len(rest) >= MIN_BARE_SCHOOL:
                add(rest, place)
    return by_alias


def _spans(text: str, by_alias: dict[str, list[PlaceRow]]) -> list[tuple[int, int, str]]:
    """Non-overlapping place names in ``text``, longest first from the left."""
    longest = max((len(alias) for alias in by_alias), default=0)
    spans = []
    position = 0
    while position < len(text):
        for length in range(min(longest, len(text) - position), MIN_ALIAS - 1, -1):
            candidate = text[position : position + length]
            if candidate in by_alias:
                spans.append((position, position + length, candidate))
                position += length
                break
        else:
            position += 1
    return spans


def _related(place: PlaceRow, others: list[PlaceRow]) -> bool:
    return any(
        place.path.startswith(other.path) or other.path.startswith(place.path) for other in others
    )


def find_place(text: str, places: list[PlaceRow]) -> PlaceMatch | None:
    """The place named in the cleaned query ``text`` (see ``search.query.parse_query``)."""
    if not text or not places:
        return None
    by_alias = aliases(places)
    spans = _spans(text, by_alias)
    if not spans:
        return None
    # The most specific name first; the others narrow it (金水区 + 阳光社区学校).
    ordered = sorted(spans, key=lambda span: -max(p.tier for p in by_alias[span[2]]))
    chosen = list(by_alias[ordered[0][2]])
    used = [ordered[0]]
    for span in ordered[1:]:
        narrowed = [place for place in chosen if _related(place, by_alias[span[2]])]
        if narrowed:
            chosen = narrowed
            used.append(span)
    used.sort()
    rest = _rest(text, used)
    names = [name for _start, _end, name in used]
    return PlaceMatch(
        places=chosen,
        names=names,
        label=chip_label(chosen, places),
        rest=rest,
        place_ids=[place.pk for place in chosen],
    )


def _rest(text: str, used: list[tuple[int, int, str]]) -> str:
    """``text`` without the place names, and without little words left beside them."""
    pieces = []
    position = 0
    for start, end, _name in used:
        pieces.append(text[position:start].rstrip(FILLER_BEFORE + " "))
        position = end
        after = text[position:]
        stripped = after.lstrip(" ")
        for filler in ("附近", "周边", "这边", "的", "里"):
            if stripped.startswith(filler):
                stripped = stripped[len(filler) :]
                break
        position = len(text) - len(stripped)
    pieces.append(text[position:])
    words = " ".join(pieces).split()
    return " ".join(word for word in words if not FILLER_ONLY.fullmatch(word))


def chip_label(chosen: list[PlaceRow], places: list[PlaceRow]) -> str:
    names = sorted({place_name(place) for place in chosen})
    label = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
    if len(chosen) > 1 and len(names) == 1:
        # One name, several places: say which districts.
        districts = [place for place in places if place.tier == 2]
        where = [
            place_name(district)
            for place in chosen
            for district in districts
            if place.path.startswith(district.path)
        ]
        if where:
            label += "（" + "、".join(dict.fromkeys(where)) + "）"
    return label
