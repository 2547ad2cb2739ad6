"""Post data for a Wagtail admin edit form, as the browser would send it for an unchanged page.

The admin's JavaScript turns StreamField and inline-panel state into flat form fields; this does
the same in Python from the real edit form (the page's own edit handler), so a test can send any
page type's edit form to the preview endpoint without writing its fields out by hand.
"""

from __future__ import annotations

import datetime

from django import forms
from wagtail.blocks import (
    BooleanBlock,
    ListBlock,
    StreamBlock,
    StructBlock,
)
from wagtail.blocks.base import BlockField


def edit_form_data(page, user) -> dict:
    """The edit form of ``page`` (its latest revision) as POST data."""
    page = page.get_latest_revision_as_object()
    form_class = type(page).get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=user, parent_page=page.get_parent())
    data: dict = {}
    _add_form(form, data)
    return data


def _add_form(form, data):
    for bound_field in form:
        _add_field(bound_field, data)
    for formset in getattr(form, "formsets", {}).values():
        _add_formset(formset, data)


def _add_formset(formset, data):
    prefix = formset.prefix
    data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.forms))
    data[f"{prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    for number, subform in enumerate(formset.forms):
        _add_form(subform, data)
        if "ORDER" in subform.fields:
            data[subform.add_prefix("ORDER")] = str(number + 1)
        data.pop(subform.add_prefix("DELETE"), None)


def _add_field(bound_field, data):
    field, name, widget = bound_field.field, bound_field.html_name, bound_field.field.widget
    value = bound_field.value()
    if isinstance(field, BlockField):
        _add_block(field.block, field.block.get_form_state(value), name, data)
    elif isinstance(widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
    elif isinstance(widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
        data[name] = [str(getattr(item, "pk", item)) for item in value or []]
    elif value is None:
        data[name] = ""
    elif isinstance(field, forms.ModelChoiceField):
        data[name] = str(getattr(value, "pk", value))
    else:
        formatted = widget.format_value(value)
        if isinstance(formatted, datetime.date | datetime.time):
            formatted = formatted.isoformat()
        data[name] = "" if formatted is None else formatted


def _add_block(block, state, prefix, data):
    if isinstance(block, StreamBlock):
        state = state or []
        data[f"{prefix}-count"] = str(len(state))
        for number, child in enumerate(state):
            data[f"{prefix}-{number}-type"] = child["type"]
            data[f"{prefix}-{number}-deleted"] = ""
            data[f"{prefix}-{number}-order"] = str(number)
            data[f"{prefix}-{number}-id"] = child["id"] or ""
            child_block = block.child_blocks[child["type"]]
            _add_block(child_block, child["value"], f"{prefix}-{number}-value", data)
    elif isinstance(block, ListBlock):
        state = state or []
        data[f"{prefix}-count"] = str(len(state))
        for number, child in enumerate(state):
            data[f"{prefix}-{number}-deleted"] = ""
            data[f"{prefix}-{number}-order"] = str(number)
            data[f"{prefix}-{number}-id"] = child.get("id") or ""
            _add_block(block.child_block, child["value"], f"{prefix}-{number}-value", data)
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            _add_block(child_block, (state or {}).get(name), f"{prefix}-{name}", data)
    elif isinstance(block, BooleanBlock):
        if state:
            data[prefix] = "on"
    elif isinstance(state, dict):  # a chooser's state: the chosen item's id with its display data
        data[prefix] = str(state.get("id") or "")
    elif isinstance(state, list | tuple):
        data[prefix] = [str(item) for item in state]
    else:
        data[prefix] = "" if state is None else str(state)
