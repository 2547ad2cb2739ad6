"""The learning_resources app's models, one module per subject.

Django finds models here (the app label stays ``learning_resources``, so no migration), and
every name that ``learning_resources.models`` offered before the split is re-exported, so
imports and dotted paths keep working.

- ``resources``: ResourcePage, its index, documents, gallery, tags and filters.
- ``courses``: CoursePage, its lessons and teachers, status and schedule, the catalogue.
"""

from .courses import (
    DISTRICT_DEPTH,
    SCHEMA_COURSE_MODE,
    CourseFilters,
    CourseIndexPage,
    CourseLesson,
    CourseMode,
    CoursePage,
    CoursePageForm,
    CourseStatus,
    CourseTeacher,
    TaggedCourse,
    derive_course_status,
    in_district_or_held_there,
    listed_courses,
    popular_course_tags,
    with_schedule,
)
from .resources import (
    POSTER_RENDITION,
    ResourceDocument,
    ResourceFilters,
    ResourceGalleryImage,
    ResourceIndexPage,
    ResourceKind,
    ResourcePage,
    TaggedResource,
    format_duration,
    iso_duration,
    popular_resource_tags,
    tag_cloud,
)

__all__ = [
    "DISTRICT_DEPTH",
    "POSTER_RENDITION",
    "SCHEMA_COURSE_MODE",
    "CourseFilters",
    "CourseIndexPage",
    "CourseLesson",
    "CourseMode",
    "CoursePage",
    "CoursePageForm",
    "CourseStatus",
    "CourseTeacher",
    "ResourceDocument",
    "ResourceFilters",
    "ResourceGalleryImage",
    "ResourceIndexPage",
    "ResourceKind",
    "ResourcePage",
    "TaggedCourse",
    "TaggedResource",
    "derive_course_status",
    "format_duration",
    "in_district_or_held_there",
    "iso_duration",
    "listed_courses",
    "popular_course_tags",
    "popular_resource_tags",
    "tag_cloud",
    "with_schedule",
]
