"""The benchmark harness behind ``bench/run`` (see bench/README.md).

For the HTTP benchmarks it builds a throw-away installation (a temporary ``LVZHI_VAR_DIR``, a
fresh SQLite database, the demo data, collected static files, a generated SECRET_KEY), starts
gunicorn with the production-like ``lvzhi.settings.bench`` on a free port of 127.0.0.1, logs
``demo-staff`` in (a session cookie for the pages, a DRF token for the API) and measures each
target with wrk. The bare JSON view ``/ping/`` is always measured first: it is the ceiling of
this stack on this machine, and every other figure is also given as a ratio to it.

Standard output carries only result lines, ``name value unit``; everything else goes to standard
error, and the commands' and the server's output to ``bench/out/run.log``. The exit status is
non-zero when any selected benchmark could not be measured honestly (wrong status, errors).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
OUT_DIR = ROOT / "bench" / "out"
LOG_PATH = OUT_DIR / "run.log"
LUA_REPORT = ROOT / "bench" / "wrk_report.lua"

# wrk's load: the same as the ceiling table in STACK.md, so the figures compare.
CONNECTIONS = 20
THREADS = 2
WORKERS = 2
DURATION_S = int(os.environ.get("BENCH_DURATION", "10"))
# Socket errors above this share of requests make a figure worthless.
MAX_SOCKET_ERROR_SHARE = 0.01


@dataclass(frozen=True)
class Target:
    """An HTTP benchmark: a path and how it authenticates (None, "session" or "token")."""

    path: str
    auth: str | None = None


HTTP_TARGETS = {
    "ping": Target("/ping/"),
    "deputy_list_page": Target("/deputies/", auth="session"),
    "deputy_list_api": Target("/api/v1/mandates/", auth="token"),
    # On the generated suggestions (``lvzhi seed_suggestions``); {suggestion} is a typical one's id.
    "suggestion_list_page": Target("/suggestions/", auth="session"),
    "suggestion_list_api": Target("/api/v1/suggestions/", auth="token"),
    "suggestion_detail_page": Target("/suggestions/{suggestion}/", auth="session"),
    "unit_work_list_page": Target("/suggestions/work/", auth="unit_session"),
}
SUGGESTION_TARGETS = (
    "suggestion_list_page",
    "suggestion_list_api",
    "suggestion_detail_page",
    "unit_work_list_page",
)
# How many suggestions the city congress gets before the suggestion targets are measured.
SUGGESTIONS = int(os.environ.get("BENCH_SUGGESTIONS", "100000"))
REFERENCE = "ping"
BENCHMARKS = (*HTTP_TARGETS, "roster_import")


class BenchError(Exception):
    """A benchmark could not be measured; the message says why."""


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def emit(name: str, value: float, unit: str, digits: int = 1) -> None:
    """One result line on standard output: ``name value unit``."""
    print(f"{name} {value:.{digits}f} {unit}", flush=True)


def parse_arguments(argv: list[str]) -> list[str]:
    if any(arg in ("-h", "--help") for arg in argv):
        print(__doc__, file=sys.stderr)
        print(f"usage: bench/run [{' '.join(BENCHMARKS)}]", file=sys.stderr)
        sys.exit(0)
    unknown = [arg for arg in argv if arg not in BENCHMARKS]
    if unknown:
        sys.exit(f"bench/run: unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    return [name for name in BENCHMARKS if not argv or name in argv]


# ---------------------------------------------------------------------------------------------
# The throw-away installation.
# ---------------------------------------------------------------------------------------------


def bench_environment(var_dir: Path) -> dict[str, str]:
    """The environment of every command and of the server: embedded SQLite in ``var_dir``.

    A developer's DATABASE_URL or REDIS_URL must never receive the demo data: they are dropped;
    BENCH_DATABASE_URL names an empty throw-away database to measure on instead (e.g. PostgreSQL).
    """
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    env.update(
        DJANGO_SETTINGS_MODULE="lvzhi.settings.bench",
        LVZHI_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_command(args: list[str], env: dict[str, str], log, *, timeout: int = 600) -> str:
    """Run a command, its output appended to the log; return its standard output."""
    log.write(f"\n$ {' '.join(args)}\n")
    log.flush()
    result = subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    log.write(result.stdout)
    log.write(result.stderr)
    log.flush()
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise BenchError(f"`{' '.join(args)}` failed ({result.returncode}): " + " | ".join(tail))
    return result.stdout


def lvzhi(*args: str) -> list[str]:
    return [str(VENV_BIN / "lvzhi"), *args]


def is_postgres() -> bool:
    return os.environ.get("BENCH_DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


def figure_prefix() -> str:
    """``pg_`` before every HTTP figure measured on PostgreSQL; SQLite's names stay bare."""
    return "pg_" if is_postgres() else ""


def ensure_database(log) -> None:
    """Create BENCH_DATABASE_URL's PostgreSQL database when it does not exist yet (connecting to
    the server's ``postgres`` database with the same credentials). An existing one is reused as it
    is: migrate, seed_demo and seed_suggestions are idempotent, so a second run skips the minutes of
    generation; drop the database for a fresh start."""
    if not is_postgres():
        return
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(os.environ["BENCH_DATABASE_URL"])
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    params = {key: value for key, value in params.items() if value}
    name = config["NAME"]
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                progress(f"created the PostgreSQL database {name}")
                log.write(f"\ncreated database {name}\n")
    except psycopg.Error as error:
        raise BenchError(f"could not reach or create the PostgreSQL database {name}: {error}") from error


def prepare(env: dict[str, str], var_dir: Path, log, *, suggestions: bool = False) -> None:
    """Vendor assets, migrate, load the demo data (and, for the suggestion targets, generate
    ``BENCH_SUGGESTIONS`` suggestions) and collect static files (manifest storage)."""
    steps = [
        ("copying front-end assets", lambda: run_command(lvzhi("assets"), env, log)),
        (
            "migrating a fresh database",
            lambda: run_command(lvzhi("migrate", "--noinput", "-v", "0"), env, log),
        ),
        ("loading the demo data", lambda: run_command(lvzhi("seed_demo"), env, log)),
    ]
    if suggestions:
        steps.append(
            (
                f"generating {SUGGESTIONS} suggestions",
                lambda: run_command(
                    lvzhi("seed_suggestions", "--count", str(SUGGESTIONS)), env, log, timeout=3600
                ),
            )
        )
    steps += [
        ("collecting static files", lambda: collect_static(env, var_dir, log)),
    ]
    for label, step in steps:
        started = time.monotonic()
        step()
        progress(f"{label}: {time.monotonic() - started:.1f} s")


# Runs in the bench environment: a digest of every file collectstatic would collect (names and
# contents) and of the storage that post-processes them.
STATIC_FINGERPRINT_CODE = """
import hashlib
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
files = {}
for finder in get_finders():
    for path, storage in finder.list(["CVS", ".*", "*~"]):
        prefix = getattr(storage, "prefix", None) or ""
        files.setdefault(f"{prefix}/{path}", storage.path(path))
for name, full_path in sorted(files.items()):
    digest.update(name.encode() + bytes(1))
    with open(full_path, "rb") as handle:
        digest.update(hashlib.sha256(handle.read()).digest())
print("BENCH_STATIC", settings.STATIC_ROOT, digest.hexdigest())
"""


def collect_static(env: dict[str, str], var_dir: Path, log) -> None:
    """collectstatic, or a copy of its output from an earlier run with the very same sources.

    With WhiteNoise's compressed manifest storage, collectstatic brotli-compresses ~15 MB (the
    API docs' bundles, ECharts, source maps) and takes about a minute on two cores; the result
    depends only on the source files, so it is kept in bench/out/static-<digest>.
    """
    output = run_command(lvzhi("shell", "--no-imports", "-c", STATIC_FINGERPRINT_CODE), env, log)
    match = re.search(r"^BENCH_STATIC (.+) ([0-9a-f]{64})$", output, re.MULTILINE)
    if not match:
        raise BenchError("could not fingerprint the static files (see bench/out/run.log)")
    static_root, digest = Path(match.group(1)), match.group(2)
    cache = OUT_DIR / f"static-{digest[:16]}"
    if (cache / "staticfiles.json").exists():
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.copytree(cache, static_root)
        return
    run_command(lvzhi("collectstatic", "--noinput", "-v", "0"), env, log)
    for stale in OUT_DIR.glob("static-*"):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.copytree(static_root, cache)


# Runs in the bench environment: a logged-in session of demo-staff (as the login view would leave
# it) and its API token. The cookie and token are valid for this throw-away database only.
LOGIN_CODE = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from rest_framework.authtoken.models import Token
user = get_user_model().objects.get(username="demo-staff")
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
token, _ = Token.objects.get_or_create(user=user)
unit = get_user_model().objects.get(username="demo-unit")
unit_session = import_module(settings.SESSION_ENGINE).SessionStore()
unit_session[SESSION_KEY] = str(unit.pk)
unit_session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
unit_session[HASH_SESSION_KEY] = unit.get_session_auth_hash()
unit_session.create()
# A typical suggestion for the detail page: closed, with co-signers and a co-unit, mid-range id.
from django.db.models import Max
from lvzhi.suggestions.models import Suggestion
last = Suggestion.objects.aggregate(last=Max("id"))["last"] or 0
typical = (
    Suggestion.objects.filter(
        id__gte=last // 2, status="closed", signers__isnull=False, assignments__role="co"
    ).order_by("id").values_list("id", flat=True).first()
    or Suggestion.objects.order_by("id").values_list("id", flat=True).first()
    or 0
)
print("BENCH_AUTH", settings.SESSION_COOKIE_NAME, session.session_key, token.key, unit_session.session_key, typical)
"""


def log_in(env: dict[str, str], log) -> tuple[dict[str, dict[str, str]], int]:
    """The request headers of each kind of authentication, and a typical suggestion's id."""
    progress("logging demo-staff and demo-unit in")
    output = run_command(lvzhi("shell", "--no-imports", "-c", LOGIN_CODE), env, log)
    match = re.search(r"^BENCH_AUTH (\S+) (\S+) (\S+) (\S+) (\d+)$", output, re.MULTILINE)
    if not match:
        raise BenchError("could not create a session for demo-staff (see bench/out/run.log)")
    cookie_name, session_key, token, unit_session_key, suggestion_id = match.groups()
    return {
        "session": {"Cookie": f"{cookie_name}={session_key}"},
        "token": {"Authorization": f"Token {token}"},
        "unit_session": {"Cookie": f"{cookie_name}={unit_session_key}"},
    }, int(suggestion_id)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], log):
    """gunicorn with sync workers on a free port of 127.0.0.1; stopped, with its children, on exit."""
    port = free_port()
    args = [
        str(VENV_BIN / "gunicorn"),
        "lvzhi.wsgi",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    progress(f"starting gunicorn on 127.0.0.1:{port} ({WORKERS} sync workers)")
    log.write(f"\n$ {' '.join(args)}\n")
    log.flush()
    # Its own process group, so that stopping it stops the workers too.
    server = subprocess.Popen(args, env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
    try:
        wait_until_ready(server, port)
        yield port
    finally:
        stop(server)


def wait_until_ready(server: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode} (see bench/out/run.log)")
        try:
            if get(port, HTTP_TARGETS[REFERENCE].path, {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {HTTP_TARGETS[REFERENCE].path} within {timeout:.0f} s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------------------------------------
# Measuring.
# ---------------------------------------------------------------------------------------------


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    """One GET, redirects not followed: (status, Location)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


def check_answers_200(
    name: str, port: int, target: Target, headers: dict[str, str], warm_up: int = 10
) -> None:
    """A benchmark of login redirects or error pages is worthless: every response must be 200.

    The requests also warm both workers up (imports, templates, URL resolver).
    """
    for _ in range(warm_up):
        status, location = get(port, target.path, headers)
        if status != 200:
            where = f" → {location}" if location else ""
            raise BenchError(
                f"{name}: GET {target.path} answered {status}{where}, expected 200; not measured"
            )


@dataclass(frozen=True)
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def wrk(name: str, port: int, target: Target, headers: dict[str, str], log) -> Measurement:
    args = [
        wrk_path(),
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{DURATION_S}s",
        "--latency",
        "-s",
        str(LUA_REPORT),
    ]
    for key, value in headers.items():
        args += ["-H", f"{key}: {value}"]
    args.append(f"http://127.0.0.1:{port}{target.path}")
    progress(f"{name}: wrk {CONNECTIONS} connections, {THREADS} threads, {DURATION_S} s on {target.path}")
    log.write(f"\n$ wrk … {target.path}\n")
    result = subprocess.run(args, capture_output=True, text=True, timeout=DURATION_S + 60, check=False)
    log.write(result.stdout + result.stderr)
    log.flush()
    if result.returncode != 0:
        raise BenchError(f"{name}: wrk failed ({result.returncode}): {result.stderr.strip()}")
    report = re.search(r"^LVZHI_RESULT (.*)$", result.stdout, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", result.stdout, re.MULTILINE)
    if not report or not rate:
        raise BenchError(f"{name}: could not read wrk's report (see bench/out/run.log)")
    figures = {key: float(value) for key, value in re.findall(r"(\w+)=([\d.]+)", report.group(1))}
    requests = figures["requests"]
    if requests == 0:
        raise BenchError(f"{name}: no request completed")
    # wrk counts responses with a status >= 400 here; check_answers_200 has ruled out redirects.
    if figures["status_errors"]:
        raise BenchError(
            f"{name}: {figures['status_errors']:.0f} of {requests:.0f} responses were not 2xx/3xx"
        )
    socket_errors = sum(figures[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    if socket_errors:
        progress(f"{name}: {socket_errors:.0f} socket errors in {requests:.0f} requests")
        if socket_errors > MAX_SOCKET_ERROR_SHARE * requests:
            raise BenchError(
                f"{name}: too many socket errors ({socket_errors:.0f} of {requests:.0f} requests)"
            )
    return Measurement(float(rate.group(1)), figures["p50_us"] / 1000, figures["p99_us"] / 1000)


def wrk_path() -> str:
    """wrk (Debian's package), installed on the spot when we are root and it is missing."""
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        progress("installing wrk (apt-get install -y wrk)")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": False}
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, **quiet)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update"], env=env, **quiet)
            subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, **quiet)
        path = shutil.which("wrk")
        if path:
            return path
    raise BenchError(
        "wrk is not installed and could not be installed: `apt-get install wrk` (Debian), then rerun"
    )


def run_http(names: list[str], env: dict[str, str], var_dir: Path, log, failures: list[str]) -> None:
    wrk_path()  # before the minutes of preparation
    ensure_database(log)
    prepare(env, var_dir, log, suggestions=any(name in SUGGESTION_TARGETS for name in names))
    headers_by_auth, suggestion_id = log_in(env, log)
    prefix = figure_prefix()
    with gunicorn(env, log) as port:
        reference: Measurement | None = None
        # The ceiling first: the other figures are ratios to it.
        for name in [REFERENCE, *[n for n in names if n != REFERENCE]]:
            target = HTTP_TARGETS[name]
            target = Target(target.path.format(suggestion=suggestion_id), target.auth)
            headers = headers_by_auth.get(target.auth, {}) if target.auth else {}
            try:
                check_answers_200(name, port, target, headers)
                measurement = wrk(name, port, target, headers, log)
            except BenchError as error:
                failures.append(str(error))  # reported at the end, with any other failure
                continue
            if name == REFERENCE:
                reference = measurement
            if name in names:
                emit(f"{prefix}{name}_rps", measurement.requests_per_second, "req/s")
                emit(f"{prefix}{name}_p50", measurement.p50_ms, "ms")
                emit(f"{prefix}{name}_p99", measurement.p99_ms, "ms")
                if name != REFERENCE and reference:
                    ratio = measurement.requests_per_second / reference.requests_per_second
                    emit(f"{prefix}{name}_ratio", ratio, "x", digits=3)


def run_roster_import(var_dir: Path, log, failures: list[str]) -> None:
    """bench/roster_import.py times a 5,000-row import in its own throw-away database; its
    result line is passed through, the rest goes to the log."""
    script = ROOT / "bench" / "roster_import.py"
    if not script.exists():
        failures.append("roster_import: bench/roster_import.py is missing")
        return
    progress("roster_import: importing a 5,000-row roster")
    env = bench_environment(var_dir / "roster")
    env.pop("DJANGO_SETTINGS_MODULE")  # the script chooses its settings
    (var_dir / "roster").mkdir()
    try:
        output = run_command([str(VENV_BIN / "python"), str(script)], env, log, timeout=600)
    except (BenchError, subprocess.TimeoutExpired) as error:
        failures.append(f"roster_import: {error}")
        return
    lines = [line for line in output.splitlines() if re.fullmatch(r"\S+ \S+ \S+", line)]
    if not lines:
        failures.append("roster_import: the script printed no result line")
    for line in lines:
        print(line, flush=True)


def main(argv: list[str]) -> int:
    names = parse_arguments(argv)
    # SIGTERM and SIGHUP unwind like Ctrl-C, so the server is stopped and the directory removed.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, frame: sys.exit(128 + number))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    var_dir = Path(tempfile.mkdtemp(prefix="lvzhi-bench-"))
    try:
        with LOG_PATH.open("w") as log:
            http_names = [name for name in names if name in HTTP_TARGETS]
            if http_names:
                run_http(http_names, bench_environment(var_dir), var_dir, log, failures)
            if "roster_import" in names:
                run_roster_import(var_dir, log, failures)
    except BenchError as error:
        failures.append(str(error))
    finally:
        if os.environ.get("BENCH_KEEP"):
            progress(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    for failure in failures:
        print(f"bench/run: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
