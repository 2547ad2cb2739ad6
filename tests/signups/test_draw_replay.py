"""Draws (摇号) replay the same on any Python: the project's own shuffle, pinned by fixed
vectors; draws made with Python's random.shuffle before it still verify with that method."""

from __future__ import annotations

import datetime
import hashlib
import io
import random

import pytest
from django.core.management import call_command

from signups.models import Draw
from signups.services import (
    DRAW_ALGORITHM_PYTHON_RANDOM,
    DRAW_ALGORITHM_SHA256,
    DrawStream,
    draw_order,
    draw_shuffle,
    replay_draw,
)
from tests.factories.events import EventIndexPageFactory, EventPageFactory, add_occurrence

# Runs again on PostgreSQL in CI: draw pools and results are JSON fields (SQLite JSON1 text,
# PostgreSQL jsonb).
pytestmark = pytest.mark.engine

START = datetime.datetime(2026, 12, 12, 1, 0, tzinfo=datetime.UTC)


def test_the_stream_is_sha256_in_counter_mode_over_the_seed():
    stream = DrawStream(20261201)
    block = hashlib.sha256(
        b"zzsite-draw-v2" + (20261201).to_bytes(8, "big") + (0).to_bytes(8, "big")
    ).digest()
    expected = [int.from_bytes(block[offset : offset + 8], "big") for offset in (0, 8, 16, 24)]
    assert [stream.below(2**64) for _ in range(4)] == expected


def test_the_shuffle_gives_the_recorded_orders_for_fixed_seeds():
    """Computed once and committed: any change to the stream, the sampling or Fisher–Yates
    (or to Python's behaviour underneath) fails here instead of silently changing draws."""
    items = list(range(10))
    draw_shuffle(items, DrawStream(1))
    assert items == [8, 6, 2, 0, 9, 5, 1, 7, 3, 4]

    winners, waiting = draw_order(list(range(1, 21)), [3, 7, 11, 15], 20261201, 8, 2)
    assert winners == [3, 7, 14, 20, 9, 12, 18, 13]
    assert waiting == [4, 11, 5, 19, 1, 2, 10, 16, 15, 6, 17, 8]


def test_numbers_below_a_bound_are_uniform():
    stream = DrawStream(7)
    counts = [0, 0, 0]
    for _ in range(30_000):
        counts[stream.below(3)] += 1
    assert all(9_500 < count < 10_500 for count in counts)
    # Each position of a three-item shuffle is equally likely to hold each item.
    first = {0: 0, 1: 0, 2: 0}
    for seed in range(6_000):
        items = [0, 1, 2]
        draw_shuffle(items, DrawStream(seed))
        first[items[0]] += 1
    assert all(1_800 < count < 2_200 for count in first.values())


def _legacy_order(pool, elder_pool, seed, capacity, reserved):
    """How draws were made before the project's shuffle: Python's Mersenne Twister."""
    rng = random.Random(seed)
    elders = sorted(elder_pool)
    rng.shuffle(elders)
    chosen = elders[: min(reserved, capacity)]
    rest = [pk for pk in sorted(pool) if pk not in set(chosen)]
    rng.shuffle(rest)
    return chosen + rest


@pytest.mark.django_db
def test_run_draws_verify_replays_legacy_and_new_draws_each_with_its_own_shuffle(home_page):
    event = EventPageFactory(parent=EventIndexPageFactory(parent=home_page), title="太极拳入门")
    occurrences = [add_occurrence(event, START + datetime.timedelta(days=day)) for day in range(3)]
    pool, elders = list(range(101, 131)), [104, 111, 125]
    legacy = Draw.objects.create(
        occurrence=occurrences[0],
        seed=987654321,
        capacity=6,
        reserved_seats=2,
        pool=pool,
        elder_pool=elders,
        order=_legacy_order(pool, elders, 987654321, 6, 2),
        algorithm=DRAW_ALGORITHM_PYTHON_RANDOM,
    )
    winners, waiting = draw_order(pool, elders, 123456789, 6, 2)
    current = Draw.objects.create(
        occurrence=occurrences[1],
        seed=123456789,
        capacity=6,
        reserved_seats=2,
        pool=pool,
        elder_pool=elders,
        order=winners + waiting,
    )
    assert current.algorithm == DRAW_ALGORITHM_SHA256  # new draws: the project's shuffle
    assert replay_draw(legacy) == legacy.order
    assert replay_draw(current) == current.order
    # The two methods differ, so each draw really is replayed with its own.
    assert _legacy_order(pool, elders, 123456789, 6, 2) != current.order

    out = io.StringIO()
    call_command("run_draws", "--verify", stdout=out)
    assert "checked 2 draw(s) (1 with the legacy random.shuffle), 0 mismatch(es)" in out.getvalue()

    # A tampered result is caught.
    tampered = list(current.order)
    tampered[0], tampered[-1] = tampered[-1], tampered[0]
    Draw.objects.create(
        occurrence=occurrences[2],
        seed=123456789,
        capacity=6,
        reserved_seats=2,
        pool=pool,
        elder_pool=elders,
        order=tampered,
    )
    errors = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("run_draws", "--verify", stdout=io.StringIO(), stderr=errors)
    assert f"(occurrence {occurrences[2].pk}) differs" in errors.getvalue()
