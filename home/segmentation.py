"""Kept only because migrations name this path: news/0001 and showcase/0001 list
``home.segmentation.SegmentedSearchMixin`` among their models' bases. The code is core's."""

from core.segmentation import SegmentedSearchMixin  # noqa: F401
