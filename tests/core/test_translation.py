"""The flattened translation catalogue (core.translation) answers every message as Django's
chain of catalogues does, in one lookup."""

from django.utils import translation
from django.utils.translation import trans_real

from core.translation import FlatCatalog, _chain


def test_every_message_is_translated_as_by_djangos_own_chain_of_catalogues():
    with translation.override("zh-hans"):
        flat = trans_real.translation("zh-hans")
        assert isinstance(flat._catalog, FlatCatalog) and flat._fallback is None

        django_built = trans_real.DjangoTranslation("zh-hans")  # as Django alone builds it
        chain = _chain(django_built)
        assert len(chain) > 1

        singular = {key for catalog, *_ in chain for key in catalog if isinstance(key, str)}
        plural = {key[0] for catalog, *_ in chain for key in catalog if isinstance(key, tuple)}
        assert len(singular) > 1000
        for message in singular:
            assert flat.gettext(message) == django_built.gettext(message), message
        for message in plural:
            for number in (0, 1, 2, 5, 21):
                assert flat.ngettext(message, message, number) == django_built.ngettext(
                    message, message, number
                ), message

        # Wagtail's zh catalogues stand behind its zh_Hans ones: a word only they hold is
        # still found, and the site's own Chinese words come back as they are.
        main = {key for catalog, _rule, fallback in chain if not fallback for key in catalog}
        fallback_only = {
            key: catalog[key]
            for catalog, _rule, fallback in chain
            if fallback
            for key in catalog
            if isinstance(key, str) and key and key not in main and catalog[key]
        }
        assert fallback_only
        for message in fallback_only:
            assert flat.gettext(message) == django_built.gettext(message) != message
        assert translation.gettext("没有找到符合条件的课程") == "没有找到符合条件的课程"
        assert translation.gettext("Save") == django_built.gettext("Save") != "Save"
