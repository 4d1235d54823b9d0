"""`make demo`: migrate, load demo data, run the web server and a django-q2 worker together.

Both children run in their own process group, so Ctrl-C in the terminal reaches only this script,
which then sends SIGTERM to each child's main process. (qcluster hangs when SIGTERM goes to its
whole process group; see STACK-NOTES.)
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("DEMO_HOST", "127.0.0.1")
PORT = int(os.environ.get("DEMO_PORT", "8000"))
BASE_URL = f"http://{HOST}:{PORT}"
STOP_TIMEOUT = 15


def manage(*args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout


def port_is_free() -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((HOST, PORT)) != 0


def start(*args):
    return subprocess.Popen([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, start_new_session=True)


def wait_until_serving(server, seconds=60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{BASE_URL}/fi/", timeout=2) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            time.sleep(0.3)
    return False


def stop(processes):
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # the main process only, never the group
    deadline = time.monotonic() + STOP_TIMEOUT
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


ENV = {
    **os.environ,
    "DJANGO_ENV": os.environ.get("DJANGO_ENV", "dev"),
    "WAGTAILADMIN_BASE_URL": os.environ.get("WAGTAILADMIN_BASE_URL", BASE_URL),
    "PYTHONUNBUFFERED": "1",
}


def main() -> int:
    if not port_is_free():
        print(f"Port {PORT} on {HOST} is in use. Stop that server or set DEMO_PORT=8001.")
        return 1
    started = time.monotonic()
    manage("migrate", "--noinput", "-v", "0")
    logins = manage("load_demo_data", capture=True)

    processes = []
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        server = start("runserver", f"{HOST}:{PORT}", "--noreload")
        processes.append(server)
        worker = start("qcluster")
        processes.append(worker)
        if not wait_until_serving(server):
            print("The web server did not start; see the messages above.")
            return 1
        elapsed = time.monotonic() - started
        print(
            "\n".join(
                [
                    "",
                    "=" * 64,
                    f" Demo is running (ready in {elapsed:.0f} s). "
                    "Ctrl-C stops the server and the worker.",
                    f"   Service page: {BASE_URL}/fi/tyonohjaus/",
                    f"                 {BASE_URL}/sv/arbetshandledning/",
                    f"                 {BASE_URL}/en/work-supervision/",
                    f"   Admin:        {BASE_URL}/admin/",
                    f"   E-mails:      {ROOT / 'sent-emails'}/ (one file per message)",
                    "",
                    *[f" {line}" for line in logins.strip().splitlines()],
                    "=" * 64,
                ]
            ),
            flush=True,
        )
        while not stopping and all(process.poll() is None for process in processes):
            time.sleep(0.5)
        for process in processes:
            if process.poll() is not None and not stopping:
                name = process.args[2]
                print(f"{name} exited with code {process.returncode}; stopping the demo.")
        return 0
    finally:
        print("Stopping the web server and the worker …", flush=True)
        stop(processes)
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
