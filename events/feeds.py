"""RSS 2.0 and Atom feeds of 郑州讲坛 lectures, newest first."""

from django.utils import timezone

from home.feeds import PageFeed, atom_variant
from home.queries import live_public

from .models import ForumIndexPage, LecturePage


class LecturesFeed(PageFeed):
    title = "郑州终身学习网 · 郑州讲坛"
    description = "郑州讲坛的讲座预告与讲座回放。"
    index_model = ForumIndexPage
    guid_prefix = "lecture"

    def get_pages(self):
        return (
            LecturePage.with_card_data(live_public(LecturePage.objects.all()))
            .prefetch_related("tags")
            .order_by("-first_published_at", "-pk")
        )

    def item_title(self, item: LecturePage):
        label = "讲座回放" if item.has_recording else "讲座预告"
        return f"【{label}】{item.title}"

    def item_description(self, item: LecturePage):
        occurrence = item.all_occurrences[0] if item.all_occurrences else None
        lines = [item.summary]
        speakers = "、".join(person.name for person in item.speaker_people)
        if speakers:
            lines.append(f"主讲：{speakers}")
        if occurrence:
            lines.append(f"时间：{timezone.localtime(occurrence.start):%Y年%-m月%-d日 %H:%M}")
        return "\n".join(lines)

    def item_author_name(self, item: LecturePage):
        return "、".join(person.name for person in item.speaker_people) or None


LecturesAtomFeed = atom_variant(LecturesFeed)
