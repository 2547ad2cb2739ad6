import factory
import wagtail_factories

from news.models import NewsIndexPage, NewsKind, NewsPage
from tests.factories import hooks


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "新闻动态"
    slug = "news"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"新闻{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    kind = NewsKind.NEWS
    summary = "新闻摘要"
    source = "郑州市社区教育指导服务中心"

    class Meta:
        model = NewsPage

    tags = hooks.tags
