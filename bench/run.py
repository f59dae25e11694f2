"""
The benchmark: the tracker's pages at 1,000 and 10,000 measures, beside the Django
admin's changelist and a raw floor, through the full Django stack.

    python -m bench.run [--scales 1000,10000] [--requests 20] [--rebuild]
                        [--pages summary,summary_docx]
                        [--database-url postgres://postgres@127.0.0.1:5432/bench_{scale}]

Each scale runs in its own subprocess against its own database (by default
`bench/bench-<scale>.sqlite3`, built once by `bench.synthetic` and cached), with production-like
settings (DEBUG off). Every page is requested twice to warm up and then `--requests` times; the
median and 90th percentile are reported with the number of SQL queries of one request, and the
time of the first request (`first_ms`: nothing of that page cached yet in the process, e.g. the
Word letter's charts). The results go to `bench/results.json` (with `--pages`, merged into the
pages and scales already there); the table and the targets check go to the terminal.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"
META_TABLE = "bench_meta"

# (key in results.json, URL name, how to build the URL) — the pages measured, in order.
PAGES = [
    ("dashboard", "measures:dashboard", "dashboard"),
    ("measure_list", "measures:list", "list"),
    ("measure_list_filtered", "measures:list", "list_filtered"),
    ("measure_detail", "measures:detail", "detail"),
    ("measure_history", "measures:history", "detail"),
    ("changes", "measures:changes", "changes"),
    ("summary", "measures:summary", "summary"),
    ("summary_docx", "measures:summary", "summary_docx"),
    ("summary_pdf", "measures:summary", "summary_pdf"),
    # The programme as it was: on a past date (a year ago), and as a sent letter reported it.
    ("dashboard_as_of", "measures:dashboard", "as_of"),
    ("dashboard_letter", "measures:dashboard", "letter"),
    ("measure_list_as_of", "measures:list", "as_of"),
    ("measure_list_letter", "measures:list", "letter"),
    ("measure_detail_as_of", "measures:detail", "detail_as_of"),
    ("measure_detail_letter", "measures:detail", "detail_letter"),
    ("compare", "measures:compare", "compare"),
]
PEERS = ["admin_changelist", "floor"]
# Pages whose rows are paged: they may not grow much with the data.
PAGED = ["measure_list", "measure_list_filtered", "changes"]
MAX_QUERIES = 15
MAX_GROWTH = 3.0
# Issue 14: the six-month summary at 10,000 measures, page and Word download (median).
BUDGETS_MS = {"summary": 1000, "summary_docx": 3000}


# --- the parent: one subprocess per scale, then the report ---------------------------------------


def database_url(template, scale):
    if not template:
        return f"sqlite:///{BENCH_DIR / f'bench-{scale}.sqlite3'}"
    if "{scale}" not in template:
        raise SystemExit("--database-url must contain {scale}, e.g. postgres://…/bench_{scale}")
    if template.startswith("postgres") and "bench" not in template.rsplit("/", 1)[-1]:
        raise SystemExit("--database-url must name a database with 'bench' in it (it is emptied)")
    return template.replace("{scale}", str(scale))


def run_scale(scale, args):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DATABASE_URL": database_url(args.database_url, scale),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(ROOT),
    }
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = Path(out.name)
    command = [
        sys.executable,
        "-m",
        "bench.run",
        "--worker",
        "--scale",
        str(scale),
        "--requests",
        str(args.requests),
        "--out",
        str(out_path),
    ]
    if args.rebuild:
        command.append("--rebuild")
    if args.pages:
        command += ["--pages", ",".join(args.pages)]
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    result = json.loads(out_path.read_text())
    out_path.unlink()
    print(f"Scale {scale}: done in {time.perf_counter() - started:.0f} s.\n", flush=True)
    return result


def percentile(values, fraction):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def assemble(scales, by_scale, selected=None):
    """Return the results.json document and the names of the pages left out of it: not built
    yet, or failing (not answering 200) at some scale. `selected`: the only pages measured."""
    pages, peers, missing = {}, {}, []
    for key, _name, _kind in PAGES:
        if selected and key not in selected:
            continue
        if all(key in by_scale[s]["pages"] for s in scales):
            pages[key] = {str(s): by_scale[s]["pages"][key] for s in scales}
        else:
            missing.append(key)
    for key in PEERS:
        if all(key in by_scale[s]["peers"] for s in scales):
            peers[key] = {str(s): by_scale[s]["peers"][key] for s in scales}
    conditions = {
        str(s): {key: by_scale[s].get(key) for key in ("load_average", "requests")} for s in scales
    }
    return {"scales": scales, "pages": pages, "peers": peers, "conditions": conditions}, missing


def print_table(results, missing, by_scale):
    print(f"{'page':<24}{'scale':>8}{'median ms':>12}{'p90 ms':>10}{'first ms':>10}{'queries':>9}")
    for group in ("pages", "peers"):
        for key, per_scale in results[group].items():
            for scale, row in per_scale.items():
                print(
                    f"{key:<24}{scale:>8}{row['median_ms']:>12.1f}{row['p90_ms']:>10.1f}"
                    f"{row['first_ms']:>10.1f}{row['queries']:>9}"
                )
    failed = set()
    for scale, result in by_scale.items():
        for key, problem in result.get("errors", {}).items():
            failed.add(key)
            print(f"{key:<24}{scale:>8}  FAILED: {problem}")
    for key in missing:
        if key not in failed:
            print(f"{key:<24}{'':>8}  not built yet")


def check_targets(results):
    """Return (description, passed) for each performance target that can be checked."""
    checks = []
    scales = [str(s) for s in results["scales"]]
    pages, peers = results["pages"], results["peers"]
    for key, per_scale in {**pages, **peers}.items():
        counts = [per_scale[s]["queries"] for s in scales]
        checks.append(
            (
                f"{key}: queries {' / '.join(map(str, counts))} equal at every scale and "
                f"≤ {MAX_QUERIES}",
                len(set(counts)) == 1 and max(counts) <= MAX_QUERIES,
            )
        )
    if "measure_list" in pages and "admin_changelist" in peers:
        for s in scales:
            mine, admin = pages["measure_list"][s], peers["admin_changelist"][s]
            checks.append(
                (
                    f"measure_list at {s}: {mine['median_ms']:.1f} ms no slower than the admin "
                    f"changelist ({admin['median_ms']:.1f} ms)",
                    mine["median_ms"] <= admin["median_ms"],
                )
            )
    if len(scales) > 1:
        low, high = scales[0], scales[-1]
        for key in [*PAGED, "admin_changelist", "floor"]:
            per_scale = pages.get(key) or peers.get(key)
            if not per_scale:
                continue
            ratio = per_scale[high]["median_ms"] / per_scale[low]["median_ms"]
            checks.append(
                (
                    f"{key}: {ratio:.2f}× slower at {high} than at {low} (< {MAX_GROWTH:g}×)",
                    ratio < MAX_GROWTH,
                )
            )
    if "10000" in scales:
        for key, budget in BUDGETS_MS.items():
            if key not in pages or "10000" not in pages[key]:
                continue
            row = pages[key]["10000"]
            checks.append(
                (
                    f"{key} at 10000: median {row['median_ms']:.0f} ms (p90 {row['p90_ms']:.0f} "
                    f"ms) within {budget} ms",
                    row["median_ms"] <= budget,
                )
            )
            if "first_ms" in row:
                checks.append(
                    (
                        f"{key} at 10000, first request of the process: {row['first_ms']:.0f} ms "
                        f"within {budget} ms",
                        row["first_ms"] <= budget,
                    )
                )
    return checks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--scales", default="1000,10000", help="comma-separated measure counts")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached databases")
    parser.add_argument(
        "--database-url",
        help="a database URL with {scale} in it (default: bench/bench-<scale>.sqlite3)",
    )
    parser.add_argument(
        "--pages",
        type=lambda text: [key.strip() for key in text.split(",") if key.strip()],
        help="comma-separated pages to measure (default: all; then results.json is not written): "
        + ", ".join([key for key, _name, _kind in PAGES] + PEERS),
    )
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    known = [key for key, _name, _kind in PAGES] + PEERS
    unknown = [key for key in args.pages or [] if key not in known]
    if unknown or args.pages == []:
        parser.error(f"--pages takes some of {', '.join(known)}; not {', '.join(unknown)}")
    if args.worker:
        return worker(args)

    try:
        scales = [int(s) for s in args.scales.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--scales must be whole numbers separated by commas, not {args.scales!r}")
    if not scales or min(scales) < 1:
        parser.error("--scales needs at least one positive number")
    by_scale = {scale: run_scale(scale, args) for scale in scales}
    results, missing = assemble(scales, by_scale, args.pages)
    print_table(results, missing, by_scale)
    if args.pages:
        print(f"\n{RESULTS.relative_to(ROOT)} left as it was: only some pages were measured.")
    else:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nWrote {RESULTS.relative_to(ROOT)}.")
    print("\nTargets:")
    for description, passed in check_targets(results):
        print(f"  [{'ok' if passed else 'MISSED'}] {description}")
    if missing:
        print(f"  (not checked: {', '.join(missing)} — not built yet or failing, see above)")
    return 0


# --- the worker: one scale, in its own process and database --------------------------------------


def worker(args):
    import warnings

    import django

    # WhiteNoise looks for collected static files, which only a deployment has.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import synthetic

    fingerprint = schema_fingerprint()
    started = time.perf_counter()
    reuse = not args.rebuild and cached(connection, args.scale, fingerprint)
    if not reuse:
        reset_database(connection)
    call_command("migrate", "--noinput", verbosity=0)
    if reuse:
        print(f"Scale {args.scale}: using the cached database {connection.settings_dict['NAME']}.")
    else:
        print(f"Scale {args.scale}: generating {args.scale} measures…", flush=True)
        synthetic.generate(args.scale, log=print)
        record_build(connection, args.scale, fingerprint)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics for the query planner (both databases)
        print(f"Scale {args.scale}: built in {time.perf_counter() - started:.0f} s.", flush=True)
    print(f"Scale {args.scale}: measuring (load average {load()})…", flush=True)
    result = measure_all(args.scale, args.requests, args.pages)
    result["load_average"] = load()
    result["requests"] = args.requests
    result["build_seconds"] = None if reuse else round(time.perf_counter() - started, 1)
    args.out.write_text(json.dumps(result))
    return 0


def load():
    """Return the load average of the last minute: other work on the machine skews timings."""
    return round(os.getloadavg()[0], 2)


def schema_fingerprint():
    """Return a string that changes whenever the migrations or the generator change."""
    from django.db.migrations.loader import MigrationLoader

    from bench.synthetic import GENERATOR_VERSION

    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
    return f"v{GENERATOR_VERSION}:" + ",".join(names)


def cached(connection, scale, fingerprint):
    """Return True if the database holds data built for this scale and schema."""
    if META_TABLE not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT scale, fingerprint FROM {META_TABLE}")
        row = cursor.fetchone()
    return row == (scale, fingerprint)


def record_build(connection, scale, fingerprint):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {META_TABLE} (scale integer, fingerprint text)")
        cursor.execute(f"INSERT INTO {META_TABLE} VALUES (%s, %s)", [scale, fingerprint])


def reset_database(connection):
    """Start from an empty database: remove the SQLite file, or drop every table."""
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        for path in (name, Path(f"{name}-journal"), Path(f"{name}-wal"), Path(f"{name}-shm")):
            path.unlink(missing_ok=True)
        return
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit(
            f"Refusing to empty the database {connection.settings_dict['NAME']!r}: the benchmark "
            "only rebuilds databases with 'bench' in their name."
        )
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def timed(client, url, requests, cpu_times):
    """Request `url` twice to warm up, then `requests` times; return the times (None if the
    page did not answer 200), the last response and the time of the first request. The CPU
    time of this process for each timed request is appended to `cpu_times` (less disturbed by
    other work on the machine)."""
    times, first = [], None
    for index in range(requests + 2):
        cpu_started = time.process_time()
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        else:
            response.content  # noqa: B018 — the body is part of the work.
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu_started) * 1000
        if response.status_code != 200:
            return None, response, first
        if index == 0:
            first = elapsed
        if index >= 2:
            times.append(elapsed)
            cpu_times.append(cpu)
    return times, response, first


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # a streamed body may still query
    return len(captured.captured_queries)


def summarise(times, queries, first, cpu_times):
    return {
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(percentile(times, 0.9), 2),
        "queries": queries,
        "first_ms": round(first, 2),
        # This process's CPU time: what the page costs, less disturbed by a busy machine.
        "cpu_median_ms": round(statistics.median(cpu_times), 2),
    }


def page_urls(scale):
    """Return {kind: URL} for the tracker's pages, from the data in the database."""
    import datetime

    from django.utils import timezone

    from bench.synthetic import SEARCH_WORD
    from measures.models import LetterStatus, Measure, MeasureStatus, ProgressLetter

    today = timezone.localdate()
    six_months_ago = today - datetime.timedelta(days=182)
    a_year_ago = today - datetime.timedelta(days=365)
    # A typical measure: in the middle of the table, with its five versions and ten updates.
    measure = Measure.objects.order_by("pk")[scale // 2]
    period = f"from={six_months_ago:%Y-%m-%d}&to={today:%Y-%m-%d}"
    # The last sent letter, and for each past moment a measure in the middle of those that
    # existed then (recorded, and in the programme).
    letter = ProgressLetter.objects.filter(status=LetterStatus.SENT).latest("sent_at")

    def measure_then(moment):
        existing = Measure.objects.filter(created_at__lte=moment, joined_on__lte=moment.date())
        return existing.order_by("pk")[existing.count() // 2]

    year_ago_moment = timezone.make_aware(
        datetime.datetime.combine(a_year_ago, datetime.time(23, 59))
    )
    as_of = f"?as_of={a_year_ago:%Y-%m-%d}"
    by_letter = f"?letter={letter.pk}"
    return {
        "dashboard": ("", {}),
        "list": ("", {}),
        "list_filtered": (f"?status={MeasureStatus.IN_PROGRESS}&q={SEARCH_WORD}", {}),
        "detail": ("", {"args": [measure.pk]}),
        "changes": ("", {}),
        "summary": (f"?{period}", {}),
        "summary_docx": (f"?{period}&format=docx", {}),
        "summary_pdf": (f"?{period}&format=pdf", {}),
        "as_of": (as_of, {}),
        "letter": (by_letter, {}),
        "detail_as_of": (as_of, {"args": [measure_then(year_ago_moment).pk]}),
        "detail_letter": (by_letter, {"args": [measure_then(letter.sent_at).pk]}),
        # What changed in the last six months: the programme then against now.
        "compare": (f"?{period}", {}),
    }


def measure_all(scale, requests, selected=None):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import NoReverseMatch, reverse

    from bench.synthetic import ADMIN_USERNAME, COORDINATOR_USERNAME

    User = get_user_model()
    coordinator = Client()
    coordinator.force_login(User.objects.get(username=COORDINATOR_USERNAME))
    superuser = Client()
    superuser.force_login(User.objects.get(username=ADMIN_USERNAME))
    result = {"pages": {}, "peers": {}, "errors": {}, "not_built": []}

    def bench(group, key, client, url):
        cpu_times = []
        try:
            times, response, first = timed(client, url, requests, cpu_times)
        except Exception as exc:  # a broken page must not stop the other measurements
            times, problem = None, f"raised {exc!r}"[:300]
        else:
            problem = f"answered {response.status_code}"
            expected = {"summary_docx": WORD, "summary_pdf": PDF}.get(key)
            if times is not None and expected and response["Content-Type"] != expected:
                times, problem = None, f"answered {response['Content-Type']}, not {expected}"
        if times is None:
            result["errors"][key] = f"{url} {problem}"
            print(f"  {key:<24} {url} {problem}", flush=True)
            return
        result[group][key] = summarise(times, count_queries(client, url), first, cpu_times)
        row = result[group][key]
        print(
            f"  {key:<24} {row['median_ms']:>9.1f} ms  p90 {row['p90_ms']:>9.1f} ms  "
            f"first {row['first_ms']:>9.1f} ms  "
            f"(CPU {statistics.median(cpu_times):>7.1f} ms)  {row['queries']:>3} queries  {url}",
            flush=True,
        )

    urls = page_urls(scale)
    with override_settings(ROOT_URLCONF="bench.urls"):
        for key, name, kind in PAGES:
            if selected and key not in selected:
                continue
            query, kwargs = urls[kind]
            try:
                url = reverse(name, **kwargs) + query
            except NoReverseMatch:
                result["not_built"].append(key)
                print(f"  {key:<24} not built yet ({name})", flush=True)
                continue
            bench("pages", key, coordinator, url)
        if not selected or "admin_changelist" in selected:
            admin_url = reverse("admin:measures_measure_changelist")
            bench("peers", "admin_changelist", superuser, admin_url)
        if not selected or "floor" in selected:
            bench("peers", "floor", coordinator, reverse("bench-floor"))
    return result


if __name__ == "__main__":
    sys.exit(main())
