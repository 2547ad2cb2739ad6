"""Editors' synonyms for the site search (设置 → 搜索同义词)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models

from core.segmentation import fold

# Words in a group are separated by slashes, commas (half or full width), 、 or spaces.
WORD_SEPARATORS = re.compile(r"[\s/／,，、;；|]+")
MAX_WORDS_PER_GROUP = 12
MAX_WORD_LENGTH = 20


def split_words(text: str) -> list[str]:
    """The distinct words of a group as the search reads them (lowercase, simplified)."""
    words: dict[str, None] = {}
    for word in WORD_SEPARATORS.split(text or ""):
        word = fold(word.strip().lower())
        if word:
            words[word] = None
    return list(words)


class SearchSynonym(models.Model):
    """A group of words residents use for one thing: a query naming one finds them all."""

    words = models.CharField(
        "同义词",
        max_length=300,
        help_text="用“/”、逗号或空格分隔，例如：电脑 / 计算机 / 办公软件。搜索其中任何一个词，"
        "都会同时找到含有其他词的内容。",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "搜索同义词"
        verbose_name_plural = "搜索同义词"
        ordering = ["pk"]

    def __str__(self):
        return " / ".join(split_words(self.words))

    def clean(self):
        words = split_words(self.words)
        if len(words) < 2:
            raise ValidationError({"words": "一组同义词至少要有两个词。"})
        if len(words) > MAX_WORDS_PER_GROUP:
            raise ValidationError({"words": f"一组最多 {MAX_WORDS_PER_GROUP} 个词。"})
        too_long = [word for word in words if len(word) > MAX_WORD_LENGTH]
        if too_long:
            raise ValidationError({"words": f"每个词最多 {MAX_WORD_LENGTH} 个字：{too_long[0]}"})
