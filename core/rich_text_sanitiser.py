"""Rich text saved outside the editor (imports, loaders, code) is cleaned before it is stored.

The editor (Draftail) only ever produces whitelisted HTML; anything else that sets a
``RichTextField`` or a ``RichTextBlock`` value could store ``<script>``, ``onerror=`` or
``javascript:`` links, which Wagtail's ``|richtext`` filter would then render as they are. A
``pre_save`` hook runs every rich-text value of every model through a whitelist of Wagtail's
stored format (internal links keep ``linktype``/``id``, embedded images and media keep
``embedtype``/``id``/``format``/``alt``): unknown tags are unwrapped, dangerous ones dropped with
their content, every attribute not on the list removed, URLs with unsafe schemes dropped.
Cleaning clean HTML changes nothing, so editor content passes through unchanged.
"""

from __future__ import annotations

from functools import cache

from bs4 import Tag
from django.db.models.signals import pre_save
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import RichText
from wagtail.whitelist import (
    DEFAULT_ELEMENT_RULES,
    Whitelister,
    allow_without_attributes,
    attribute_rule,
    check_url,
)

DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "applet", "frame", "frameset", "noscript",
     "template", "svg", "math", "form", "input", "button", "textarea", "select", "link", "meta",
     "base", "title", "head"}
)  # fmt: skip


class StoredRichTextWhitelister(Whitelister):
    element_rules = {
        **DEFAULT_ELEMENT_RULES,
        "a": attribute_rule({"href": check_url, "linktype": True, "id": True}),
        "embed": attribute_rule(
            {"embedtype": True, "id": True, "format": True, "alt": True, "url": check_url}
        ),
        "img": attribute_rule({"src": check_url, "alt": True, "width": True, "height": True}),
        "blockquote": allow_without_attributes,
        "code": allow_without_attributes,
        "s": allow_without_attributes,
        "u": allow_without_attributes,
    }

    def clean_tag_node(self, doc, tag):
        if isinstance(tag, Tag) and tag.name in DROPPED_WITH_CONTENT:
            tag.decompose()  # not unwrapped: their text is code, not content
            return
        super().clean_tag_node(doc, tag)


_whitelister = StoredRichTextWhitelister()


def sanitise_html(html: str) -> str:
    if not html:
        return html
    return _whitelister.clean(html)


def sanitise_block_value(block, value):
    """Clean the rich text inside a StreamField value, however deeply nested."""
    if value is None:
        return value
    if isinstance(block, blocks.RichTextBlock):
        source = value.source if isinstance(value, RichText) else str(value)
        cleaned = sanitise_html(source)
        return value if cleaned == source else RichText(cleaned)
    if isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            if name in value:
                value[name] = sanitise_block_value(child_block, value[name])
        return value
    if isinstance(block, blocks.ListBlock):
        for index in range(len(value)):
            value[index] = sanitise_block_value(block.child_block, value[index])
        return value
    if isinstance(block, blocks.StreamBlock):
        for child in value:
            child.value = sanitise_block_value(child.block, child.value)
        return value
    return value


@cache
def _rich_fields(model) -> tuple[list[str], list[str]]:
    rich, stream = [], []
    for field in model._meta.concrete_fields:
        if isinstance(field, RichTextField):
            rich.append(field.attname)
        elif isinstance(field, StreamField) and _has_rich_text(field.stream_block):
            stream.append(field.attname)
    return rich, stream


def _has_rich_text(block) -> bool:
    if isinstance(block, blocks.RichTextBlock):
        return True
    children = []
    if isinstance(block, blocks.StructBlock | blocks.StreamBlock):
        children = list(block.child_blocks.values())
    elif isinstance(block, blocks.ListBlock):
        children = [block.child_block]
    return any(_has_rich_text(child) for child in children)


def sanitise_instance(sender, instance, raw=False, **kwargs):
    if raw:
        return
    rich, stream = _rich_fields(type(instance))
    for name in rich:
        value = getattr(instance, name)
        if value:
            setattr(instance, name, sanitise_html(value))
    for name in stream:
        value = getattr(instance, name)
        field = type(instance)._meta.get_field(name)
        if value:
            sanitise_block_value(field.stream_block, value)


def connect():
    pre_save.connect(sanitise_instance, dispatch_uid="core.rich_text_sanitiser")
