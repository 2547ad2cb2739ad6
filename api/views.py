"""The read-only API (/api/v2/) for digital learning stations and mini-programs.

Wagtail's API v2 endpoints, narrowed to what anyone may see: live pages outside every private
section (whoever asks: a logged-in editor gets no more than a kiosk), images, and documents
outside restricted collections. Unknown fields or filters and a ``limit`` over
``WAGTAILAPI_LIMIT_MAX`` are Wagtail's 400 with a message; a private or draft id is a 404; a
filter value the database cannot read (``latitude=abc``, a malformed date, an unknown
``site``) is a 400 here too instead of a 500.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from rest_framework import status
from rest_framework.response import Response
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import CollectionViewRestriction
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from home.queries import live_public
from search.query import parse_query

logger = logging.getLogger(__name__)


class ClearErrorsMixin:
    def handle_exception(self, exc):
        if isinstance(exc, ValidationError | ValueError | ObjectDoesNotExist):
            # Logged without the query string: it is the client's input, not ours to keep.
            logger.info("API request refused: %s", type(exc).__name__)
            return Response(
                {"message": "请求参数无效：筛选值的格式不正确，或所指的对象不存在。"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)


class SegmentedSearchFilter(SearchFilter):
    """``?search=`` through the site search's own parser: Chinese is matched as bigrams like on
    /search/, and the raw string (quotes, ``NEAR(``, NUL…) never reaches the database's FTS.
    Images and documents are not segmented; they get the cleaned words as plain text."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        parsed = parse_query(request.GET["search"])
        if parsed.query is None:
            return queryset.none()
        query = parsed.query if view.segmented_search else parsed.text
        try:
            return get_search_backend().search(
                query, queryset, order_by_relevance="order" not in request.GET
            )
        except (FilterFieldError, OrderByFieldError) as error:
            raise BadRequestError(
                f"cannot filter or order by '{error.field_name}' while searching"
            ) from error


# Far beyond any listing's length; a larger offset would overflow the database's LIMIT/OFFSET
# (SQLite: OverflowError; PostgreSQL: bigint out of range) instead of giving an empty page.
MAX_OFFSET = 1_000_000


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        raw = request.GET.get("offset", "0").strip()
        if raw.isdigit() and (len(raw) > 12 or int(raw) > MAX_OFFSET):
            raise BadRequestError(f"offset 不能大于 {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


def _replace_search_filter(filter_backends):
    return [
        SegmentedSearchFilter if backend is SearchFilter else backend for backend in filter_backends
    ]


class PublicPagesAPIViewSet(ClearErrorsMixin, PagesAPIViewSet):
    pagination_class = BoundedPagination
    filter_backends = _replace_search_filter(PagesAPIViewSet.filter_backends)
    segmented_search = True

    def get_base_queryset(self):
        # Wagtail lets a request that passed a page's restriction (a logged-in user, a typed
        # password) see the page; the stations' API shows public content only, to everyone.
        queryset = super().get_base_queryset()
        if "search" in self.request.GET:
            # The search backend reads only filters on indexed fields (here: path), not the
            # EXISTS of live_public; public() excludes the same restricted sections by path.
            return queryset.live().public()
        return live_public(queryset)


class PublicImagesAPIViewSet(ClearErrorsMixin, ImagesAPIViewSet):
    pagination_class = BoundedPagination
    filter_backends = _replace_search_filter(ImagesAPIViewSet.filter_backends)
    segmented_search = False


class PublicDocumentsAPIViewSet(ClearErrorsMixin, DocumentsAPIViewSet):
    pagination_class = BoundedPagination
    filter_backends = _replace_search_filter(DocumentsAPIViewSet.filter_backends)
    segmented_search = False

    def get_queryset(self):
        # Collections under a view restriction, and their sub-collections (one query each).
        restricted_ids = set()
        for restriction in CollectionViewRestriction.objects.select_related("collection"):
            restricted_ids.update(
                restriction.collection.get_descendants(inclusive=True).values_list("pk", flat=True)
            )
        return super().get_queryset().exclude(collection_id__in=restricted_ids)
