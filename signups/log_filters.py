"""Keeps private sign-up links out of the logs.

Django logs every 4xx/5xx answer with its path ("Not Found: /signup/status/<token>/"); the
token is what lets someone cancel a sign-up, so the filter replaces it before any handler sees it.
"""

import logging
import re

TOKEN_IN_PATH = re.compile(r"(/signup/status/)[^/\s\"']+")


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(r"\1…", text)


class RedactSignupTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/signup/status/" in message:
            record.msg, record.args = redact(message), ()
        return True
