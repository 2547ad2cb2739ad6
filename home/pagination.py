"""Pagination that never fails on a bad ``page`` parameter."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator


@dataclass
class Pagination:
    page: PaginatorPage
    page_range: list
    requested: int
    out_of_range: bool

    @property
    def items(self):
        return [] if self.out_of_range else self.page.object_list

    @property
    def paginator(self):
        return self.page.paginator


def paginate(request, items, per_page: int = 20, param: str = "page") -> Pagination:
    """Paginate ``items`` by ``request.GET[param]``.

    Non-numeric or non-positive values mean the first page; a number past the end gives an
    empty page (``out_of_range``) so the template can say so, instead of a 404 or 500.
    """
    raw = request.GET.get(param, "1")
    try:
        requested = int(raw) if len(raw) < 10 else 1
    except ValueError:
        requested = 1
    requested = max(requested, 1)
    paginator = Paginator(items, per_page)
    out_of_range = requested > paginator.num_pages
    page = paginator.page(paginator.num_pages if out_of_range else requested)
    page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return Pagination(
        page=page, page_range=page_range, requested=requested, out_of_range=out_of_range
    )
