"""Build the wheel and fail unless it ships the templates, static files and compiled catalogues."""

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = [
    "tyonohjaus_plugin/templates/tyonohjaus_plugin/service_page.html",
    "tyonohjaus_plugin/static/tyonohjaus_plugin/js/share.js",
    "tyonohjaus_plugin/migrations/0001_initial.py",
    *(
        f"tyonohjaus_plugin/locale/{lang}/LC_MESSAGES/django.{ext}"
        for lang in ("fi", "sv", "en")
        for ext in ("po", "mo")
    ),
]


def main() -> int:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", out, str(ROOT)],
            check=True,
        )
        wheel = next(Path(out).glob("*.whl"))
        names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in REQUIRED if name not in names]
    leaked = sorted(name for name in names if name.startswith(("example_site/", "tests/")))
    for name in missing:
        print(f"missing from {wheel.name}: {name}")
    for name in leaked:
        print(f"should not be in {wheel.name}: {name}")
    if missing or leaked:
        return 1
    print(f"{wheel.name}: {len(names)} files, templates, static files and catalogues present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
