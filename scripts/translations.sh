#!/usr/bin/env bash
# Rebuild the fi, sv and en catalogues of the plugin and the example site, then compile them.
#   scripts/translations.sh          update .po from the sources and compile .mo
#   scripts/translations.sh --check  fail if the committed .po/.mo are not what the sources give
# Locations are left out of the .po files (--no-location) so they change only when strings do.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=tests.settings
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
check=false
[ "${1:-}" = "--check" ] && check=true

catalogues=(tyonohjaus_plugin example_site)
if $check; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  for app in "${catalogues[@]}"; do cp -r "$app/locale" "$tmp/$app"; done
fi

for app in "${catalogues[@]}"; do
  (cd "$app" && "../$PY" -m django makemessages --no-location --no-obsolete --no-wrap \
      -l fi -l sv -l en --ignore 'migrations/*' --ignore 'settings/*' -v 0)
  # msgmerge guesses translations of new strings from similar old ones ("fuzzy"); such guesses
  # are wrong more often than not, so they are emptied and left to a translator.
  for po in "$app"/locale/*/LC_MESSAGES/django.po; do
    msgattrib --clear-fuzzy --empty --clear-previous --no-wrap -o "$po" "$po"
  done
  (cd "$app" && "../$PY" -m django compilemessages -v 0)
done

if $check; then
  status=0
  for app in "${catalogues[@]}"; do
    for lang in fi sv en; do
      for ext in po mo; do
        new="$app/locale/$lang/LC_MESSAGES/django.$ext"
        old="$tmp/$app/$lang/LC_MESSAGES/django.$ext"
        if [ "$ext" = po ]; then
          if ! diff -q <(grep -v '^"POT-Creation-Date' "$old") <(grep -v '^"POT-Creation-Date' "$new") >/dev/null; then
            echo "$new is out of date: run scripts/translations.sh and commit the result." >&2
            status=1
          fi
        elif ! cmp -s "$old" "$new"; then
          echo "$new does not match its .po: run scripts/translations.sh and commit the result." >&2
          status=1
        fi
      done
      # Every string needs a Finnish and a Swedish translation; English falls back to the source.
      if [ "$lang" != en ]; then
        untranslated=$(msgattrib --untranslated --no-obsolete "${new%.*}.po" 2>/dev/null | grep -c '^msgid ' || true)
        fuzzy=$(msgattrib --only-fuzzy --no-obsolete "${new%.*}.po" 2>/dev/null | grep -c '^msgid ' || true)
        if [ "${untranslated:-0}" -gt 1 ] || [ "${fuzzy:-0}" -gt 0 ]; then
          echo "$app/locale/$lang has untranslated or fuzzy strings." >&2
          status=1
        fi
      fi
    done
    # Restore what was committed so that --check changes nothing.
    for lang in fi sv en; do cp "$tmp/$app/$lang/LC_MESSAGES/"* "$app/locale/$lang/LC_MESSAGES/"; done
  done
  exit $status
fi
