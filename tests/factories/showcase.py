import factory
import wagtail_factories

from showcase.models import (
    HonourIndexPage,
    HonourKind,
    HonourPage,
    LearningOrganisationIndexPage,
    LearningOrganisationPage,
    OrganisationKind,
    PeopleIndexPage,
    ShowcaseIndexPage,
    StatisticsPage,
    VolunteerFormField,
    VolunteerPage,
)


class ShowcaseIndexPageFactory(wagtail_factories.PageFactory):
    title = "学习型组织与示范项目"
    slug = "showcase"

    class Meta:
        model = ShowcaseIndexPage


class LearningOrganisationIndexPageFactory(wagtail_factories.PageFactory):
    title = "学习型组织"
    slug = "organisations"

    class Meta:
        model = LearningOrganisationIndexPage


class HonourIndexPageFactory(wagtail_factories.PageFactory):
    title = "示范项目与百姓学习之星"
    slug = "honours"

    class Meta:
        model = HonourIndexPage


class LearningOrganisationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"学习型组织{n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.COMMUNITY
    year = 2024
    summary = "组织简介"

    class Meta:
        model = LearningOrganisationPage


class HonourPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"示范项目{n}")
    slug = factory.Sequence(lambda n: f"honour-{n}")
    kind = HonourKind.PROJECT
    year = 2024
    summary = "项目简介"

    class Meta:
        model = HonourPage


class PeopleIndexPageFactory(wagtail_factories.PageFactory):
    title = "师资队伍"
    slug = "teachers"

    class Meta:
        model = PeopleIndexPage


class StatisticsPageFactory(wagtail_factories.PageFactory):
    title = "数据统计"
    slug = "statistics"

    class Meta:
        model = StatisticsPage


class VolunteerPageFactory(wagtail_factories.PageFactory):
    title = "志愿者招募"
    slug = "volunteer"
    to_address = "volunteers@zzlearning.example"
    from_address = "noreply@zzlearning.example"
    subject = "志愿者招募：有新的报名"

    class Meta:
        model = VolunteerPage


class VolunteerFormFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"表单项{n}")
    field_type = "singleline"
    required = True

    class Meta:
        model = VolunteerFormField
