"""RELIABILITY test 27, the bounded load smoke: locust on loopback, headless and in-process.

Each simulated employee logs in, opens the service page with the form and POSTs the application
twice (a double click), again and again. Prints the requests, failures, duplicate applications
(more than one row for a person in the round: must be 0) and POST p50/p95/p99.

    pip install -e '.[benchmark]'   # locust
    .venv/bin/python benchmarks/load_smoke.py                       # SQLite file, 50 users, 30 s
    DATABASE_URL=postgres://tyonohjaus:tyonohjaus@127.0.0.1:5432/tyonohjaus \\
      .venv/bin/python benchmarks/load_smoke.py --users 50 --seconds 30

The database is a fresh ``test_…`` one (as in admin_exports.py), dropped at the end. The web
server is Django's threaded WSGI server in a child process (``--serve``), on ``tests.settings``
with the per-user application rate limit raised (the load repeats one person's POSTs on purpose).
Exit status 1 when there is a failure or a duplicate. Not part of the test suite: locust is a
``benchmark`` extra, so CI does not install it (keeps CI time small).
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-smoke-pass"  # noqa: S105 - throwaway users of a throwaway database


def out(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def setup_django(tmp):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")):
        os.environ.setdefault("TEST_DB_NAME", f"test_tyonohjaus_load_{os.getpid()}")
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["TEST_DB_NAME"] = str(Path(tmp) / "load.sqlite3")
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name


def database_url_for_child():
    from django.db import connection

    name = connection.settings_dict["NAME"]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres", "pgsql")):
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path=f"/{name}"))
    return f"sqlite:///{name}"


def seed(users):
    """A home page, the service page with applications on, a notice, an open round, users."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Locale, Page, Site

    from tests.factories import ApplicationRoundFactory, PrivacyNoticeFactory, ProviderFactory
    from tests.testapp.models import HomePage
    from tests.utils import make_service_page

    fi = Locale.objects.get_or_create(language_code="fi")[0]
    root = Page.get_first_root_node()
    home = HomePage(title="Intranet", slug="intranet", locale=fi)
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    page = make_service_page(home, provider=ProviderFactory(locale=fi))
    page.applications_enabled = True
    page.save_revision().publish()
    PrivacyNoticeFactory(locale=fi)
    round = ApplicationRoundFactory(service_key=page.translation_key, name="Kuorma")
    model = get_user_model()
    for n in range(users):
        model.objects.create_user(f"load{n}", f"load{n}@example.org", PASSWORD)
    return page, round


def serve(port):
    """The child: tests.settings on the given database, Django's threaded server."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from django.test.utils import override_settings

    plugin = {**settings.TYONOHJAUS_PLUGIN, "APPLICATION_RATE_LIMITS": ((1_000_000, 3600),)}
    override_settings(TYONOHJAUS_PLUGIN=plugin).enable()
    # tests.settings run django-q2 synchronously (tasks inside the request); a site queues them
    # for its cluster, so the smoke measures what an employee waits for: the web request only.
    from django_q.conf import Conf

    Conf.SYNC = False
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def run_locust(host, page_url, apply_url, users, seconds):
    import gevent
    from locust import HttpUser, between, task
    from locust.env import Environment

    names = [f"load{n}" for n in range(users)]

    class Employee(HttpUser):
        wait_time = between(0.2, 1.0)

        def on_start(self):
            self.client.get("/fi/login/", name="login form")
            self.client.post(
                "/fi/login/",
                {
                    "username": names.pop(),
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                },
                name="login",
                allow_redirects=False,
            )

        @task
        def apply_twice(self):
            self.client.get(page_url, name="service page with the form")
            data = {
                "format": "individual",
                "languages": "fi",
                "situation": "Kuormatesti",
                "goals": "Kuormatesti",
                "supervisor_preference": "none",
                "consent": "on",
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            }
            for _click in range(2):
                with self.client.post(
                    apply_url, data, name="apply POST", allow_redirects=False, catch_response=True
                ) as response:
                    # 303: stored; 200: "already received" (the second click, every later loop).
                    if response.status_code not in (200, 303):
                        response.failure(f"HTTP {response.status_code}")

    env = Environment(user_classes=[Employee], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return env.stats


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve)
    # locust patches threading with gevent on import: before Django, so that the database
    # connection belongs to the same (patched) thread from setup to teardown.
    import locust  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        old_name = setup_django(tmp)
        try:
            page, round = seed(args.users)
            port = free_port()
            env = {**os.environ, "DATABASE_URL": database_url_for_child()}
            env.pop("TEST_DB_NAME", None)
            server = subprocess.Popen(
                [sys.executable, __file__, "--serve", str(port)],
                env=env,
                cwd=ROOT,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_for(port)
                stats = run_locust(
                    f"http://127.0.0.1:{port}",
                    page.url,
                    f"/fi/hr/apply/{page.pk}/",
                    args.users,
                    args.seconds,
                )
            finally:
                server.terminate()
                server.wait(10)
            return report(stats, round, args)
        finally:
            from django.db import connection

            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)


def report(stats, round, args):
    from django.db.models import Count

    from tyonohjaus_plugin.models import Application

    total = stats.total
    post = stats.get("apply POST", "POST")
    stored = Application.objects.filter(round=round)
    duplicates = stored.values("applicant").annotate(n=Count("pk")).filter(n__gt=1).count()
    people = stored.values("applicant").distinct().count()
    out(f"users={args.users} seconds={args.seconds} requests={total.num_requests}")
    out(f"failures={total.num_failures} ({dict(stats.errors) and list(stats.errors)[:3]})")
    out(f"POST count={post.num_requests} failures={post.num_failures}")
    out(
        "POST p50/p95/p99 = "
        + " / ".join(f"{post.get_response_time_percentile(p):.0f}" for p in (0.5, 0.95, 0.99))
        + " ms"
    )
    out(f"stored applications={stored.count()} for {people} people; duplicates={duplicates}")
    return 1 if total.num_failures or duplicates else 0


if __name__ == "__main__":
    sys.exit(main())
