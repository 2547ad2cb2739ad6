"""Links shown next to an occurrence on event, lecture and course pages (e.g. 报名).

Pages here cannot know about higher apps, so those register a function under the
``occurrence_links`` hook: it takes a list of ``home.Occurrence`` rows and returns a mapping of
occurrence pk to a list of ``OccurrenceLink``. It must not query per occurrence, and whatever it
returns ends up in cacheable public pages: static facts only, never live counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail import hooks

HOOK_NAME = "occurrence_links"


@dataclass(frozen=True)
class OccurrenceLink:
    label: str
    url: str
    note: str = ""
    # "signup" for a sign-up link: pages then lead with it (home.attendance) and, for a course,
    # show it once near the top rather than under a session.
    kind: str = ""


def occurrence_links(occurrences) -> dict[int, list[OccurrenceLink]]:
    occurrences = [occurrence for occurrence in occurrences if occurrence.pk]
    links: dict[int, list[OccurrenceLink]] = {}
    for hook in hooks.get_hooks(HOOK_NAME):
        for pk, found in hook(occurrences).items():
            links.setdefault(pk, []).extend(found)
    return links
