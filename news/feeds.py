"""RSS 2.0 and Atom feeds of the newest news and notices."""

from home.feeds import PageFeed, atom_variant

from .models import NewsIndexPage, NewsPage


class NewsFeed(PageFeed):
    title = "郑州终身学习网 · 新闻动态与通知公告"
    description = "郑州市社区教育和终身学习的最新新闻动态与通知公告。"
    index_model = NewsIndexPage
    guid_prefix = "news"

    def get_pages(self):
        return NewsPage.listed().prefetch_related("tags")

    def item_title(self, item: NewsPage):
        return f"【{item.get_kind_display()}】{item.title}"

    def item_description(self, item: NewsPage):
        return item.summary

    def item_author_name(self, item: NewsPage):
        return item.source or None

    def item_categories(self, item: NewsPage):
        return [item.get_kind_display(), *(tag.name for tag in item.tags.all())]


NewsAtomFeed = atom_variant(NewsFeed)
