"""The shared cache folder's write cost as it fills: Django's FileBasedCache against
core.cache_backends.SharedFolderCache, at 500, 2,000 and 20,000 entries (the production limit).

    .venv/bin/python scripts/bench/cache_folder.py

Each size: the folder is filled with page-sized entries, then 300 more writes (overwrites of
existing keys, as a page cache refresh does) are timed; mean and p95 per write are printed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zzsite.settings.test")

import django

django.setup()

from django.core.cache.backends.filebased import FileBasedCache  # noqa: E402

from core.cache_backends import SharedFolderCache  # noqa: E402

SIZES = (500, 2_000, 20_000)
TIMED_WRITES = 300
VALUE = "页" * 4000  # a small page


def measure(backend, entries: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder:
        # Above the size measured, so no cull disturbs the fill; the listing is what is timed.
        cache = backend(folder, {"OPTIONS": {"MAX_ENTRIES": entries + 1_000}})
        for number in range(entries):
            cache.set(f"fill-{number}", VALUE, timeout=None)
        times = []
        for number in range(TIMED_WRITES):
            start = time.perf_counter()
            cache.set(f"fill-{number * 7 % entries}", VALUE, timeout=None)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.mean(times), times[int(len(times) * 0.95) - 1]


def main():
    print(
        f"{'entries':>8} | {'Django FileBasedCache mean / p95':>34} | {'SharedFolderCache mean / p95':>30}"
    )
    for entries in SIZES:
        django_mean, django_p95 = measure(FileBasedCache, entries)
        ours_mean, ours_p95 = measure(SharedFolderCache, entries)
        print(
            f"{entries:>8} | {django_mean:>15.2f} ms / {django_p95:>8.2f} ms | "
            f"{ours_mean:>12.2f} ms / {ours_p95:>8.2f} ms"
        )


if __name__ == "__main__":
    main()
