"""Chinese segmentation for the database search backends.

SQLite FTS5 (unicode61) and PostgreSQL's ``simple`` configuration read a run of Han characters
as one token, so 太极 would never find 太极拳入门课程. Every page therefore also indexes its own
text in segmented form, and the search app turns each query into the same pieces:

- overlapping bigrams of each Han run (太极拳 → 太极 极拳), searched as a phrase, so any
  substring of two or more characters matches;
- the distinct single Han characters (and Latin/digit words glued to Han text, e.g. the 5G of
  5G手机), so a one-character query or such a word can match;
- the title's pinyin, one token per character (tai ji quan) and its initials (t j q), so a
  resident typing ``taijiquan`` or ``tjq`` finds 太极拳;
- the title's bigrams, characters and pinyin once more in a field the backends count as the
  title (``SegmentedTitleField``), so a page named for the words ranks above one that mentions
  them.

Traditional characters are folded to simplified ones (``fold``, OpenCC's t2s) in what is indexed
and in queries alike, so 學校 finds 学校.

Fields and values come from the page's own SearchFields (title, summary, body StreamField,
rich text, tags...), so a page model opts in with the mixin and one line in ``search_fields``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Manager
from django.utils.encoding import force_str
from wagtail.search import index
from wagtail.search.tasks import insert_or_update_object_task

# CJK unified ideographs (basic, extension A, compatibility, extensions B-F) and 〇.
HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
# Letters and digits that are not Han: Latin words, numbers, full-width alphanumerics.
WORD_RUN = re.compile(f"[^\\W_{HAN_CLASS}]+")

SEGMENT_FIELD_NAMES = ("search_bigrams", "search_unigrams", "search_pinyin")
# The method behind ``SegmentedTitleField`` (indexed under the backends' title column).
TITLE_SEGMENTS_NAME = "search_title_segments"
# Same weight as Wagtail's own ``SearchField("title", boost=2)``.
TITLE_BOOST = 2


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def _fold_short(text: str) -> str:
    return _t2s().convert(text)


def fold(text: str) -> str:
    """Traditional Han characters as simplified ones (學校 → 学校); other text unchanged."""
    if not text or text.isascii():
        return text or ""
    if len(text) <= 200:  # titles and queries repeat: remember them
        return _fold_short(text)
    return _t2s().convert(text)


def han_runs(text: str) -> list[str]:
    return HAN_RUN.findall(text or "")


def bigrams(run: str) -> list[str]:
    """Overlapping pairs of one Han run: 太极拳 → [太极, 极拳]; a single character gives none."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


def bigram_text(texts: Iterable[str]) -> str:
    """The bigrams of every Han run, in order (phrases need the order), space-separated."""
    return " ".join(
        " ".join(bigrams(run)) for text in texts for run in han_runs(text) if len(run) > 1
    )


def unigram_text(texts: Iterable[str]) -> str:
    """Each distinct Han character once, then the Latin/digit words that touch Han text.

    Order does not matter for single-term matches, so duplicates are dropped to keep the index
    small. Words such as "5G" in 5G手机 reach the index as tokens of their own only here.
    """
    characters: dict[str, None] = {}
    words: dict[str, None] = {}
    for text in texts:
        for run in han_runs(text):
            characters.update(dict.fromkeys(run))
        for match in WORD_RUN.finditer(text or ""):
            before = text[match.start() - 1 : match.start()]
            after = text[match.end() : match.end() + 1]
            if HAN_RUN.match(before) or HAN_RUN.match(after):
                words[match.group().lower()] = None
    return " ".join([*characters, *words])


def title_pinyin(title: str) -> tuple[list[str], list[str]]:
    """Full pinyin and initials of the Han characters of a title, one item per character."""
    from pypinyin import Style, lazy_pinyin

    text = "".join(han_runs(title))
    if not text:
        return [], []
    # lazy_pinyin reads word by word (重庆 → chong qing); "v" stands for ü as residents type it.
    full = [syllable.lower() for syllable in lazy_pinyin(text, v_to_u=False)]
    initials = [letter.lower() for letter in lazy_pinyin(text, style=Style.FIRST_LETTER)]
    return full, initials


def pinyin_text(title: str) -> str:
    full, initials = title_pinyin(title)
    return " ".join([*full, *initials])


def title_segments_text(title: str) -> str:
    """What the title column gets besides the title: its bigrams, characters and full pinyin.

    The pinyin comes last, one syllable per character, so adjacent syllables stay adjacent for
    phrases (``tai ji``); initials stay in the body (``search_pinyin``): as one-letter tokens in
    the title they would only make noise rank high.
    """
    title = fold(title or "")
    full, _initials = title_pinyin(title)
    return " ".join(part for part in (bigram_text([title]), unigram_text([title]), *full) if part)


# Every toneless syllable pypinyin knows (420), ü written as v, as pinyin_dict gives them
# (tests/search/test_search.py derives the set again from the installed pypinyin and compares).
# Written out because reading them means loading pinyin_dict, 57 MB in every worker that
# answers a search, where nothing else on the search path needs it.
_PINYIN_SYLLABLES_TEXT = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu
    ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou
    chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang
    dao de dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en
    eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou
    gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai
    huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai
    kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao
    le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve
    ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang
    nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve
    o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang
    qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan
    rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi
    shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan
    tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei
    wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan
    yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha
    zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui
    zhun zhuo zi zong zou zu zuan zui zun zuo
"""
PINYIN_SYLLABLES = frozenset(_PINYIN_SYLLABLES_TEXT.split())


def split_pinyin(word: str, *, limit: int = 4) -> list[list[str]]:
    """Ways to read ``word`` as a sequence of pinyin syllables, fewest syllables first.

    ``xian`` gives [[xian], [xi, an]]; a word that is not pinyin gives []. At most ``limit``
    readings, so a long word cannot fan out into an expensive query.
    """
    word = word.lower()
    if not word.isascii() or not word.isalpha() or len(word) > 60:
        return []
    syllables = PINYIN_SYLLABLES
    longest = 6  # zhuang, chuang, shuang
    # ways[i]: readings of word[i:], built from the end; each kept list is already bounded.
    ways: list[list[list[str]]] = [[] for _ in range(len(word))] + [[[]]]
    for start in range(len(word) - 1, -1, -1):
        found: list[list[str]] = []
        for end in range(min(len(word), start + longest), start, -1):
            piece = word[start:end]
            if piece in syllables:
                found.extend([piece, *rest] for rest in ways[end])
        found.sort(key=len)
        ways[start] = found[: limit * 4]
    return sorted(ways[0], key=len)[:limit]


# --- Reading a page's own text ---------------------------------------------------------------


def _flatten(value) -> Iterator[str]:
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _flatten(item)
    else:
        yield force_str(value)


def _field_texts(obj, fields) -> Iterator[str]:
    for field in fields:
        if isinstance(field, index.SearchField):
            if isinstance(field, SegmentedSearchField) or field.field_name in SEGMENT_FIELD_NAMES:
                continue
            yield from _flatten(field.get_value(obj))
        elif isinstance(field, index.RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            if isinstance(related, Manager):
                items = related.all()
            else:
                items = [related() if callable(related) else related]
            for item in items:
                yield from _field_texts(item, field.fields)


class SegmentedSearchField(index.SearchField):
    """A search field computed by ``SegmentedSearchMixin``.

    The search backends look for the model that defines a field to name it in their index;
    methods of a plain mixin have none (Elasticsearch's mapping fails on it), so the page model
    that carries the mixin counts as the definer.
    """

    def get_definition_model(self, cls):
        return cls


class SegmentedTitleField(SegmentedSearchField):
    """The title's segments, indexed where the database backends put the title.

    Wagtail's SQLite and PostgreSQL backends put every ``SearchField`` named ``title`` in the
    index's title column (PostgreSQL: weight A from the boost; SQLite: FTS5's bm25 over a short
    column, times the entry's title norm) and everything else in the body, whatever its boost.
    So this field is named ``title`` for them, while its value (``search_title_segments``) and
    its name in an Elasticsearch document (the attribute name, with the boost in the mapping)
    are its own.
    """

    def __init__(self):
        super().__init__("title", boost=TITLE_BOOST)

    def get_attname(self, cls):
        return TITLE_SEGMENTS_NAME

    def get_value(self, obj):
        return getattr(obj, TITLE_SEGMENTS_NAME)()


class SegmentedSearchMixin:
    """Indexes a page's own searchable text in segmented form as well (see module docstring).

    Add ``*SegmentedSearchMixin.segmented_search_fields`` to the model's ``search_fields``.
    """

    segmented_search_fields = [
        *(SegmentedSearchField(name) for name in SEGMENT_FIELD_NAMES),
        SegmentedTitleField(),
    ]
    # The field whose pinyin is indexed (a person's ``title`` is their job title, not their name).
    pinyin_field = "title"
    # Indexed once per save, by ``save()`` below, after modelcluster has written the child rows
    # (tags, lessons) the index reads. modelsearch's own post_save handler, which this turns off,
    # would index the page a first time without them, then again here: twice the work per save.
    # Deletions are still removed from the index by modelsearch's handler (``core.apps``).
    search_auto_update = False

    @classmethod
    def get_search_fields(cls):
        fields = super().get_search_fields()
        try:
            cls._meta.get_field("title")
        except FieldDoesNotExist:
            # A vocabulary (a name, no title): its title column stays as Wagtail has it.
            return [field for field in fields if not isinstance(field, SegmentedTitleField)]
        return fields

    def search_source_texts(self) -> list[str]:
        """The values of this page's other SearchFields, folded, as the search index sees them.

        Read once per indexing (the bigram and the single-character fields both need them); the
        instance indexed is the saved row, and ``save()`` forgets them.
        """
        texts = self.__dict__.get("_search_source_texts")
        if texts is None:
            texts = [fold(text) for text in _field_texts(self, self.get_search_fields()) if text]
            self.__dict__["_search_source_texts"] = texts
        return texts

    def search_bigrams(self) -> str:
        return bigram_text(self.search_source_texts())

    def search_unigrams(self) -> str:
        return unigram_text(self.search_source_texts())

    def search_pinyin(self) -> str:
        return pinyin_text(fold(getattr(self, self.pinyin_field, "") or ""))

    def search_title_segments(self) -> str:
        # The name a thing is known by: a page's title, a person's name (``pinyin_field``).
        return title_segments_text(getattr(self, self.pinyin_field, "") or "")

    def save(self, *args, **kwargs):
        self.__dict__.pop("_search_source_texts", None)
        result = super().save(*args, **kwargs)
        # Index from the database, not from this instance, which may hold a draft.
        insert_or_update_object_task.enqueue(
            self._meta.app_label, self._meta.model_name, str(self.pk)
        )
        return result


def add_segmented_search(model, pinyin_field: str = "title") -> None:
    """Give a model the project does not define the segmented index of ``SegmentedSearchMixin``.

    Wagtail's images and documents and wagtailmedia's media are searched in the admin's choosers
    and listings; a custom model for each only to add three index fields would cost migrations
    and a swap of every reference. Their class gets the mixin's methods and fields instead, at
    start-up (``core.apps``), before anything is indexed. ``manage.py update_index`` adds the
    segmented text to files uploaded before.
    """
    if any(
        getattr(field, "field_name", None) == SEGMENT_FIELD_NAMES[0]
        for field in model.search_fields
    ):
        return
    for name in (
        "search_source_texts",
        "search_bigrams",
        "search_unigrams",
        "search_pinyin",
        TITLE_SEGMENTS_NAME,
    ):
        setattr(model, name, SegmentedSearchMixin.__dict__[name])
    model.pinyin_field = pinyin_field
    model.search_fields = [*model.search_fields, *SegmentedSearchMixin.segmented_search_fields]


def remove_deleted_from_index() -> None:
    """A deleted object of a ``SegmentedSearchMixin`` model leaves the index, as modelsearch
    arranges for the models it updates itself (its save-time indexing is the mixin's own)."""
    from django.db.models.signals import post_delete
    from modelsearch.signal_handlers import post_delete_signal_handler

    for model in index.get_indexed_models():
        if issubclass(model, SegmentedSearchMixin):
            post_delete.connect(
                post_delete_signal_handler,
                sender=model,
                dispatch_uid=f"segmented-{model._meta.label}",
            )
