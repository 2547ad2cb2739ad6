from types import SimpleNamespace

import factory
import wagtail_factories

from schools.models import (
    CommunityCentrePage,
    CommunityCollegePage,
    CommunitySchoolPage,
    CommunityUniversityPage,
)


class CommunityUniversityPageFactory(wagtail_factories.PageFactory):
    title = "郑州社区大学"
    slug = "schools"
    latitude = 34.7866
    longitude = 113.6578

    class Meta:
        model = CommunityUniversityPage


class CommunityCollegePageFactory(wagtail_factories.PageFactory):
    title = factory.LazyAttribute(lambda page: f"{page.district_name}社区学院")
    district_name = factory.Sequence(lambda n: f"第{n}区")
    slug = factory.Sequence(lambda n: f"district-{n}")
    latitude = 34.75
    longitude = 113.62

    class Meta:
        model = CommunityCollegePage


class CommunityCentrePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"第{n}街道社区教育中心")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    address = "郑州市某街道便民服务中心"

    class Meta:
        model = CommunityCentrePage


class CommunitySchoolPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"第{n}社区学校")
    slug = factory.Sequence(lambda n: f"school-{n}")
    kind = CommunitySchoolPage.KIND_SCHOOL
    address = factory.Sequence(lambda n: f"郑州市某社区{n}号")
    phone = "0371-6000 0000"
    latitude = 34.75
    longitude = 113.62

    class Meta:
        model = CommunitySchoolPage


def school_branch(parent, district_name="金水区", *, centre=None, school=None, **college):
    """One branch of the four tiers: a district college, a street centre under it and, unless
    ``school`` is None, a school under that, built in that order under ``parent`` (郑州社区大学,
    which is created first when ``parent`` is another page, e.g. the home page).

    ``centre`` and ``school`` are the centre's and the school's fields ({} for the defaults);
    other keywords are the college's. Returns the university, college, centre and school.
    """
    if isinstance(parent.specific, CommunityUniversityPage):
        university = parent
    else:
        university = CommunityUniversityPageFactory(parent=parent)
    college_page = CommunityCollegePageFactory(
        parent=university, district_name=district_name, **college
    )
    centre_page = CommunityCentrePageFactory(parent=college_page, **(centre or {}))
    school_page = (
        None if school is None else CommunitySchoolPageFactory(parent=centre_page, **school)
    )
    return SimpleNamespace(
        university=university, college=college_page, centre=centre_page, school=school_page
    )
