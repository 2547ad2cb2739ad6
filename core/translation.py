"""One dictionary per language for gettext, in the precedence Django's chain of catalogues has.

This site's own words are Chinese source text that no catalogue holds, so nearly every
``gettext`` on a public page is a miss, and a miss is slow: Django keeps the zh-hans catalogues
of the installed apps as 25 dictionaries tried one after another (its ``TranslationCatalog``
merges only catalogues whose plural rule it finds equal, and its test compares a function's code
with a function), and Wagtail ships a ``zh`` catalogue beside each ``zh_Hans`` one, which Python's
``gettext`` chains behind it as a fallback: 13 more translations walked one by one. A miss took
21 µs (a listing page makes about a hundred). Flattened into one dictionary, a miss is one lookup.

Flattening keeps every answer the same: the dictionaries are merged so that the first one in
Django's lookup order that holds a message still wins, and only when every catalogue in the
chain has the same plural rule (Chinese has one form); otherwise the translation is left as
Django built it. ``tests/core/test_translation.py`` compares the answers for every message.
"""

import functools

from django.utils.translation import trans_real

# Enough numbers to tell two plural rules apart (rules change at most around 0–200).
_PLURAL_PROBES = range(0, 201)


def _chain(translation):
    """(dictionary, plural rule, is a fallback) in the order gettext looks a message up."""
    pairs = []
    node = translation
    while node is not None:
        catalog = node._catalog
        fallback = node is not translation
        if isinstance(catalog, trans_real.TranslationCatalog):
            pairs += [
                (found, rule, fallback)
                for found, rule in zip(catalog._catalogs, catalog._plurals, strict=True)
            ]
        elif catalog is not None:
            pairs.append((catalog, node.plural, fallback))
        node = getattr(node, "_fallback", None)
    return pairs


class FlatCatalog:
    """What ``DjangoTranslation._catalog`` is asked (as Django's ``TranslationCatalog``), from one
    dictionary; a plural form is still chosen by each catalogue's own rule, in order."""

    def __init__(self, pairs):
        self.pairs = pairs
        self.merged = {}
        for catalog, _rule in reversed(pairs):  # the first in lookup order is written last
            self.merged.update(catalog)

    def __getitem__(self, key):
        return self.merged[key]

    def __setitem__(self, key, value):
        self.merged[key] = value

    def __contains__(self, key):
        return key in self.merged

    def get(self, key, default=None):
        return self.merged.get(key, default)

    def items(self):
        return self.merged.items()

    def keys(self):
        return self.merged.keys()

    def plural(self, msgid, num):
        for catalog, rule in self.pairs:
            found = catalog.get((msgid, rule(num)))
            if found is not None:
                return found
        raise KeyError


def flatten(translation) -> bool:
    """Merge ``translation``'s catalogues and fallbacks into one dictionary, in place.

    The same answers need the fallbacks to share the translation's own plural rule (a fallback
    is asked for ``(message, its rule's form)``, the merged dictionary with the first rule's).
    """
    if getattr(translation, "_flattened", False) or not isinstance(
        translation, trans_real.DjangoTranslation
    ):
        return False
    chain = _chain(translation)
    if len(chain) < 2:
        return False
    expected = [translation.plural(number) for number in _PLURAL_PROBES]
    for _catalog, rule, fallback in chain:
        if fallback and [rule(number) for number in _PLURAL_PROBES] != expected:
            return False
    translation._catalog = FlatCatalog([(catalog, rule) for catalog, rule, _ in chain])
    translation._fallback = None
    translation._flattened = True
    return True


def install():
    """Flatten each language's translation when Django first builds it."""
    if getattr(trans_real.translation, "flattens_catalogues", False):
        return
    build = trans_real.translation

    @functools.wraps(build)
    def translation(language):
        built = build(language)
        flatten(built)
        return built

    translation.flattens_catalogues = True
    trans_real.translation = translation
    # A language activated before this (during start-up) is flattened now.
    for built in list(trans_real._translations.values()):
        flatten(built)
