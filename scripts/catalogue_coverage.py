"""Print the catalogues' coverage: translated / total entries per app and language.

    python scripts/catalogue_coverage.py

en is the source language: its msgstrs stay empty and gettext shows the msgid.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.catalogue import coverage


def main():
    for app in ("tyonohjaus_plugin", "example_site"):
        for language, (translated, total) in coverage(app).items():
            share = 100 * translated / total if total else 100
            print(f"{app:18} {language}: {translated:4} / {total:4} translated ({share:.1f} %)")


if __name__ == "__main__":
    main()
