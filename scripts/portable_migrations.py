"""Make freshly generated migrations work on Wagtail 7 as well as Wagtail 8.

Wagtail 8 makes the page model swappable (settings.WAGTAIL_PAGE_MODEL), moves the search index to
`modelsearch` and adds core migrations that Wagtail 7 lacks. Run after `makemigrations`:
    .venv/bin/python scripts/portable_migrations.py
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = (
    "# Wagtail 8 makes the page model swappable; Wagtail 7 has no such setting.\n"
    'PAGE_MODEL = getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")\n\n\n'
)


def fix(text: str) -> str:
    text = text.replace("import modelsearch.index\n", "import wagtail.search.index\n")
    text = text.replace("modelsearch.index.", "wagtail.search.index.")
    text = re.sub(
        r"\('wagtailcore', '0(09[5-9]|1\d\d)_[a-z_]+'\)",
        "('wagtailcore', '0094_alter_page_locale')",
        text,
    )
    text = text.replace(
        "        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),\n", ""
    )
    if "settings.WAGTAIL_PAGE_MODEL" in text:
        text = text.replace("to=settings.WAGTAIL_PAGE_MODEL", "to=PAGE_MODEL")
        text = text.replace("\n\nclass Migration(", "\n\n" + HEADER + "class Migration(", 1)
    return text


def main() -> int:
    changed = 0
    for path in (
        sorted(ROOT.glob("*/migrations/0*.py"))
        + sorted(ROOT.glob("example_site/*/migrations/0*.py"))
        + sorted(ROOT.glob("tests/testapp/migrations/0*.py"))
    ):
        text = path.read_text()
        new = fix(text)
        if new != text:
            path.write_text(new)
            changed += 1
            print(f"made portable: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
