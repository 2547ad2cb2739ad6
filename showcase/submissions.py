"""The admin's list of volunteer sign-ups, with phone numbers masked on screen.

Editors see who signed up and can export the list (CSV/XLSX, an explicit step) to contact
them; the page itself, which may be left open or shown on a projector, shows 138****1234.
"""

import re

from wagtail.contrib.forms.views import SubmissionsListView

# Mainland mobile numbers, and landlines with an area code (0371-6000 0000).
PHONE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)|(?<!\d)(0\d{2,3}-?)\d{3,4} ?(\d{4})(?!\d)")


def mask_phone_numbers(value):
    if not isinstance(value, str):
        return value
    return PHONE.sub(
        lambda match: (
            f"{match.group(1)}****{match.group(2)}"
            if match.group(1)
            else f"{match.group(3)}****{match.group(4)}"
        ),
        value,
    )


class MaskedSubmissionsListView(SubmissionsListView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for row in context.get("data_rows", []):
            row["fields"] = [mask_phone_numbers(value) for value in row["fields"]]
        return context
