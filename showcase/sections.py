"""Showcase entries on the school pages they belong to (the ``school_page_sections`` hook)."""

from django.db.models import Q

from home.sections import PageListSection, index_page_url

from .models import (
    HonourIndexPage,
    HonourPage,
    LearningOrganisationIndexPage,
    LearningOrganisationPage,
)


def _here(model):
    def entries_here(page, request):
        # A district page shows its district's entries; any school page those naming it.
        return model.listed().filter(Q(school_id=page.pk) | Q(district_id=page.pk))

    return entries_here


def organisations_here_section():
    return PageListSection(
        key="organisations-here",
        title="这里的学习型组织",
        template="home/sections/page_list.html",
        order=40,
        page_types=(LearningOrganisationPage,),
        newest=_here(LearningOrganisationPage),
        limit=4,
        more_url=index_page_url(LearningOrganisationIndexPage),
    )


def honours_here_section():
    return PageListSection(
        key="honours-here",
        title="这里的示范项目与学习之星",
        template="home/sections/page_list.html",
        order=45,
        page_types=(HonourPage,),
        newest=_here(HonourPage),
        limit=4,
        more_url=index_page_url(HonourIndexPage),
    )
