"""Soak test: the site under gunicorn with production settings, loopback only, for a while.

    .venv/bin/python scripts/soak.py                  # 32 clients, 10 minutes
    .venv/bin/python scripts/soak.py --minutes 3

32 client threads (standard library only) send a mix of public pages, searches, feeds and
sign-ups (GET the form, POST it with the CSRF cookie and token, a distinct 138xxxxxxxx number each
time) to gunicorn on 127.0.0.1, serving a copy of the benchmark's demo database (built by
scripts/bench/run.py's helpers under var/bench/, copied to var/soak/) with the page cache on.
It prints the request count, errors (5xx, timeouts, refused connections, unexpected answers; must
be 0), p50/p95/p99 latency per kind, and each gunicorn worker's RSS after warm-up and at the end
(growth must stay under 10 %). Exit status 1 when a target is missed. Every process it starts
is stopped, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts" / "bench"))
import run as bench  # noqa: E402  (the benchmark harness: database, static files, RSS)

WORK = ROOT / "var" / "soak"
SEARCHES = ["太极", "书法", "taiji", "健康", "反诈", "摄影", "读书", "智能手机", "讲座", "tj"]
FEEDS = [
    "/feeds/lectures/rss/",
    "/feeds/lectures/atom/",
    "/feeds/resources/rss/",
    "/feeds/resources/atom/",
    "/calendar/ics/",
]
MIX = [("page", 55), ("search", 20), ("feed", 10), ("signup", 15)]
MAX_ERRORS_SHOWN = 20


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []
        self.signups = 0

    def record(self, kind, seconds, status):
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def error(self, message):
        with self.lock:
            self.errors.append(message)


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Client:
    """One simulated visitor: its own cookies, one request at a time."""

    def __init__(self, host, port, stats, phones, pages, signup_paths):
        self.host, self.port, self.stats = host, port, stats
        self.phones, self.pages, self.signup_paths = phones, pages, signup_paths
        self.cookies: dict[str, str] = {}
        self.random = random.Random()

    def request(self, kind, method, path, body=None, expect=(200,)):
        headers = {"Host": "127.0.0.1", "User-Agent": "zzsite-soak"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        target = urllib.parse.quote(path, safe="/?=&%")
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            status = response.status
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            location = response.getheader("Location") or ""
        except (OSError, http.client.HTTPException) as error:
            self.stats.error(f"{method} {path}: {type(error).__name__}: {error}")
            return None, b"", ""
        finally:
            connection.close()
        self.stats.record(kind, time.perf_counter() - started, status)
        if status not in expect:
            self.stats.error(f"{method} {path}: HTTP {status}")
        return status, content, location

    def page(self):
        self.request("page", "GET", self.random.choice(self.pages))

    def search(self):
        query = self.random.choice(SEARCHES)
        path = self.random.choice(
            [f"/search/?q={query}", f"/search/suggest/?q={query}", f"/search/?q={query}&page=2"]
        )
        self.request("search", "GET", path, expect=(200, 404))

    def feed(self):
        self.request("feed", "GET", self.random.choice(FEEDS))

    def signup(self):
        path = self.random.choice(self.signup_paths)
        status, content, _ = self.request("signup", "GET", path)
        if status != 200:
            return
        html = content.decode("utf-8", "replace")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not token or 'name="phone"' not in html:
            return  # full or closed: the form is not offered, nothing to post
        age = re.search(r'name="age_group"(?:.|\n)*?value="([^"]+)"', html)
        with self.stats.lock:
            number = next(self.phones)
        fields = {
            "csrfmiddlewaretoken": token.group(1),
            "name": f"压测{number % 10000}",
            "phone": f"138{number:08d}",
            "consent": "on",
        }
        if age:
            fields["age_group"] = age.group(1)
        status, content, location = self.request(
            "signup", "POST", path, body=urllib.parse.urlencode(fields), expect=(200, 302, 303)
        )
        if status in (302, 303) and "/signup/status/" in location:
            with self.stats.lock:
                self.stats.signups += 1

    def run(self, until):
        actions = [getattr(self, name) for name, _weight in MIX]
        weights = [weight for _name, weight in MIX]
        while time.monotonic() < until:
            self.random.choices(actions, weights)[0]()


def start_gunicorn(database, port, workers):
    cache_dir = WORK / "cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    env = bench.site_env(database, cache_dir, page_cache=True)
    env["SIGNUP_RATE_LIMIT"] = "0"  # every client is 127.0.0.1: measure the site, not the limiter
    log = (WORK / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [bench.GUNICORN, "zzsite.wsgi", "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    return process


def stop(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def worker_rss(master_pid):
    """{pid: RSS in MiB} of the master's workers."""
    sizes = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                sizes[int(status.parent.name)] = int(rss.group(1)) / 1024
    return sizes


def drive(host, port, clients, seconds, stats, phones, pages, signup_paths):
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=Client(host, port, stats, phones, pages, signup_paths).run,
            args=(until,),
            daemon=True,
        )
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--warmup", type=int, default=30, help="seconds before RSS is taken")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    demo = bench.prepare_databases(0, 0, False)["demo"]
    database = WORK / "soak.sqlite3"
    shutil.copy(demo, database)
    bench.log("collecting static files…")
    bench.manage(
        "collectstatic", "--noinput", "-v0",
        env=bench.site_env(database, WORK / "cache-static", False), settings=None,
    )  # fmt: skip
    pages = [page["url"] for page in bench.discover(database) if page["status"] == 200]
    pages += ["/calendar/?audience=elderly&range=month", "/calendar/?view=month", "/schools/near/"]
    import sqlite3

    with sqlite3.connect(database) as db:
        signup_paths = [
            f"/signup/{row[0]}/"
            for row in db.execute("SELECT id FROM home_occurrence WHERE capacity > 0")
        ]
    if not signup_paths:
        sys.exit("the demo database has no sign-up sessions")

    process = start_gunicorn(database, args.port, args.workers)
    stats = Stats()
    phones = itertools.count(random.Random(11).randrange(10_000_000, 50_000_000))
    try:
        for _attempt in range(150):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
                connection.request("GET", "/", headers={"Host": "127.0.0.1"})
                connection.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not answer:\n" + (WORK / "gunicorn.log").read_text()[-3000:])
        boot_rss = worker_rss(process.pid)
        bench.log(f"warming up for {args.warmup} s…")
        warm = Stats()
        drive("127.0.0.1", args.port, args.clients, args.warmup, warm, phones, pages, signup_paths)
        start_rss = worker_rss(process.pid)
        bench.log(f"soaking: {args.clients} clients for {args.minutes} min…")
        started = time.monotonic()
        drive(
            "127.0.0.1", args.port, args.clients, args.minutes * 60, stats, phones, pages,
            signup_paths,
        )  # fmt: skip
        elapsed = time.monotonic() - started
        end_rss = worker_rss(process.pid)
    finally:
        stop(process)

    all_latencies = [value for values in stats.latencies.values() for value in values]
    report = {
        "minutes": round(elapsed / 60, 2),
        "clients": args.clients,
        "workers": args.workers,
        "requests": len(all_latencies),
        "requests_per_second": round(len(all_latencies) / elapsed, 1),
        "errors": len(stats.errors) + len(warm.errors),
        "statuses": dict(sorted(stats.statuses.items())),
        "signups_completed": stats.signups,
        "p50_ms": round(statistics.median(all_latencies) * 1000, 1) if all_latencies else 0,
        "p95_ms": round(percentile(all_latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(all_latencies, 0.99) * 1000, 1),
        "by_kind": {
            kind: {
                "requests": len(values),
                "p50_ms": round(statistics.median(values) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            }
            for kind, values in sorted(stats.latencies.items())
        },
        "worker_rss_mib": {
            str(pid): {
                "boot": round(boot_rss.get(pid, 0), 1),
                "start": round(start_rss.get(pid, 0), 1),
                "end": round(end_rss.get(pid, 0), 1),
                "growth_percent": round(100 * (end_rss[pid] / start_rss[pid] - 1), 1)
                if pid in end_rss and start_rss.get(pid)
                else None,
            }
            for pid in sorted(start_rss)
        },
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    for message in (warm.errors + stats.errors)[:MAX_ERRORS_SHOWN]:
        print("error:", message)
    growths = [row["growth_percent"] for row in report["worker_rss_mib"].values()]
    failed = []
    if report["errors"]:
        failed.append(f"{report['errors']} errors")
    if any(growth is None for growth in growths):
        failed.append("a worker was replaced during the run")
    elif any(growth >= 10 for growth in growths):
        failed.append("worker memory grew by 10 % or more")
    print("RESULT:", "FAIL (" + "; ".join(failed) + ")" if failed else "PASS")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
