"""The cache folder the workers of one machine share (production without ``REDIS_URL``).

A page-cache hit checks the generation of every key the page depends on (``core.page_cache``):
11–13 small files for the home page or a district page, each opened, read and unpickled on
every hit. ``SharedFolderCache`` is Django's ``FileBasedCache`` that remembers, per process, the
small values it read, together with the file's inode, modification time and size; while
``os.stat`` reports the same three, the file is the same and the remembered value is returned
without reading it. Every write of Django's file cache creates a new file (a temporary file
renamed over the old), so a value written by any worker changes the inode and the time.

A file written less than ``SETTLE_SECONDS`` ago is read but not remembered: file times tick
coarsely (a few milliseconds), and a freed inode can be reused at once, so two writes in the same
tick could otherwise look alike. Only immutable values are remembered, so no caller can change
what another is given.

``add`` and ``incr`` are atomic across the workers (Django's file cache checks, then writes):
they hold an exclusive ``flock`` on one lock file in the folder while they do, so two workers
reserving the same login attempt (``core.login_throttle``) or counting the same sign-up
(``signups.ratelimit``) cannot both succeed. Plain reads and writes take no lock.
Writes: Django's file cache lists the whole folder on every write to decide whether to cull
(3.6 ms at 500 files, 27 ms at 2,000, ~109 ms at 15,000). Here each process looks only once every
``CULL_CHECK_EVERY`` writes (option ``CULL_CHECK_EVERY``, default 100), so the listing costs
about 1 % of that per write; the folder may exceed ``MAX_ENTRIES`` by at most that many writes
per process before it is culled as Django culls (a third of the files, at random).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

SETTLE_SECONDS = 1.0
REMEMBERED_MAX_BYTES = 1024
REMEMBERED_TYPES = (str, bytes, int, float, bool, type(None))
REMEMBERED_MAX_ENTRIES = 50_000
CULL_CHECK_EVERY = 100


class SharedFolderCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        # file name -> ((inode, mtime_ns, size), expiry or None, value)
        self._remembered: dict[str, tuple[tuple[int, int, int], float | None, object]] = {}
        self._file_names: dict[tuple[str, int | None], str] = {}
        self._cull_check_every = max(
            1, int(params.get("OPTIONS", {}).get("CULL_CHECK_EVERY", CULL_CHECK_EVERY))
        )
        self._writes_since_cull_check = 0

    def _cull(self):
        """Django's cull (lists every file), but only on every ``CULL_CHECK_EVERY``-th write."""
        self._writes_since_cull_check += 1
        if self._writes_since_cull_check < self._cull_check_every:
            return
        self._writes_since_cull_check = 0
        super()._cull()

    def _file_name(self, key, version):
        """``_key_to_file``, remembered: making, validating and hashing a key costs more than stat."""
        try:
            return self._file_names[key, version]
        except KeyError:
            if len(self._file_names) >= REMEMBERED_MAX_ENTRIES:
                self._file_names.clear()
            fname = self._file_names[key, version] = self._key_to_file(key, version)
            return fname

    @contextlib.contextmanager
    def _exclusive(self):
        """One writer at a time for add/incr, across processes and threads (each open is its
        own lock holder for flock)."""
        self._createdir()
        with open(os.path.join(self._dir, "atomic.lock"), "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._exclusive():
            if self.has_key(key, version):
                return False
            self.set(key, value, timeout, version)
            return True

    def incr(self, key, delta=1, version=None):
        """Atomic, and keeps the key's expiry (Django's file cache would reset it)."""
        with self._exclusive():
            try:
                with open(self._key_to_file(key, version), "rb") as file:
                    expiry = pickle.load(file)
                    if expiry is None or expiry > time.time():
                        value = pickle.loads(zlib.decompress(file.read()))
                    else:
                        raise FileNotFoundError
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            value += delta
            remaining = None if expiry is None else max(expiry - time.time(), 0.001)
            self.set(key, value, remaining, version)
            return value

    def get(self, key, default=None, version=None):
        fname = self._file_name(key, version)
        try:
            stat = os.stat(fname)
        except FileNotFoundError:
            self._remembered.pop(fname, None)
            return default
        signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        remembered = self._remembered.get(fname)
        if remembered is not None and remembered[0] == signature:
            _signature, expiry, value = remembered
            if expiry is None or expiry > time.time():
                return value
        self._remembered.pop(fname, None)
        try:
            with open(fname, "rb") as file:
                opened = os.fstat(file.fileno())  # the file read, even if replaced since stat
                expiry = pickle.load(file)
                expired = expiry is not None and expiry < time.time()
                if not expired:
                    value = pickle.loads(zlib.decompress(file.read()))
        except FileNotFoundError:
            return default
        if expired:
            self._delete(fname)
            return default
        settled = opened.st_mtime_ns < time.time_ns() - SETTLE_SECONDS * 1e9
        if (
            settled
            and opened.st_size <= REMEMBERED_MAX_BYTES
            and isinstance(value, REMEMBERED_TYPES)
        ):
            if len(self._remembered) >= REMEMBERED_MAX_ENTRIES:
                self._remembered.clear()
            self._remembered[fname] = (
                (opened.st_ino, opened.st_mtime_ns, opened.st_size),
                expiry,
                value,
            )
        return value
