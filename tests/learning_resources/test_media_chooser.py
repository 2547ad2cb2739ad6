"""Recordings on lectures and resources are chosen (or uploaded) through wagtailmedia's chooser,
and an upload's duration is read from the file; a typed one must be plausible."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtailmedia.models import Media

from tests.factories import FIXTURES
from tests.factories.events import EventIndexPageFactory, LecturePageFactory
from tests.factories.learning_resources import ResourceIndexPageFactory, ResourcePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, home_page):
    user = get_user_model().objects.create_superuser("admin", "admin@example.cn", "pw")
    client.force_login(user)
    return client


def _recording(name):
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


@pytest.mark.parametrize("kind", ["lecture", "resource"])
def test_the_recording_fields_are_choosers_not_dropdowns(admin_client, home_page, kind):
    if kind == "lecture":
        page = LecturePageFactory(parent=EventIndexPageFactory(parent=home_page))
    else:
        page = ResourcePageFactory(parent=ResourceIndexPageFactory(parent=home_page))

    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    for field, media_type in (("video", "video"), ("audio", "audio")):
        assert f'<select name="{field}"' not in html
        assert f'<input type="hidden" name="{field}"' in html
        assert f"/admin/media/chooser/{media_type}/" in html  # the chooser, with its upload tab


def test_the_chooser_offers_an_upload_form(admin_client):
    response = admin_client.get("/admin/media/chooser/video/")
    html = json.loads(response.content)["html"]
    assert 'name="media-chooser-upload-file"' in html


@pytest.mark.parametrize(
    ("media_type", "filename", "seconds"),
    [("video", "clip.mp4", 4.05), ("audio", "talk.mp3", 4.08)],
)
def test_an_upload_in_the_chooser_gets_its_duration_from_the_file(
    admin_client, media_type, filename, seconds
):
    response = admin_client.post(
        f"/admin/media/{media_type}/chooser/upload/",
        {
            "media-chooser-upload-title": "讲座回放",
            "media-chooser-upload-file": _recording(filename),
            "media-chooser-upload-collection": "1",
            "media-chooser-upload-duration": "",
        },
    )

    assert json.loads(response.content)["step"] == "media_chosen"
    media = Media.objects.get(title="讲座回放")
    assert media.duration == pytest.approx(seconds, abs=0.01)


def test_a_typed_duration_is_replaced_by_the_files_own(admin_client):
    admin_client.post(
        "/admin/media/video/add/",
        {
            "title": "讲座回放",
            "file": _recording("clip.mp4"),
            "collection": "1",
            "duration": "3600",
        },
    )
    assert Media.objects.get(title="讲座回放").duration == pytest.approx(4.05, abs=0.01)


WEBM_HEADER_ONLY = b"\x1a\x45\xdf\xa3" + b"\x00" * 60  # valid signature, nothing to read a length


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "无法从这个文件读出时长"), ("-5", "时长应在"), ("99999999", "时长应在")],
)
def test_an_unreadable_file_needs_a_plausible_typed_duration(admin_client, typed, message):
    response = admin_client.post(
        "/admin/media/video/add/",
        {
            "title": "讲座回放",
            "file": SimpleUploadedFile("talk.webm", WEBM_HEADER_ONLY),
            "collection": "1",
            "duration": typed,
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Media.objects.filter(title="讲座回放").exists()


def test_an_unreadable_file_with_a_typed_duration_is_accepted(admin_client):
    admin_client.post(
        "/admin/media/video/add/",
        {
            "title": "讲座回放",
            "file": SimpleUploadedFile("talk.webm", WEBM_HEADER_ONLY),
            "collection": "1",
            "duration": "5400",
        },
    )
    assert Media.objects.get(title="讲座回放").duration == 5400
