"""The shared cache folder (production without Redis): what one worker writes, another reads.

Two ``SharedFolderCache`` instances on one folder stand for two gunicorn workers.
"""

import os
import pickle
import time

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from core.cache_backends import SETTLE_SECONDS, SharedFolderCache


@pytest.fixture
def workers(tmp_path):
    return SharedFolderCache(str(tmp_path), {}), SharedFolderCache(str(tmp_path), {})


def age(cache, key, seconds=SETTLE_SECONDS + 5):
    """Make a key's file look written ``seconds`` ago, as a generation is between publishes."""
    fname = cache._key_to_file(key)
    then = time.time() - seconds
    os.utime(fname, (then, then))
    return fname


def test_a_value_written_by_another_worker_is_read_at_once(workers):
    first, second = workers
    first.set("pc:gen:list:events.eventpage", "aaaaaaaaaaaa", timeout=None)
    age(first, "pc:gen:list:events.eventpage")
    assert second.get("pc:gen:list:events.eventpage") == "aaaaaaaaaaaa"
    assert second.get("pc:gen:list:events.eventpage") == "aaaaaaaaaaaa"  # now remembered

    first.set("pc:gen:list:events.eventpage", "bbbbbbbbbbbb", timeout=None)  # a publish
    assert second.get("pc:gen:list:events.eventpage") == "bbbbbbbbbbbb"
    first.delete("pc:gen:list:events.eventpage")
    assert second.get("pc:gen:list:events.eventpage", "gone") == "gone"


def test_a_settled_small_value_is_not_read_again_while_its_file_is_unchanged(workers):
    first, second = workers
    first.set("pc:gen:menu", "aaaaaaaaaaaa", timeout=None)
    fname = age(first, "pc:gen:menu")
    assert second.get("pc:gen:menu") == "aaaaaaaaaaaa"
    # Damage the file in place, keeping inode, size and time: only a read would notice.
    stat = os.stat(fname)
    with open(fname, "r+b") as file:
        file.write(b"\x00" * stat.st_size)
    os.utime(fname, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert second.get("pc:gen:menu") == "aaaaaaaaaaaa"
    with pytest.raises(pickle.UnpicklingError):  # what a read would have met
        FileBasedCache(os.path.dirname(fname), {}).get("pc:gen:menu")


def test_values_rewritten_quickly_are_always_read(workers):
    """Within a second of a write, file times and reused inodes could repeat: nothing remembered."""
    first, second = workers
    for number in range(20):
        generation = f"{number:012d}"  # every value the same size, as generations are
        first.set("pc:gen:site", generation, timeout=None)
        assert second.get("pc:gen:site") == generation
    assert second._remembered == {}


def test_expired_values_are_gone_even_when_remembered(workers):
    first, second = workers
    first.set("pc:urls:site", "short-lived", timeout=2)
    age(first, "pc:urls:site", seconds=SETTLE_SECONDS + 0.5)
    assert second.get("pc:urls:site") == "short-lived"
    time.sleep(2.1)
    assert second.get("pc:urls:site", "expired") == "expired"
    assert first.get("pc:urls:site", "expired") == "expired"


def test_mutable_and_large_values_are_read_every_time(workers):
    first, second = workers
    first.set("pc:entry:page", {"content": b"x" * 5000, "generations": {}}, timeout=None)
    first.set("pc:urls:list", ["https://example.org/a/"], timeout=None)
    age(first, "pc:entry:page")
    age(first, "pc:urls:list")
    entry = second.get("pc:entry:page")
    entry["content"] = b"changed by a caller"
    assert second.get("pc:entry:page")["content"] == b"x" * 5000
    urls = second.get("pc:urls:list")
    urls.append("https://example.org/b/")
    assert second.get("pc:urls:list") == ["https://example.org/a/"]
    assert second._remembered == {}


def test_get_many_and_add_behave_as_djangos_file_cache(workers):
    first, second = workers
    assert first.add("pc:gen:path:0001", "aaaaaaaaaaaa", timeout=None)
    assert not second.add("pc:gen:path:0001", "bbbbbbbbbbbb", timeout=None)
    age(first, "pc:gen:path:0001")
    found = second.get_many(["pc:gen:path:0001", "pc:gen:path:00010001"])
    assert found == {"pc:gen:path:0001": "aaaaaaaaaaaa"}


def test_add_and_incr_are_atomic_between_workers_and_incr_keeps_the_expiry(workers):
    """The limiters' counters (login attempts, sign-ups) rely on it; Django's file cache checks,
    then writes, so two workers could both "add" one key or lose an increment."""
    import threading

    first, second = workers
    first.add("signups:rate:write:x", 0, timeout=600)
    barrier = threading.Barrier(20)
    added = []

    def work(index):
        worker = (first, second)[index % 2]
        barrier.wait()
        for _ in range(10):
            worker.incr("signups:rate:write:x")
        if worker.add("login:try:slot", index, timeout=600):
            added.append(index)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert second.get("signups:rate:write:x") == 200
    assert len(added) == 1 and second.get("login:try:slot") == added[0]
    # The counter still expires when its window ends (not the cache's default 300 s after the
    # last increment).
    with open(first._key_to_file("signups:rate:write:x"), "rb") as file:
        expiry = pickle.load(file)
    assert 590 < expiry - time.time() <= 600
    with pytest.raises(ValueError):
        first.incr("never-added")


def test_writes_do_not_list_the_folder_each_time_yet_the_limit_holds(tmp_path):
    cache = SharedFolderCache(
        str(tmp_path / "bounded"),
        {"OPTIONS": {"MAX_ENTRIES": 50, "CULL_FREQUENCY": 3, "CULL_CHECK_EVERY": 10}},
    )
    listings = 0
    list_files = cache._list_cache_files

    def counted():
        nonlocal listings
        listings += 1
        return list_files()

    cache._list_cache_files = counted
    largest = 0
    for number in range(1000):
        cache.set(f"page-{number}", "x" * 100)
        largest = max(largest, len(os.listdir(tmp_path / "bounded")))
    # Django's file cache lists every file on each of these 1,000 writes; this one on every 10th.
    assert listings <= 1000 // 10
    # Beyond the limit by at most one check interval, and culled again and again.
    assert 50 <= largest <= 50 + 10
    assert len(os.listdir(tmp_path / "bounded")) <= 60
    assert cache.get("page-999") == "x" * 100
