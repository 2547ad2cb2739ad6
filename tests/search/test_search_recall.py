"""The recall sets name real demo pages, and ``search_recall`` runs on a small set."""

from io import StringIO

import pytest
from django.core.management import call_command

from search import recall_sets
from search.query import searchable_pages

pytestmark = pytest.mark.engine


def test_the_sets_are_the_size_the_benchmark_promises():
    assert len(recall_sets.NEEDS) >= 60
    assert len({need.query for need in recall_sets.NEEDS}) == len(recall_sets.NEEDS)
    assert all(need.titles for need in recall_sets.NEEDS)
    assert len(recall_sets.TRADITIONAL) >= 20
    assert all(typed != simplified for typed, simplified in recall_sets.TRADITIONAL)
    assert len(recall_sets.PINYIN_SLIPS) >= 10
    assert all(typed.isascii() and typed.isalpha() for typed, _word in recall_sets.PINYIN_SLIPS)


@pytest.mark.django_db
def test_every_need_names_pages_that_exist_in_the_demo(demo):
    titles = set(searchable_pages().values_list("title", flat=True))
    missing = {
        need.query: [title for title in need.titles if title not in titles]
        for need in recall_sets.NEEDS
        if not set(need.titles) <= titles
    }
    assert not missing
    # The words the other sets stand for are on the demo too (so recall is measurable).
    assert all(any(word in title for title in titles) for _typed, word in recall_sets.PINYIN_SLIPS)


@pytest.mark.django_db
def test_the_command_runs_one_small_set(demo):
    out, err = StringIO(), StringIO()
    call_command("search_recall", "--set", "needs", "--limit", "3", stdout=out, stderr=err)
    report = out.getvalue()
    assert "needs" in report and "n=3 " in report and "top 3=" in report and "p95" in report
    assert "Needs name pages that do not exist" not in err.getvalue()
    assert "Searchable pages" not in report  # the sampled set did not run

    out = StringIO()
    call_command(
        "search_recall", "--set", "traditional", "--limit", "2", "--show-misses", stdout=out
    )
    assert "traditional" in out.getvalue()
