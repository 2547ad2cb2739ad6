"""The read-only API (/api/v2/) for digital learning stations and mini-programs.

Wagtail's API v2 endpoints, narrowed to what anyone may see: live pages outside every private
section (whoever asks: a logged-in editor gets no more than a kiosk), images, and documents
outside restricted collections. Unknown fields or filters and a ``limit`` over
``WAGTAILAPI_LIMIT_MAX`` are Wagtail's 400 with a message; a private or draft id is a 404.
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import CollectionViewRestriction

from home.queries import public_only


class PublicPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        # Wagtail lets a request that passed a page's restriction (a logged-in user, a typed
        # password) see the page; the stations' API shows public content only, to everyone.
        return public_only(super().get_base_queryset())


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    pass


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    def get_queryset(self):
        restricted = CollectionViewRestriction.objects.filter(
            collection__path=Substr(OuterRef("collection__path"), 1, Length("collection__path"))
        )
        return super().get_queryset().exclude(Exists(restricted))
