"""The school finder the schools app adds to the home page."""

from dataclasses import dataclass

from home.queries import top_level_pages
from home.sections import Section

from .directory import live_districts
from .models import CommunityUniversityPage


@dataclass
class SchoolFinderSection(Section):
    """A near-me form and the districts, so a resident can find a class near home at once."""

    def get_context(self, page, request, pinned):
        # The university sits under the home page: the menu loaded it already. Its sub-route
        # URL needs only its type, so the specific row is not fetched.
        university = next(
            (
                top.specific_deferred
                for top in top_level_pages(request)
                if top.specific_class is CommunityUniversityPage
            ),
            None,
        )
        if university is None:
            return None
        return {"university": university, "districts": live_districts()}


def school_finder_section():
    return SchoolFinderSection(
        key="school-finder",
        title="找找家门口的社区学校",
        template="schools/home_school_finder.html",
    )
