from wagtail import hooks

from home.sections import PageListSection, index_page_url
from schools.models import SCHOOL_PAGE_SECTIONS_HOOK

from .models import ResourceIndexPage, ResourcePage
from .sections import courses_here_section, featured_courses_section


@hooks.register("home_page_sections")
def newest_resources_section():
    return PageListSection(
        key="resources",
        title="新上线的学习资源",
        template="home/sections/page_list.html",
        page_types=(ResourcePage,),
        newest=lambda page, request: ResourcePage.listed(),
        more_url=index_page_url(ResourceIndexPage),
    )


hooks.register("home_page_sections", featured_courses_section)
hooks.register(SCHOOL_PAGE_SECTIONS_HOOK, courses_here_section)
