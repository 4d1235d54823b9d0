"""Print pip constraints pinning each direct dependency to the lowest version pyproject.toml allows.

CI installs the plugin with them into a second virtualenv, so the lower bounds we promise are
tested rather than guessed:
    .venv/bin/python scripts/lowest_constraints.py > lowest.txt
    .venv-lowest/bin/pip install -c lowest.txt -e '.[test,postgres,redis]'
    .venv-lowest/bin/python scripts/lowest_constraints.py --check  # installed == pinned

Pinned: `dependencies` and the `postgres`, `redis` and `server` extras (what a site installs).
The `test` extra's tools stay at their newest (`--extras` adds more). Transitive dependencies
are left to pip, within what the pinned packages allow. A bound other than `>=` (or none) pins
nothing.
"""

import argparse
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOWER_BOUND = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*>=\s*([^,;\s]+)\s*$")


def lowest_pins(requirements: list[str]) -> list[str]:
    pins = []
    for requirement in requirements:
        match = LOWER_BOUND.match(requirement)
        if match:
            name, _extras, version = match.groups()
            pins.append(f"{name}=={version}")
    return pins


def check(pins: list[str]) -> int:
    """Print what is installed for each pin; fail when it differs."""
    from packaging.version import Version  # pytest's dependency: there when the tests run

    wrong = 0
    for pin in pins:
        name, wanted = pin.split("==")
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "missing"
        same = installed != "missing" and Version(installed) == Version(wanted)
        wrong += not same
        print(f"{name:<20} {installed:<12} {'ok' if same else 'EXPECTED ' + wanted}")
    return 1 if wrong else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", nargs="*", default=["postgres", "redis", "server"])
    parser.add_argument(
        "--check", action="store_true", help="compare the running environment with the pins"
    )
    args = parser.parse_args()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in args.extras:
        requirements += project["optional-dependencies"][extra]
    # psycopg[binary] pins psycopg; its binary part must be the same release.
    pins = lowest_pins(requirements)
    pins += [
        pin.replace("psycopg==", "psycopg-binary==") for pin in pins if pin.startswith("psycopg==")
    ]
    if args.check:
        return check(pins)
    print("# Lowest versions allowed by pyproject.toml (scripts/lowest_constraints.py).")
    print("\n".join(pins))
    return 0


if __name__ == "__main__":
    sys.exit(main())
