"""The events app's models, one module per subject.

Django finds models here (the app label stays ``events``, so no migration), and every name
that ``events.models`` offered before the split is re-exported, so imports and the dotted
paths in migrations (``events.models.validate_isbn``) keep working.

- ``calendar_pages``: the CalendarPage base, EventPage, LecturePage and their orderables.
- ``editions``: the festivals (Learning Week, reading festival), editions, recommended books.
- ``indexes``: the unified calendar (EventIndexPage) and 郑州讲坛 (ForumIndexPage).
"""

from .calendar_pages import (
    SCHEMA_EVENT_STATUS,
    CalendarPage,
    EventPage,
    EventPageTag,
    EventStatus,
    LectureDocument,
    LecturePage,
    LecturePageTag,
    LectureSpeaker,
)
from .editions import (
    EditionIndexPage,
    EditionPage,
    LearningWeekIndexPage,
    LearningWeekPage,
    ReadingFestivalIndexPage,
    ReadingFestivalPage,
    RecommendedBook,
    validate_isbn,
)
from .indexes import EventIndexPage, ForumIndexPage

__all__ = [
    "SCHEMA_EVENT_STATUS",
    "CalendarPage",
    "EditionIndexPage",
    "EditionPage",
    "EventIndexPage",
    "EventPage",
    "EventPageTag",
    "EventStatus",
    "ForumIndexPage",
    "LearningWeekIndexPage",
    "LearningWeekPage",
    "LectureDocument",
    "LecturePage",
    "LecturePageTag",
    "LectureSpeaker",
    "ReadingFestivalIndexPage",
    "ReadingFestivalPage",
    "RecommendedBook",
    "validate_isbn",
]
