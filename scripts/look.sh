#!/usr/bin/env bash
# Renders what people see, to look at before calling it done: each workbook's tabs as PNG
# pages (LibreOffice to PDF, then pdftoppm) and each email's HTML part as a PNG (headless
# Chromium), into OUT. Needs Debian's libreoffice-calc-nogui and poppler-utils, and chromium
# for emails.   usage: scripts/look.sh OUT FILE...   (FILE: .xlsx or .html)
set -euo pipefail
out=$1; shift
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for file in "$@"; do
  name=$(basename "${file%.*}")
  case "$file" in
    *.xlsx)
      soffice "-env:UserInstallation=file://$profile/lo" --headless --convert-to pdf \
        --outdir "$out" "$file" >/dev/null
      pdftoppm -png -r 70 "$out/$name.pdf" "$out/$name"
      ;;
    *.html)
      chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$profile/chromium" --window-size=700,1400 \
        --screenshot="$out/$name.png" "file://$(realpath "$file")" 2>/dev/null
      ;;
    *) echo "look.sh: $file is neither .xlsx nor .html" >&2; exit 2 ;;
  esac
done
ls "$out"
