import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from home.models import Audience, Category, HomePage, Person, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "郑州终身学习网"
    slug = "home"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"普通页面{n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    intro = "页面摘要"

    class Meta:
        model = StandardPage


class AudienceFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"学习对象{n}")
    slug = factory.Sequence(lambda n: f"audience-{n}")

    class Meta:
        model = Audience


class CategoryFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"类别{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")

    class Meta:
        model = Category


class PersonFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"主讲人{n}")
    title = "副教授"
    affiliation = "郑州社区大学"

    class Meta:
        model = Person
