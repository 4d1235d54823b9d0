"""The import-linter contracts in setup.cfg hold, and they bite.

Each case copies the package's Python files into a temporary folder, optionally adds one module
with a forbidden import, and runs `lint-imports` on the copy (PYTHONPATH points at it, so grimp
reads the copy and not the installed package). No database; a few seconds in all.
"""

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "tyonohjaus_plugin"


def contract_names() -> dict[str, str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    prefix = "importlinter:contract:"
    return {
        section.removeprefix(prefix): config[section]["name"]
        for section in config.sections()
        if section.startswith(prefix)
    }


def lint_imports(tmp_path: Path, broken: dict[str, str]) -> subprocess.CompletedProcess:
    """Run lint-imports on a copy of the package with the files in `broken` added."""
    shutil.copytree(
        ROOT / PACKAGE,
        tmp_path / PACKAGE,
        ignore=shutil.ignore_patterns(
            "__pycache__", "templates", "static", "locale", "*.pyc", "*.mo", "*.po"
        ),
    )
    for relative, source in broken.items():
        (tmp_path / PACKAGE / relative).write_text(source)
    config = tmp_path / "setup.cfg"
    shutil.copy(ROOT / "setup.cfg", config)
    executable = Path(sys.executable).parent / "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "COLUMNS": "500", "NO_COLOR": "1"}
    return subprocess.run(
        [str(executable), "--config", str(config), "--no-cache", "--no-logo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_contracts_hold_on_the_package(tmp_path):
    result = lint_imports(tmp_path, {})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("contract", "relative", "source", "offence"),
    [
        (
            "one-way",
            "models/_contract_probe.py",
            "import tyonohjaus_plugin.actions  # noqa: F401\n",
            "tyonohjaus_plugin.models._contract_probe -> tyonohjaus_plugin.actions",
        ),
        (
            "pure",
            "scheduling/_contract_probe.py",
            "import django.db  # noqa: F401\n",
            "tyonohjaus_plugin.scheduling._contract_probe -> django",
        ),
        (
            "no-actions-below-screens",
            "pages/_contract_probe.py",
            "from tyonohjaus_plugin.actions import submit_application  # noqa: F401\n",
            "tyonohjaus_plugin.pages._contract_probe -> tyonohjaus_plugin.actions",
        ),
        (
            "matching-apart",
            "matching/_contract_probe.py",
            "import tyonohjaus_plugin.outbox.delivery  # noqa: F401\n",
            "tyonohjaus_plugin.matching._contract_probe -> tyonohjaus_plugin.outbox",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path, contract, relative, source, offence):
    result = lint_imports(tmp_path, {relative: source})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    name = contract_names()[contract]
    assert f"{name} BROKEN" in output
    assert offence in output
