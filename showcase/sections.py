"""Showcase entries on the school pages they belong to (the ``school_page_sections`` hook)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from home.queries import live_public, top_level_pages
from home.sections import Section, index_page_url

from .models import (
    HonourPage,
    LearningOrganisationPage,
    ShowcaseIndexPage,
    StatisticsPage,
    VolunteerPage,
)


@dataclass
class EntriesHereSection(Section):
    """On a school or district page: the learning organisations and honours that name it.

    One query (a UNION over both types) finds them, so a page without any pays one query;
    otherwise each type present is loaded once, with its cover image joined.
    """

    limit: int = 4

    def get_context(self, page, request, pinned):
        here = Q(school_id=page.pk) | Q(district_id=page.pk)
        columns = ("pk", "content_type_id", "year", "title")
        rows = list(
            live_public(LearningOrganisationPage.objects.filter(here))
            .order_by()
            .values_list(*columns)
            .union(
                live_public(HonourPage.objects.filter(here)).order_by().values_list(*columns),
                all=True,
            )
            .order_by("-year", "title")[: self.limit]
        )
        if not rows:
            return None
        wanted = [row[0] for row in rows]
        loaded = {}
        for model in (LearningOrganisationPage, HonourPage):
            content_type = ContentType.objects.get_for_model(model)
            ids = [row[0] for row in rows if row[1] == content_type.pk]
            if ids:
                entries = model.with_card_data(model.objects.filter(pk__in=ids), images=False)
                # The cover joins the entry's row; build_sections fetches its rendition with
                # every other card's on the page.
                for entry in entries.select_related("cover_image"):
                    loaded[entry.pk] = entry
        return {"items": [loaded[pk] for pk in wanted if pk in loaded]}


def entries_here_section():
    return EntriesHereSection(
        key="showcase-here",
        title="这里的学习型组织和示范项目",
        template="home/sections/page_list.html",
        more_url=index_page_url(ShowcaseIndexPage),
    )


@dataclass
class TakePartSection(Section):
    """On the home page: the volunteer call(s) and the network's figures, as two big links."""

    def get_context(self, page, request, pinned):
        # Both live right under the home page, which the menu has loaded already.
        top_level = top_level_pages(request)
        volunteers = [top for top in top_level if top.specific_class is VolunteerPage]
        links = [
            {"page": volunteer, "text": "报名成为社区教育志愿者，到家门口的社区学校授课或帮忙。"}
            for volunteer in volunteers[:2]
        ]
        statistics = next((top for top in top_level if top.specific_class is StatisticsPage), None)
        if statistics is not None:
            links.append(
                {"page": statistics, "text": "全市社区学校、学习活动和学习资源的最新数字。"}
            )
        return {"links": links} if links else None


def take_part_section():
    return TakePartSection(
        key="take-part", title="参与和了解", template="showcase/home_take_part.html"
    )
