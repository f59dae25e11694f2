"""
make loadtest: the tracker under gunicorn with production settings on PostgreSQL, on loopback.

Many readers load the main pages while contributors log progress on their organisation's
measures, for a bounded time. Afterwards it prints throughput, p50/p99 latency and the error count,
and checks that there was no server error and that every accepted progress update is in the
database with its history record. Exit status 1 when a check fails.

All traffic goes to 127.0.0.1 only.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
MARKER = "loadtest"


class FormParser(HTMLParser):
    """Collect the fields of the first form whose action matches, with their default values."""

    def __init__(self, action_pattern):
        super().__init__()
        self.action_pattern = action_pattern
        self.inside = False
        self.done = False
        self.fields = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "form"
            and not self.done
            and re.search(self.action_pattern, attrs.get("action", ""))
        ):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button"):
                self.fields[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self.inside and self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside = False
            self.done = True


class Session:
    """A browser-like session over plain HTTP on loopback, behind a pretend TLS proxy: it sends
    X-Forwarded-Proto: https and keeps the (Secure, __Host-) cookies itself."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(self, method, path, data=None):
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "nl",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}:{self.port}"
            headers["Referer"] = f"https://{HOST}:{self.port}{path}"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
            raise
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), content.decode(), elapsed

    def form(self, path, action_pattern):
        status, _, html, elapsed = self.request("GET", path)
        parser = FormParser(action_pattern)
        parser.feed(html)
        return status, parser.fields, elapsed

    def login(self, username, password):
        status, fields, _ = self.form("/accounts/login/", r"login|^$")
        fields.update(username=username, password=password)
        status, location, _, _ = self.request("POST", "/accounts/login/", fields)
        if status != 302:
            raise RuntimeError(f"login of {username} failed with {status}")


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.statuses = {}
        self.server_errors = []
        self.client_errors = 0
        self.accepted = []  # (marker, measure id, username)
        self.refused = 0

    def record(self, path, status, elapsed):
        with self.lock:
            self.latencies.append(elapsed)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 500:
                self.server_errors.append((path, status))


def reader(port, username, password, pages, deadline, results):
    session = Session(port)
    session.login(username, password)
    while time.monotonic() < deadline:
        path = random.choice(pages)
        try:
            status, _, _, elapsed = session.request("GET", path)
        except (http.client.HTTPException, OSError):
            with results.lock:
                results.client_errors += 1
            continue
        results.record(path, status, elapsed)


def writer(port, username, password, measure_ids, deadline, results, index):
    session = Session(port)
    session.login(username, password)
    number = 0
    while time.monotonic() < deadline:
        measure_id = random.choice(measure_ids)
        path = f"/measures/{measure_id}/progress/"
        try:
            status, fields, elapsed = session.form(path, r"/progress/|^$")
            results.record(path, status, elapsed)
            if status != 200:
                continue
            number += 1
            marker = f"{MARKER}-{index}-{number}"
            text_field = (
                "text"
                if "text" in fields
                else next((k for k in fields if k.endswith("text")), "text")
            )
            fields[text_field] = f"{marker} voortgang gemeld tijdens de belastingtest."
            status, location, _, elapsed = session.request("POST", path, fields)
        except (http.client.HTTPException, OSError):
            with results.lock:
                results.client_errors += 1
            continue
        results.record(path, status, elapsed)
        with results.lock:
            if status == 302:
                results.accepted.append((marker, measure_id, username))
            else:
                results.refused += 1


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


SETUP = """
import json
from django.contrib.auth import get_user_model
from measures.models import Measure, Organisation, Profile
from measures.access import ensure_roles
coordinator, contributor, viewer = ensure_roles()
police = Organisation.objects.get(abbreviation="Politie")
User = get_user_model()
users = {"readers": [], "writers": []}
for i in range(%(readers)d):
    u, _ = User.objects.get_or_create(username=f"lt-reader-{i}")
    u.set_password(%(password)r); u.save(); u.groups.add(viewer)
    users["readers"].append(u.username)
for i in range(%(writers)d):
    u, _ = User.objects.get_or_create(username=f"lt-writer-{i}")
    u.set_password(%(password)r); u.save(); u.groups.add(contributor)
    Profile.objects.get_or_create(user=u, defaults={"organisation": police})
    users["writers"].append(u.username)
users["police_measures"] = list(
    Measure.objects.filter(owner=police, visibility="public").values_list("pk", flat=True)
)
users["measures"] = list(Measure.objects.filter(visibility="public").values_list("pk", flat=True))
print("JSON" + json.dumps(users))
"""

VERIFY = """
import json
from measures.models import ProgressUpdate
accepted = json.loads(open(%(path)r).read())
missing, no_history = [], []
updates = ProgressUpdate.objects.filter(text__startswith="loadtest-").select_related("author")
rows = {u.text.split(" ", 1)[0]: u for u in updates}
history = set(
    ProgressUpdate.history.filter(text__startswith="loadtest-", history_type="+")
    .values_list("text", "history_user__username")
)
for marker, measure_id, username in accepted:
    update = rows.get(marker)
    if update is None or update.measure_id != measure_id or update.author.username != username:
        missing.append(marker)
    elif (update.text, username) not in history:
        no_history.append(marker)
print("JSON" + json.dumps({"in_database": len(rows), "missing": missing, "no_history": no_history}))
"""


def json_from(output):
    line = next(line for line in output.splitlines() if line.startswith("JSON"))
    return json.loads(line[4:])


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="how long to drive the load")
    parser.add_argument("--readers", type=int, default=12)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--pg", default=os.environ.get("LOADTEST_PG", "postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must lie between 1 and 600")

    user, _, hostport = args.pg.partition("@")
    pg_host, _, pg_port = hostport.partition(":")
    if subprocess.run(["pg_isready", "-q", "-h", pg_host, "-p", pg_port]).returncode != 0:
        sys.exit(f"PostgreSQL is not reachable on {hostport}; the load test needs it.")
    database = f"tracker_loadtest_{os.getpid()}"
    subprocess.run(["createdb", "-h", pg_host, "-p", pg_port, "-U", user, database], check=True)
    port = free_port()
    password = secrets.token_urlsafe(16)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DATABASE_URL": f"postgres://{user}@{pg_host}:{pg_port}/{database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_HTTPS": "1",
        "TRACKER_LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed", "-v", "0")
        setup = json_from(
            manage(
                env,
                "shell",
                "-c",
                SETUP % {"readers": args.readers, "writers": args.writers, "password": password},
                capture=True,
            ).stdout
        )
        if not setup["police_measures"]:
            sys.exit("The seed data has no public police measures to log progress on.")
        log = open(ROOT / "loadtest" / "gunicorn.log", "w")  # noqa: SIM115 (lives with server)
        server = subprocess.Popen(
            [
                GUNICORN,
                "tracker.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(args.workers),
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                socket.create_connection((HOST, port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        pages = ["/", "/measures/", *[f"/measures/{pk}/" for pk in setup["measures"][:20]]]
        results = Results()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=reader, args=(port, name, password, pages, deadline, results))
            for name in setup["readers"]
        ] + [
            threading.Thread(
                target=writer,
                args=(port, name, password, setup["police_measures"], deadline, results, i),
            )
            for i, name in enumerate(setup["writers"])
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 60)
        elapsed = time.monotonic() - started

        accepted_path = ROOT / "loadtest" / "accepted.json"
        accepted_path.write_text(json.dumps(results.accepted))
        check = json_from(
            manage(env, "shell", "-c", VERIFY % {"path": str(accepted_path)}, capture=True).stdout
        )
        accepted_path.unlink()

        requests = len(results.latencies)
        summary = {
            "seconds": round(elapsed, 1),
            "readers": args.readers,
            "writers": args.writers,
            "gunicorn_workers": args.workers,
            "requests": requests,
            "throughput_rps": round(requests / elapsed, 1),
            "p50_ms": round(statistics.median(results.latencies) * 1000, 1),
            "p99_ms": round(percentile(results.latencies, 0.99) * 1000, 1),
            "statuses": results.statuses,
            "server_errors": len(results.server_errors),
            "connection_errors": results.client_errors,
            "progress_accepted": len(results.accepted),
            "progress_refused": results.refused,
            "missing_in_database": len(check["missing"]),
            "missing_history": len(check["no_history"]),
        }
        print(json.dumps(summary, indent=2))
        failures = []
        if results.server_errors:
            failures.append(
                f"{len(results.server_errors)} server errors: {results.server_errors[:5]}"
            )
        if check["missing"] or check["no_history"]:
            failures.append(
                f"lost updates: {check['missing'][:5]} / no history: {check['no_history'][:5]}"
            )
        if not results.accepted:
            failures.append("no progress update was accepted")
        if results.client_errors:
            failures.append(f"{results.client_errors} connection errors")
        if failures:
            print("LOAD TEST FAILED: " + "; ".join(failures))
            return 1
        print("Load test passed: no server errors, every accepted update stored with its history.")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        subprocess.run(
            ["dropdb", "-h", pg_host, "-p", pg_port, "-U", user, "--if-exists", database]
        )


if __name__ == "__main__":
    if shutil.which("createdb") is None:
        sys.exit("createdb (PostgreSQL client) is needed for the load test.")
    sys.exit(main())
