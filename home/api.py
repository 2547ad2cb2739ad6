"""Small serializer fields for the read-only API's ``api_fields`` (the API itself is in ``api/``).

They live here so that every app can describe its public fields without importing the API app.
"""

from rest_framework import serializers
from wagtail.api import APIField


class AbsoluteURLField(serializers.Field):
    """A page's relative URL property (e.g. a video file) as an absolute URL on the public host."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        from core.public_urls import public_url

        return public_url(value)


def name_of(field: str) -> APIField:
    """A foreign key to a vocabulary snippet (category…) as its name, or null."""
    return APIField(
        f"{field}_name",
        serializer=serializers.CharField(source=f"{field}.name", read_only=True, allow_null=True),
    )


def names_of(field: str, name: str) -> APIField:
    """A many-to-many to a vocabulary snippet (audiences…) as a list of names."""
    return APIField(
        name,
        serializer=serializers.SlugRelatedField(
            source=field, slug_field="name", many=True, read_only=True
        ),
    )


def absolute_url(name: str) -> APIField:
    return APIField(name, serializer=AbsoluteURLField())
