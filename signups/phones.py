"""Mainland mobile numbers: one normaliser and one mask, used everywhere a number is shown."""

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
    """138****1234: the first three and last four digits; anything else fully hidden."""
    if not phone:
        return ""
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * len(phone)
