"""RSS 2.0 and Atom feeds of the newest learning resources."""

from home.feeds import PageFeed, atom_variant
from home.queries import live_public

from .models import ResourceIndexPage, ResourcePage


class NewestResourcesFeed(PageFeed):
    title = "郑州终身学习网 · 新上线的学习资源"
    description = "郑州终身学习网最新发布的视频、音频、文档和图文学习资源。"
    index_model = ResourceIndexPage
    guid_prefix = "resource"

    def get_pages(self):
        return (
            live_public(ResourcePage.objects.all())
            .select_related("category")
            .prefetch_related("tags")
            .defer_streamfields()
            .defer("transcript")
            .order_by("-first_published_at", "-pk")
        )

    def item_title(self, item: ResourcePage):
        return f"【{item.get_kind_display()}】{item.title}"

    def item_description(self, item: ResourcePage):
        return item.summary


NewestResourcesAtomFeed = atom_variant(NewestResourcesFeed)
