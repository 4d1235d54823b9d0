"""Fill empty fi/sv msgstr entries of the plugin's catalogues from JSON files.

Parallel branches cannot all edit the same .po files without conflicts, so each writes the
translations of its new strings to ``scripts/pending_translations/<name>.json``:

    [{"msgid": "Saved.", "fi": "Tallennettu.", "sv": "Sparat."},
     {"msgid": "%(n)s meeting", "plural": "%(n)s meetings",
      "fi": ["%(n)s tapaaminen", "%(n)s tapaamista"], "sv": ["...", "..."]},
     {"msgctxt": "verb", "msgid": "Close", "fi": "Sulje", "sv": "Stäng"}]

After merging: ``scripts/translations.sh`` (adds the new msgids), then this script, then
``scripts/translations.sh`` again (compiles). Entries that already have a translation are left
alone unless ``--force``.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PENDING = ROOT / "scripts" / "pending_translations"
CATALOGUES = ("tyonohjaus_plugin", "example_site")


def main(argv):
    force = "--force" in argv
    entries = []
    for path in sorted(PENDING.glob("*.json")):
        entries.extend(json.loads(path.read_text(encoding="utf-8")))
    missing = set()
    for lang in ("fi", "sv"):
        wanted = {(e.get("msgctxt"), e["msgid"]): e for e in entries if lang in e}
        found = set()
        for app in CATALOGUES:
            po_path = ROOT / app / "locale" / lang / "LC_MESSAGES" / "django.po"
            po = polib.pofile(str(po_path), wrapwidth=0)
            for entry in po:
                key = (entry.msgctxt, entry.msgid)
                if key not in wanted:
                    continue
                found.add(key)
                value = wanted[key][lang]
                if entry.msgid_plural:
                    if force or not any(entry.msgstr_plural.values()):
                        forms = value if isinstance(value, list) else [value, value]
                        entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(2)}
                elif force or not entry.msgstr:
                    entry.msgstr = value if isinstance(value, str) else value[0]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            po.save(str(po_path))
        missing |= {key for key in wanted if key not in found}
    for ctxt, msgid in sorted(missing, key=str):
        print(f"not in any catalogue (stale?): {msgid!r}" + (f" [{ctxt}]" if ctxt else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
