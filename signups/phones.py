"""Mainland mobile and fixed-line numbers: one normaliser and one mask, used everywhere a number is shown."""

from __future__ import annotations

import re
import unicodedata

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def normalize_phone(value: str) -> str | None:
    """The 11-digit number, or None when ``value`` is not a mainland mobile number.

    Full-width digits (common with Chinese input methods) become ASCII; spaces, dashes,
    brackets and a leading +86 / 0086 / 86 are accepted and removed.
    """
    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    else:
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
    return digits if MOBILE.match(digits) else None


def mask_phone(phone: str) -> str:
    """138****1234: the first three and last four digits; a fixed line keeps its area code
    (0371****5678); anything else fully hidden."""
    if not phone:
        return ""
    if LANDLINE.match(phone):
        return _mask_landline(phone)
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * len(phone)


# Fixed lines: a 3-digit area code (010, 020–029) or a 4-digit one (0371 …), then a 6–8 digit
# local number. Stored as digits only, so "0371-12345678" and "037112345678" are one number for
# the one-sign-up-per-number rule and the weekly limit.
LANDLINE = re.compile(r"^(?:0[12][0-9]|0[3-9][0-9]{2})[0-9]{6,8}$")
_SHORT_AREA = re.compile(r"^0[12]")


def normalize_landline(value: str) -> str | None:
    """The digits of a mainland fixed-line number with its area code, or None."""
    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    if digits.startswith("+86"):
        digits = "0" + digits[3:]
    elif digits.startswith("0086"):
        digits = "0" + digits[4:]
    return digits if LANDLINE.match(digits) else None


def normalize_contact_number(value: str) -> str | None:
    """A mobile or a fixed-line number (desk sign-ups, look-ups by elders without a mobile)."""
    return normalize_phone(value) or normalize_landline(value)


def is_landline(phone: str) -> bool:
    return phone.startswith("0")


def _mask_landline(phone: str) -> str:
    area = 3 if _SHORT_AREA.match(phone) else 4
    local = phone[area:]
    shown = 4 if len(local) >= 7 else 2
    return f"{phone[:area]}****{local[-shown:]}"


def mask_name(name: str) -> str:
    """张**: the family name only, for messages that may be read over someone's shoulder."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)
