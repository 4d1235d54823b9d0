"""The scale-out proof: the README's production set-up on one machine, under load and faults.

    pip install -e '.[postgres,redis,server,benchmark]'
    DATABASE_URL=postgres://tyonohjaus:tyonohjaus@127.0.0.1:5432/tyonohjaus \\
        .venv/bin/python benchmarks/scale_out.py            # 500 employees, 8,000 reminders
    DATABASE_URL=… .venv/bin/python benchmarks/scale_out.py --small   # CI: 60 and 500

Everything runs as the README runs it, with the same variables (``DJANGO_ENV=production``,
``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``EMAIL_HOST``…) and commands
(``manage.py migrate``, ``createcachetable``, ``collectstatic --noinput``, ``gunicorn
example_site.wsgi``, ``manage.py qcluster``), on loopback only:

1. a fresh database ``tyo_scale_<pid>`` next to the one ``DATABASE_URL`` names (dropped at the
   end unless ``--keep``), Redis and the SMTP sink (``benchmarks/smtp_sink.py``, 20 ms a
   message) on their own ports; migrate, collect static files, seed (``benchmarks/scale_seed.py``:
   the service page, an open round, N employees, an HR user, supervisors, and meetings that make
   M reminders come due during the load);
2. two gunicorn processes (``--workers 2`` each) and two ``qcluster``s on the Redis broker; waits
   for ``/readyz`` on both web processes;
3. a bounded locust load, in-process and headless: every employee logs in, opens the service page
   with the form (and its stylesheet, served by whitenoise), POSTs the application and POSTs it
   again (a double click); HR closes the round through the admin mid-burst, waits for the
   matching that closing starts, and confirms it on the matching board;
4. meanwhile, on a timeline: Redis stopped for ``--redis-outage`` seconds, the SMTP sink for
   ``--smtp-outage`` seconds, one busy qcluster worker SIGKILLed (its sentinel starts another), one
   cluster stopped with SIGTERM to its main process and started again;
5. waits (bounded) until every message is sent, then prints the table and exits 1 on a lost
   application, receipt or reminder, a duplicated application, one stored after the close, a
   5xx, or more duplicated messages than killed workers (RELIABILITY.md §1.2: the message in
   flight at a kill may go twice).

Every process it starts is in its own process group and is stopped in ``finally`` (also on
Ctrl-C); its logs are in a temporary directory, kept when the run fails or with ``--keep``.
"""

import argparse
import base64
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "")
SINK_DELAY_MS = 20
#: Seconds a qcluster gets after SIGTERM (the README's systemd units: TimeoutStopSec=150).
STOP_TIMEOUT = 150

#: Sizes and the timeline. ``burst``: seconds over which the employees arrive. Redis stops, the
#: SMTP sink stops and HR closes the round when these shares of the employees have POSTed
#: (``redis_at``, ``smtp_at``, ``close``: load, not the clock, decides on a busy machine; the
#: close waits for Redis to be back). The reminders come due ``reminders_due`` s into the load;
#: a worker is SIGKILLed once messages flow after that, and a cluster SIGTERMed
#: ``restart_after`` s later (and started again ``restart_after`` s after it stopped).
SIZES = {
    "full": {
        "employees": 500,
        "reminders": 8000,
        "redis_outage": 60,
        "smtp_outage": 15,
        "burst": 150,
        "redis_at": 0.1,
        "smtp_at": 0.4,
        "close": 0.5,
        "reminders_due": 110,
        "restart_after": 10,
    },
    "small": {
        "employees": 60,
        "reminders": 500,
        "redis_outage": 10,
        "smtp_outage": 5,
        "burst": 30,
        "redis_at": 0.1,
        "smtp_at": 0.4,
        "close": 0.5,
        "reminders_due": 5,
        "restart_after": 3,
    },
}


#: CI's small run shortens the outbox's recovery times, so that a claim lost with the killed
#: worker and a send failed during the SMTP outage come back within its budget. Settings that do
#: not read these variables keep their production values; the "settings" line shows which apply.
SMALL_TIMINGS = {
    "Q_TIMEOUT": "30",  # with it, Q_CLUSTER's retry; W007: the stale time must stay above it
    "OUTBOX_STALE_AFTER_SECONDS": "40",
    "OUTBOX_RETRY_AFTER_SECONDS": "15",
}


def out(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


class Failed(Exception):
    """The set-up did not come up; the message says what and where its log is."""


# -- processes ------------------------------------------------------------------------------------


class Processes:
    """Children in their own process groups, with a log file each; all stopped by ``stop_all``."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def log(self, name) -> Path:
        return self.logs / f"{name}.log"

    def start(self, name, argv, env):
        with self.log(name).open("ab") as log:
            process = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running[name] = process
        return process

    def run(self, name, argv, env, timeout=600):
        """A one-off command (migrate, collectstatic): its output goes to its log."""
        started = time.monotonic()
        process = self.start(name, argv, env)
        try:
            code = process.wait(timeout)
        finally:
            self.running.pop(name, None)
            _kill_group(process)
        if code:
            raise Failed(f"{' '.join(map(str, argv[1:]))} failed ({code}):\n{self.tail(name)}")
        return time.monotonic() - started

    def tail(self, name, lines=30):
        text = self.log(name).read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def wait_for_line(self, name, marker, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker in self.log(name).read_text(errors="replace"):
                return
            if self.running[name].poll() is not None:
                break
            time.sleep(0.1)
        raise Failed(f"{name} did not start:\n{self.tail(name)}")

    def stop(self, name, *, main_only=False, timeout=30):
        """SIGTERM (to the main process only for qcluster, as the README says), then SIGKILL to
        whatever is left of the group. Returns the seconds it took to end."""
        process = self.running.pop(name, None)
        if process is None:
            return 0.0
        started = time.monotonic()
        if process.poll() is None:
            try:
                if main_only:
                    process.send_signal(signal.SIGTERM)
                else:
                    os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        took = time.monotonic() - started
        _kill_group(process)
        return took

    def stop_all(self):
        for name in reversed(list(self.running)):
            self.stop(name, main_only=name.startswith("qcluster"), timeout=20)


def gevent_sleep_until(moment):
    import gevent

    gevent.sleep(max(0.0, moment - time.time()))


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        pass


# -- the database ---------------------------------------------------------------------------------


def database_urls(name):
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("benchmarks/scale_out.py needs DATABASE_URL=postgres://… (several processes)")
    if (parts.hostname or "") not in LOCAL_HOSTS:
        sys.exit("benchmarks/scale_out.py runs on one machine: DATABASE_URL must be on loopback")
    return url, urlunsplit(parts._replace(path=f"/{name}"))


def pg_connect(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or None,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=parts.path.lstrip("/"),
        autocommit=True,
    )


def pg_admin(url):
    """The maintenance database ``postgres`` (as Django's test runner uses), else the named one."""
    import psycopg

    try:
        return pg_connect(urlunsplit(urlsplit(url)._replace(path="/postgres")))
    except psycopg.OperationalError:
        return pg_connect(url)


def create_database(admin_url, name):
    with pg_admin(admin_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url, name):
    with pg_admin(admin_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def delivery_states(url):
    with pg_connect(url) as connection:
        rows = connection.execute(
            "SELECT state, kind, count(*) FROM tyonohjaus_plugin_delivery GROUP BY state, kind"
        ).fetchall()
    states, kinds = defaultdict(int), defaultdict(int)
    for state, kind, count in rows:
        states[state] += count
        kinds[kind] += count
    return dict(states), dict(kinds)


# -- the site through manage.py -------------------------------------------------------------------


def manage(processes, env, name, *args, timeout=600):
    return processes.run(name, [sys.executable, "manage.py", *args], env, timeout=timeout)


def scale_seed(processes, env, name, spec):
    """``benchmarks/scale_seed.py`` inside ``manage.py shell``: the deployment's own settings."""
    env = {**env, "TYO_SCALE": json.dumps(spec)}
    manage(processes, env, name, "shell", "-c", "from benchmarks.scale_seed import main; main()")
    for line in reversed(processes.log(name).read_text(errors="replace").splitlines()):
        if line.startswith("TYO_SCALE_RESULT "):
            return json.loads(line.split(" ", 1)[1])
    raise Failed(f"{name} printed no result:\n{processes.tail(name)}")


# -- HTTP as a browser behind the TLS proxy -------------------------------------------------------


def as_browser(session, base):
    """A browser behind the site's TLS proxy: the proxy's ``X-Forwarded-Proto: https``, and the
    Secure cookies the site sets sent back (on loopback there is no TLS, and ``requests`` keeps
    Secure cookies for https URLs only); CSRF on HTTPS checks the Origin against the host."""
    from requests.cookies import RequestsCookieJar

    class ProxyJar(RequestsCookieJar):
        def set_cookie(self, cookie, *args, **kwargs):
            cookie.secure = False
            return super().set_cookie(cookie, *args, **kwargs)

    session.cookies = ProxyJar()
    session.headers.update(
        {"X-Forwarded-Proto": "https", "Origin": "https://" + urlsplit(base).netloc}
    )


def csrf(session):
    return session.cookies.get("csrftoken", "")


def wait_ready(ports, deadline):
    import requests

    pending = set(ports)
    answer = {}
    while pending and time.monotonic() < deadline:
        for port in sorted(pending):
            try:
                response = requests.get(f"http://{HOST}:{port}/readyz", timeout=3)
            except requests.RequestException as exc:
                answer[port] = type(exc).__name__
                continue
            answer[port] = f"{response.status_code} {response.text[:300]}"
            if response.status_code == 200:
                pending.discard(port)
        time.sleep(0.5)
    if pending:
        raise Failed(f"/readyz did not answer 200: {answer}")


# -- the run --------------------------------------------------------------------------------------


class Run:
    def __init__(self, args, size, tmp):
        self.args = args
        self.size = size
        self.tmp = tmp
        self.processes = Processes(tmp)
        self.ports = {
            "redis": args.base_port + 1,
            "smtp": args.base_port + 2,
            "web1": args.base_port + 4,
            "web2": args.base_port + 5,
        }
        self.sink_log = tmp / "sink-messages.log"
        self.sink_log.touch()
        self.events = []  # (seconds from the load's start, text)
        self.windows = {}  # fault -> (start, end) in time.time()
        self.kills = 0
        self.t0 = None
        self.answers = {}  # username -> one dict per POST: status, time, application id
        self.load_done = False

    # -- children ----------------------------------------------------------------------------

    def env(self, database_url):
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DJANGO_SETTINGS_MODULE", "TYO_SCALE")
        }
        web = [f"https://{HOST}:{self.ports[name]}" for name in ("web1", "web2")]
        env.update(
            {
                "DJANGO_ENV": "production",
                "DATABASE_URL": database_url,
                "REDIS_URL": f"redis://{HOST}:{self.ports['redis']}/0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                # A Fernet key (as Fernet.generate_key() makes one): check E009 requires it.
                "TYONOHJAUS_ENCRYPTION_KEYS": base64.urlsafe_b64encode(
                    secrets.token_bytes(32)
                ).decode(),
                "ALLOWED_HOSTS": HOST,
                "CSRF_TRUSTED_ORIGINS": ",".join(web),
                "WAGTAILADMIN_BASE_URL": web[0],
                "STATIC_ROOT": str(self.tmp / "static"),
                "MEDIA_ROOT": str(self.tmp / "media"),
                "EMAIL_HOST": HOST,
                "EMAIL_PORT": str(self.ports["smtp"]),
                "EMAIL_TIMEOUT": "5",
                "Q_WORKERS": "2",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if self.args.small:
            env.update(SMALL_TIMINGS)
        return env

    def start_redis(self):
        self.processes.start(
            "redis",
            ["redis-server", "--port", str(self.ports["redis"]), "--bind", HOST,
             "--save", "", "--appendonly", "no"],
            os.environ.copy(),
        )  # fmt: skip
        self.processes.wait_for_line("redis", "Ready to accept connections", 20)

    def start_sink(self):
        self.processes.start(
            "smtp-sink",
            [sys.executable, "benchmarks/smtp_sink.py", "--host", HOST,
             "--port", str(self.ports["smtp"]), "--delay-ms", str(SINK_DELAY_MS),
             "--log", str(self.sink_log)],
            os.environ.copy(),
        )  # fmt: skip
        # The log file is appended to; its "listening" line tells this start from the last.
        before = self.processes.log("smtp-sink").read_text(errors="replace").count("listening on")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            text = self.processes.log("smtp-sink").read_text(errors="replace")
            if text.count("listening on") > before:
                return
            time.sleep(0.1)
        raise Failed(f"the SMTP sink did not start:\n{self.processes.tail('smtp-sink')}")

    def start_web(self, name):
        # As the README: ``gunicorn example_site.wsgi`` reads gunicorn.conf.py (worker count from
        # WEB_CONCURRENCY, address from GUNICORN_BIND). No control socket: two gunicorns on one
        # machine would both take gunicorn 27's default ~/.gunicorn/gunicorn.ctl.
        env = {
            **self.child_env,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"{HOST}:{self.ports[name]}",
        }
        self.processes.start(name, [str(BIN / "gunicorn"), "example_site.wsgi"], env)

    def start_cluster(self, name):
        self.processes.start(name, [sys.executable, "manage.py", "qcluster"], self.child_env)

    # -- main flow ---------------------------------------------------------------------------

    def prepare(self):
        args, size = self.args, self.size
        name = f"tyo_scale_{os.getpid()}"
        admin_url, url = database_urls(name)
        self.database, self.database_url, self.admin_url = name, url, admin_url
        self.child_env = self.env(url)
        out(
            f"== Scale-out proof == {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"database {name}, {size['employees']} employees, {size['reminders']} reminders, "
            f"Redis outage {size['redis_outage']} s, SMTP outage {size['smtp_outage']} s"
        )
        started = time.monotonic()
        create_database(admin_url, name)
        self.created = True
        self.start_redis()
        self.start_sink()
        # collectstatic beside migrate (they touch different things); the clusters start as
        # soon as the schema is there (readiness waits for their scheduler's first pass, ~30 s),
        # the web processes once the static files are collected (whitenoise reads them at start).
        collect = self.processes.start(
            "collectstatic",
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            self.child_env,
        )
        check = manage(self.processes, self.child_env, "check", "check", "--deploy")
        migrate = manage(self.processes, self.child_env, "migrate", "migrate", "--noinput")
        manage(self.processes, self.child_env, "createcachetable", "createcachetable")
        out(
            f"check --deploy     {check:6.1f} s   "
            f"{self.processes.tail('check', 1).strip()[:70]}\n"
            f"migrate            {migrate:6.1f} s   then createcachetable; collectstatic beside it"
        )
        booted = time.monotonic()
        for name in ("qcluster1", "qcluster2"):
            self.start_cluster(name)
        # The reminders come due ``reminders_due`` s into the load, which starts when both web
        # processes are ready, or ``ready_budget`` s after seeding began if that is later.
        self.ready_budget = 35 if args.small else 45
        self.reminders_due_at = time.time() + self.ready_budget + size["reminders_due"]
        self.seed = scale_seed(
            self.processes,
            self.child_env,
            "seed",
            {
                "command": "seed",
                "employees": size["employees"],
                "reminders": size["reminders"],
                "reminders_due_at": self.reminders_due_at,
                "password": self.password,
            },
        )
        effective = self.seed["effective"]
        out(
            f"seed               {time.monotonic() - booted:6.1f} s   "
            f"{size['employees']} employees, {self.seed['supervisors']} supervisors, "
            f"{self.seed['reminders']} reminders due at load +{size['reminders_due']} s"
        )
        out(
            f"settings                    {effective['settings']}, DEBUG {effective['debug']}, "
            f"{effective['email_backend'].rsplit('.', 2)[-2]} mail, "
            f"{effective['broker']} broker, cache {effective['cache'].rsplit('.', 1)[-1]}, "
            f"task timeout {effective['q_timeout']} s, outbox stale after "
            f"{effective['stale_after']} s, retry after {effective['retry_after']} s"
        )
        if effective["debug"] or "smtp" not in effective["email_backend"]:
            raise Failed(f"DJANGO_ENV=production did not give production settings: {effective}")
        code = collect.wait(300)
        self.processes.running.pop("collectstatic", None)
        if code:
            raise Failed(f"collectstatic failed:\n{self.processes.tail('collectstatic')}")
        for name in ("web1", "web2"):
            self.start_web(name)
        wait_ready([self.ports["web1"], self.ports["web2"]], time.monotonic() + 120)
        out(
            f"ready              {time.monotonic() - booted:6.1f} s   2 qcluster x 2 workers, "
            f"2 gunicorn x 2 workers, /readyz 200 on both "
            f"(set-up {time.monotonic() - started:.0f} s)"
        )

    def at(self, seconds):
        """Sleep until ``seconds`` after the load's start."""
        import gevent

        gevent.sleep(max(0.0, self.t0 + seconds - time.time()))

    def note(self, text):
        self.events.append((time.time() - self.t0, text))
        out(f"  t={time.time() - self.t0:6.1f} s  {text}")

    # -- faults ------------------------------------------------------------------------------

    def after_posts(self, share):
        """Wait until ``share`` of the employees have POSTed their application once."""
        import gevent

        while not self.load_done:
            if (
                sum(1 for answers in self.answers.values() if answers)
                >= share * self.size["employees"]
            ):
                return
            gevent.sleep(0.2)

    def redis_outage(self):
        size = self.size
        self.after_posts(size["redis_at"])
        start = time.time()
        self.processes.stop("redis")
        self.note(f"Redis stopped for {size['redis_outage']} s")
        gevent_sleep_until(start + size["redis_outage"])
        self.start_redis()
        self.windows["redis"] = (start, time.time())
        self.note("Redis started again on the same port (empty: no persistence)")

    def smtp_outage(self):
        size = self.size
        self.after_posts(size["smtp_at"])
        start = time.time()
        self.processes.stop("smtp-sink")
        self.note(f"SMTP sink stopped for {size['smtp_outage']} s")
        gevent_sleep_until(start + size["smtp_outage"])
        self.start_sink()
        self.windows["smtp"] = (start, time.time())
        self.note("SMTP sink started again")

    def workers(self):
        """Worker pid -> (cluster, time of its last "processing" line, task), from the clusters'
        INFO lines ("Process-… ready for work at <pid>", "Process-… processing <task>")."""
        import psutil

        found = {}
        for cluster in ("qcluster1", "qcluster2"):
            process = self.processes.running.get(cluster)
            if process is None:
                continue
            alive = {p.pid for p in psutil.Process(process.pid).children(recursive=True)}
            names, busy = {}, {}
            lines = self.processes.log(cluster).read_text(errors="replace").splitlines()
            for n, line in enumerate(lines):
                if match := re.search(r"(Process-\w+) ready for work at (\d+)", line):
                    names[match[1]] = int(match[2])
                elif match := re.search(r"(Process-\w+) processing (\S+)(?: '([^']+)')?", line):
                    busy[match[1]] = (n, match[3] or match[2])  # the function, else the name
            for name, pid in names.items():
                if pid in alive:
                    found[pid] = (cluster, *busy.get(name, (-1, "")))
        return found

    def kill_worker(self):
        """SIGKILL a worker while reminders go out: messages reach the sink and a worker's last
        task is a sending task (the sweep or the batches it fans out); any worker after 90 s."""
        import gevent

        self.at(self.size["reminders_due"])
        deadline = time.time() + 90
        lines = self.sink_lines()
        chosen = None
        while time.time() < deadline and chosen is None:
            gevent.sleep(0.5)
            now = self.sink_lines()
            flowing, lines = now - lines >= 3, now
            # The sweep, or the send tasks it fans out (names change with the outbox's design).
            busy = {pid: w for pid, w in self.workers().items() if ".send_" in w[2]}
            if flowing and busy:
                chosen = max(busy.items(), key=lambda item: item[1][1])
        workers = self.workers()
        if chosen is None and workers:
            chosen = max(workers.items(), key=lambda item: item[1][1])
        if chosen is None:
            self.note("no qcluster worker found to kill (are django-q's INFO lines logged?)")
            return
        pid, (cluster, _line, task) = chosen
        os.kill(pid, signal.SIGKILL)
        self.kills += 1
        self.windows["kill"] = (time.time(), time.time())
        self.note(f"SIGKILL worker {pid} of {cluster} (last task: {task or 'none'})")
        gevent.sleep(1)
        states, _kinds = delivery_states(self.database_url)
        self.note(
            f"outbox after the kill: {states.get('sending', 0)} row(s) 'sending' (the killed "
            f"worker's stays so until {self.seed['effective']['stale_after']} s after its claim)"
        )
        self.at(time.time() - self.t0 + self.size["restart_after"])
        # As systemd's KillMode=mixed with the README's TimeoutStopSec=150: the main process gets
        # SIGTERM, and whatever is left after 150 s gets SIGKILL (a sweep may run 60 s).
        took = self.processes.stop("qcluster2", main_only=True, timeout=STOP_TIMEOUT)
        if took >= STOP_TIMEOUT:
            self.kills += 2  # its workers were killed, not stopped
            self.note(f"qcluster2 ignored SIGTERM for {STOP_TIMEOUT} s: SIGKILL to its group")
        else:
            self.note(f"SIGTERM to qcluster2's main process: stopped in {took:.1f} s")
        self.at(time.time() - self.t0 + self.size["restart_after"])
        self.start_cluster("qcluster2")
        self.note("qcluster2 started again")

    def sink_lines(self):
        with self.sink_log.open("rb") as log:
            return sum(1 for _line in log)

    # -- the load ----------------------------------------------------------------------------

    def load(self):
        import gevent
        from locust import HttpUser, constant, task
        from locust.clients import HttpSession
        from locust.env import Environment

        size, seed = self.size, self.seed
        names = list(reversed(seed["employees"]))
        answers = self.answers
        requests_seen = self.requests_seen = []
        page_url, apply_url = seed["page_url"], f"/fi/hr/apply/{seed['page_id']}/"
        password = self.password
        finished = []

        class Employee(HttpUser):
            abstract = True
            wait_time = constant(3600)  # one pass each: arrive, apply twice, leave

            def on_start(self):
                as_browser(self.client, self.host)
                self.username = names.pop()

            @task
            def apply(self):
                if self.username in answers:
                    return
                answers[self.username] = []
                self.client.get("/fi/login/", name="login page")
                self.client.post(
                    "/fi/login/",
                    {"username": self.username, "password": password,
                     "csrfmiddlewaretoken": csrf(self.client)},
                    name="login POST", allow_redirects=False,
                )  # fmt: skip
                page = self.client.get(page_url, name="service page")
                style = re.search(r'href="(/static/tyonohjaus_plugin/[^"]+\.css)"', page.text)
                if style:
                    self.client.get(style[1], name="static file (whitenoise)")
                data = {
                    "format": "individual",
                    "languages": "fi",
                    "situation": "Kuormatesti.",
                    "goals": "Kuormatesti.",
                    "supervisor_preference": "none",
                    "consent": "on",
                    "csrfmiddlewaretoken": csrf(self.client),
                }
                for _click in range(2):
                    with self.client.post(
                        apply_url, data, name="apply POST", allow_redirects=False,
                        catch_response=True,
                    ) as response:  # fmt: skip
                        location = response.headers.get("Location", "")
                        received = re.search(r"/applications/(\d+)/received/", location)
                        answers[self.username].append(
                            {
                                "status": response.status_code,
                                "at": time.time(),
                                "application": int(received[1]) if received else None,
                            }
                        )
                        # 303 stored; 200 "received already" (the second click); 409 closed.
                        if response.status_code in (200, 303, 409):
                            response.success()
                        else:
                            response.failure(f"HTTP {response.status_code}")
                finished.append(self.username)

        classes = [
            type(f"Employee{n}", (Employee,), {"host": f"http://{HOST}:{self.ports[name]}"})
            for n, name in enumerate(("web1", "web2"))
        ]
        env = Environment(user_classes=classes)
        env.create_local_runner()

        def seen(request_type, name, response_time, response, exception, **kwargs):
            end = time.time()
            status = getattr(response, "status_code", 0) or 0
            requests_seen.append((end - response_time / 1000, end, name, status, exception))

        env.events.request.add_listener(seen)

        hr_base = f"http://{HOST}:{self.ports['web1']}"
        hr = HttpSession(hr_base, env.events.request, None)
        as_browser(hr, hr_base)
        self.hr_outcome = {}

        def hr_flow():
            round_id = seed["round_id"]
            hr.get("/admin/login/", name="HR admin login page")
            hr.post(
                "/admin/login/",
                {"username": seed["hr"], "password": password, "next": "/admin/",
                 "csrfmiddlewaretoken": csrf(hr)},
                name="HR admin login POST", allow_redirects=False,
            )  # fmt: skip
            self.after_posts(size["close"])
            while "redis" not in self.windows:
                gevent.sleep(0.5)
            hr.get(f"/admin/tyonohjaus/rounds/{round_id}/close/", name="HR close round page")
            response = hr.post(
                f"/admin/tyonohjaus/rounds/{round_id}/close/",
                {"csrfmiddlewaretoken": csrf(hr)},
                name="HR close round POST",
                allow_redirects=False,
            )
            self.windows["close"] = (time.time(), time.time())
            self.note(f"HR closed the round through the admin: HTTP {response.status_code}")
            deadline = time.time() + 600
            state = run = None
            while time.time() < deadline:
                status = hr.get(
                    f"/admin/tyonohjaus/matching/rounds/{round_id}/status/",
                    name="HR matching status",
                )
                if status.status_code == 200:
                    state, run = status.json().get("state"), status.json().get("run")
                    if state in ("done", "failed"):
                        break
                gevent.sleep(2)
            self.note(f"matching run {run}: {state}")
            self.hr_outcome["matching"] = state
            if state != "done":
                return
            hr.get(f"/admin/tyonohjaus/matching/rounds/{round_id}/", name="HR matching board")
            hr.get(f"/admin/tyonohjaus/matching/runs/{run}/confirm/", name="HR confirm page")
            started = time.time()
            response = hr.post(
                f"/admin/tyonohjaus/matching/runs/{run}/confirm/",
                {"csrfmiddlewaretoken": csrf(hr)},
                name="HR confirm POST",
                allow_redirects=False,
            )
            self.hr_outcome["confirm"] = response.status_code
            self.note(
                f"HR confirmed the matches: HTTP {response.status_code} "
                f"in {time.time() - started:.1f} s"
            )

        # The reminders were seeded to come due ``reminders_due`` s after the load's start.
        gevent.sleep(max(0.0, self.reminders_due_at - size["reminders_due"] - time.time()))
        self.t0 = time.time()
        out(f"load and faults (t = seconds from the load's start; {env.runner.__class__.__name__})")
        spawn_rate = size["employees"] / size["burst"]
        env.runner.start(size["employees"], spawn_rate=spawn_rate)
        faults = [
            gevent.spawn(self.redis_outage),
            gevent.spawn(self.smtp_outage),
            gevent.spawn(self.kill_worker),
            gevent.spawn(hr_flow),
        ]
        deadline = time.time() + size["burst"] + 1200
        while len(finished) < size["employees"] and time.time() < deadline:
            gevent.sleep(0.5)
        self.load_done = True
        self.note(f"{len(finished)} of {size['employees']} employees done")
        gevent.joinall(faults, timeout=max(0.0, deadline - time.time()))
        for greenlet in faults:
            if not greenlet.successful():
                raise Failed(f"a timeline step failed: {greenlet.exception!r}")
        env.runner.quit()
        self.stats = env.stats

    def catch_up(self):
        """Wait until the outbox has nothing pending or sending and every reminder exists."""
        import gevent

        effective = self.seed["effective"]
        last_fault = max(end for _start, end in self.windows.values())
        # A claim lost with the killed worker waits ``stale_after``; a send failed during the
        # SMTP outage waits ``retry_after``; then the next minute sweep takes it.
        bound = (
            max(
                self.windows.get("kill", (0, 0))[1] + effective["stale_after"],
                self.windows.get("smtp", (0, 0))[1] + effective["retry_after"],
                last_fault,
            )
            + 2 * 60
            + 15
        )
        if self.args.max_wait is not None:
            bound = min(bound, time.time() + self.args.max_wait)
        # While messages still go out the queue is draining, not stuck: the bound moves on (a
        # busy machine sends slower), up to half an hour past it.
        deadline, cap = bound, bound + 1800
        started = time.time()
        sent = -1
        while True:
            states, kinds = delivery_states(self.database_url)
            open_rows = states.get("pending", 0) + states.get("sending", 0)
            complete = kinds.get("meeting_reminder", 0) >= self.seed["reminders"]
            if (not open_rows and complete) or time.time() > deadline:
                break
            if states.get("sent", 0) > sent and self.args.max_wait is None:
                sent = states.get("sent", 0)
                deadline = min(cap, max(deadline, time.time() + 90))
            gevent.sleep(2)
        self.caught_up = not open_rows and complete
        self.note(
            f"queue {'caught up' if self.caught_up else 'NOT caught up'} after "
            f"{time.time() - started:.0f} s more: deliveries {dict(states)}"
        )

    def tally(self):
        spec_file = self.tmp / "answers.json"
        spec_file.write_text(json.dumps({"answers": self.answers}))
        return scale_seed(
            self.processes,
            self.child_env,
            "tally",
            {
                "command": "tally",
                "spec_file": str(spec_file),
                "round_id": self.seed["round_id"],
                "reminders": self.seed["reminders"],
                "sink_log": str(self.sink_log),
            },
        )

    # -- the table ---------------------------------------------------------------------------

    def report(self, result):
        stats = self.stats
        redis = self.windows.get("redis", (0, 0))
        during = outside = 0
        errors = []
        for start, end, name, status, exception in self.requests_seen:
            if status >= 500 or (status == 0 and exception is not None):
                if start <= redis[1] and end >= redis[0]:
                    during += 1
                else:
                    outside += 1
                errors.append((start - self.t0, name, status or type(exception).__name__))
        accepted = sum(
            1
            for answers in self.answers.values()
            for answer in answers
            if answer["status"] in (200, 303)
        )
        refused = sum(
            1 for answers in self.answers.values() for answer in answers if answer["status"] == 409
        )

        def pct(name, method):
            entry = stats.get(name, method)
            if not entry.num_requests:
                return "-"
            return " / ".join(f"{entry.get_response_time_percentile(p):.0f}" for p in (0.5, 0.95))

        receipts, reminders, others = result["receipts"], result["reminders"], result["others"]
        rows = [
            ("requests", stats.total.num_requests,
             f"{stats.total.num_failures} failed; "
             f"{len(self.answers)} employees, {accepted} POSTs answered 2xx/3xx"),
            ("5xx outside Redis outage", outside, "goal 0"),
            ("5xx during Redis outage", during, f"goal 0 ({redis[1] - redis[0]:.0f} s outage)"),
            ("applications stored", result["applications"],
             f"{result['applicants']} people; {refused} POSTs refused after the close (409)"),
            ("applications lost", len(result["lost"]), "2xx/3xx answer without its row; goal 0"),
            ("applications duplicated", result["duplicated"], "rows per person > 1; goal 0"),
            ("applications late", result["late"], "stored after the close; goal 0"),
            ("matching", result["engagements"],
             f"engagements confirmed by HR (run {self.hr_outcome.get('matching')}, "
             f"confirm HTTP {self.hr_outcome.get('confirm')})"),
            ("receipts sent", receipts["sent"], f"of {receipts['expected']} applications"),
            ("receipts lost", receipts["lost"], "goal 0"),
            ("receipts duplicated", receipts["duplicated"], f"goal <= {self.kills}"),
            ("reminders sent", reminders["sent"], f"of {reminders['expected']} due"),
            ("reminders lost", reminders["lost"], "goal 0"),
            ("reminders duplicated", reminders["duplicated"], f"goal <= {self.kills}"),
            ("other messages sent", others["sent"],
             f"lost {others['lost']}, duplicated {others['duplicated']}, "
             f"uncertain {others['uncertain']} ({others['held_for_hr']} not delivered, held for "
             "HR to resend) (meeting invitations, status e-mails)"),
            ("messages not sent yet", sum(m["waiting"] for m in (receipts, reminders, others)),
             "pending or sending when the wait ended; goal 0"),
            ("page GET p50 / p95", pct("service page", "GET"), "ms"),
            ("POST p50 / p95", pct("apply POST", "POST"), "ms"),
            ("login POST p50 / p95", pct("login POST", "POST"), "ms (PBKDF2)"),
        ]  # fmt: skip
        out("result")
        for label, value, note in rows:
            out(f"  {label:<26} {value!s:>11}   {note}")
        for at, name, status in errors[:10]:
            out(f"  5xx/error at t={at:.1f} s: {name} -> {status}")
        for error in list(stats.errors.values())[:10]:
            out(f"  failed: {error.occurrences} x {error.method} {error.name}: {error.error}")
        duplicates = receipts["duplicated"] + reminders["duplicated"] + others["duplicated"]
        failures = [
            ("a 5xx", during + outside),
            ("a lost application", len(result["lost"])),
            ("a duplicated application", result["duplicated"]),
            ("a late application", result["late"]),
            ("a lost receipt", receipts["lost"]),
            ("a lost reminder", reminders["lost"]),
            ("a lost message", others["lost"]),
            ("duplicates beyond one per killed worker", max(0, duplicates - self.kills)),
            ("the queue not caught up", not self.caught_up),
            ("matching not confirmed", self.hr_outcome.get("confirm") != 302),
        ]
        failed = [what for what, count in failures if count]
        out(f"verdict: {'FAIL: ' + ', '.join(failed) if failed else 'PASS'}")
        return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="CI size: 60 employees, 500 reminders")
    parser.add_argument("--employees", type=int)
    parser.add_argument("--reminders", type=int)
    parser.add_argument("--redis-outage", type=int, help="seconds (default 60; --small 10)")
    parser.add_argument("--smtp-outage", type=int, help="seconds (default 15; --small 5)")
    parser.add_argument(
        "--max-wait",
        type=int,
        help="cap on the wait for the queue, seconds (default: the outbox's own recovery times "
        "after the last fault, plus two sweeps)",
    )
    parser.add_argument("--base-port", type=int, default=8870, help="Redis +1, SMTP +2, web +4/+5")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    args = parser.parse_args(argv)
    size = dict(SIZES["small" if args.small else "full"])
    for key in ("employees", "reminders", "redis_outage", "smtp_outage"):
        if getattr(args, key) is not None:
            size[key] = getattr(args, key)
    # locust patches the standard library for gevent on import: before anything else starts.
    import locust  # noqa: F401

    tmp = Path(tempfile.mkdtemp(prefix="tyo_scale_"))
    run = Run(args, size, tmp)
    run.password = secrets.token_urlsafe(16)
    run.created = False
    code = 2
    # SIGTERM (and Ctrl-C) end the run through ``finally``: raised in the main greenlet, which
    # a plain signal handler under gevent's patches would not be.
    import gevent

    gevent.signal_handler(signal.SIGTERM, gevent.kill, gevent.getcurrent(), SystemExit(143))
    try:
        run.prepare()
        run.load()
        run.catch_up()
        code = run.report(run.tally())
    except Failed as exc:
        out(f"set-up failed: {exc}")
    finally:
        run.processes.stop_all()
        if run.created and not args.keep:
            drop_database(run.admin_url, run.database)
        if args.keep or code:
            out(f"logs in {tmp}" + (f"; database {run.database} kept" if args.keep else ""))
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
