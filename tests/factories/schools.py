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
