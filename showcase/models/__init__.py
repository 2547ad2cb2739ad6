"""The showcase app's models, one module per subject.

Django finds models here (the app label stays ``showcase``, so no migration), and every name
that ``showcase.models`` offered before the split is re-exported, so imports keep working.

- ``entries``: learning organisations and honours (示范项目, 优秀成果, 百姓学习之星), their
  photos, filters and index pages.
- ``people``: PeopleIndexPage, the teachers and speakers (/teachers/).
- ``volunteers``: VolunteerPage, the call for volunteers, and its form field.
- ``statistics``: StatisticsPage, the page; the figures it shows are counted in the app's
  own ``showcase.statistics`` module (also the admin report's), a different module.
"""

from .entries import (
    COVER_RENDITION,
    FIRST_YEAR,
    GALLERY_RENDITION,
    POSTER_RENDITION,
    EntryFilters,
    FilteredEntryIndex,
    HonourIndexPage,
    HonourKind,
    HonourPage,
    LearningOrganisationIndexPage,
    LearningOrganisationPage,
    OrganisationKind,
    ShowcaseEntry,
    ShowcaseIndexPage,
    ShowcasePhoto,
    card_image_prefetch,
    showcase_districts,
    year_choices,
)
from .people import PHOTO_RENDITION, PeopleIndexPage, teaching_people
from .statistics import StatisticsPage
from .volunteers import VolunteerFormField, VolunteerPage

__all__ = [
    "COVER_RENDITION",
    "FIRST_YEAR",
    "GALLERY_RENDITION",
    "PHOTO_RENDITION",
    "POSTER_RENDITION",
    "EntryFilters",
    "FilteredEntryIndex",
    "HonourIndexPage",
    "HonourKind",
    "HonourPage",
    "LearningOrganisationIndexPage",
    "LearningOrganisationPage",
    "OrganisationKind",
    "PeopleIndexPage",
    "ShowcaseEntry",
    "ShowcaseIndexPage",
    "ShowcasePhoto",
    "StatisticsPage",
    "VolunteerFormField",
    "VolunteerPage",
    "card_image_prefetch",
    "showcase_districts",
    "teaching_people",
    "year_choices",
]
