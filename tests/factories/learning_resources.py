import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtailmedia.models import Media

from learning_resources.models import (
    CourseIndexPage,
    CourseLesson,
    CourseMode,
    CoursePage,
    CourseTeacher,
    ResourceDocument,
    ResourceIndexPage,
    ResourcePage,
)
from tests.factories import FIXTURES, hooks

# The committed test clips (tests/fixtures/) are real, playable files:
# tests play what residents would.


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    title = "学习资源"
    slug = "resources"

    class Meta:
        model = ResourceIndexPage


class VideoFactory(DjangoModelFactory):
    """The committed 4-second test clip: a real, playable mp4."""

    title = factory.Sequence(lambda n: f"视频{n}")
    type = "video"
    duration = 4.0
    width = 320
    height = 180
    file = factory.django.FileField(filename="clip.mp4", data=(FIXTURES / "clip.mp4").read_bytes())

    class Meta:
        model = Media


class AudioFactory(VideoFactory):
    title = factory.Sequence(lambda n: f"音频{n}")
    type = "audio"
    width = None
    height = None
    file = factory.django.FileField(filename="talk.mp3", data=(FIXTURES / "talk.mp3").read_bytes())


class CaptionDocumentFactory(wagtail_factories.DocumentFactory):
    title = "中文字幕"
    file = factory.django.FileField(
        filename="captions.vtt", data=(FIXTURES / "captions.vtt").read_bytes()
    )


class ResourcePageFactory(wagtail_factories.PageFactory):
    """A live resource. ``audiences``, ``tags`` (names) and ``documents`` may be passed as lists."""

    title = factory.Sequence(lambda n: f"学习资源{n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    summary = "资源摘要"
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ResourcePage
        skip_postgeneration_save = True  # each hook below saves what it changed

    audiences = hooks.audiences
    tags = hooks.tags

    @factory.post_generation
    def documents(self, create, extracted, **kwargs):
        if extracted:
            for order, document in enumerate(extracted):
                ResourceDocument.objects.create(page=self, document=document, sort_order=order)
            self.save()  # the kind follows what the page carries


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    title = "课程"
    slug = "courses"

    class Meta:
        model = CourseIndexPage


class CoursePageFactory(wagtail_factories.PageFactory):
    """A live course. ``audiences``, ``tags`` (names) and ``teachers`` (Person) may be lists."""

    title = factory.Sequence(lambda n: f"课程{n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "课程摘要"
    mode = CourseMode.OFFLINE
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = CoursePage
        skip_postgeneration_save = True  # each hook below saves what it changed

    audiences = hooks.audiences
    tags = hooks.tags

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        for order, person in enumerate(extracted or []):
            CourseTeacher.objects.create(page=self, person=person, sort_order=order)


def add_lesson(course, title, *, resource=None, media=None, **fields):
    """Append a lesson to ``course`` after its existing ones."""
    return CourseLesson.objects.create(
        page=course,
        title=title,
        resource=resource,
        media=media,
        sort_order=course.lessons.count(),
        **fields,
    )
