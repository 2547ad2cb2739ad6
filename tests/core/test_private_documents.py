"""Documents are never public files: a document in a restricted collection is reachable only
through Wagtail's serve view, which checks the restriction first."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from core.storage import move_documents_out_of_public_media

SECRET = b"%PDF-1.4\n% internal minutes: not for the public\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_document():
    root = Collection.get_first_root_node()
    collection = root.add_child(name="内部资料")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    document = get_document_model()(title="内部会议纪要", collection=collection)
    document.file.save("minutes.pdf", ContentFile(SECRET))
    return document


def public_urls_for(name: str) -> list[str]:
    """Every /media/ URL the file could have been served at under public media."""
    return [f"{settings.MEDIA_URL}{name}", f"{settings.MEDIA_URL}{name.split('/', 1)[1]}"]


def test_a_private_documents_bytes_are_reachable_by_no_public_url(
    client, home_page, private_document
):
    path = Path(private_document.file.path).resolve()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert path.read_bytes() == SECRET
    assert not any(
        SECRET in file.read_bytes()
        for file in Path(settings.MEDIA_ROOT).rglob("*")
        if file.is_file()
    )
    # The development media view (SERVE_MEDIA_FILES is on in tests) has nothing to give.
    for url in public_urls_for(private_document.file.name):
        response = client.get(url)
        assert response.status_code == 404, url
    # The serve view asks an anonymous visitor to log in and sends no byte.
    response = client.get(private_document.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert SECRET not in response.content


def test_an_authorised_user_still_downloads_it_through_the_serve_view(
    client, home_page, private_document
):
    user = get_user_model().objects.create_user("reader", password="x-secret-9")
    client.force_login(user)
    response = client.get(private_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SECRET


def test_public_documents_are_served_by_the_view_too_and_images_stay_public(client, home_page):
    document = get_document_model()(title="课程表")
    document.file.save("timetable.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert (
        not Path(document.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    )
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
    response = client.get(document.url)
    assert response.status_code == 200
    # Other uploads keep their public location and URL.
    from django.core.files.storage import default_storage

    name = default_storage.save("original_images/x.txt", ContentFile(b"public"))
    assert (
        Path(default_storage.path(name))
        .resolve()
        .is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    )
    assert client.get(default_storage.url(name)).status_code == 200


def test_document_files_of_an_earlier_release_move_out_of_public_media(home_page):
    legacy = Path(settings.MEDIA_ROOT) / "documents" / "legacy-minutes.pdf"
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(SECRET)
    document = get_document_model().objects.create(
        title="旧文件", file="documents/legacy-minutes.pdf"
    )
    assert move_documents_out_of_public_media(["documents/legacy-minutes.pdf"]) == 1
    assert not legacy.exists()
    assert Path(document.file.path).read_bytes() == SECRET
    assert move_documents_out_of_public_media(["documents/legacy-minutes.pdf"]) == 0
