#!/usr/bin/env bash
# Debian packages the project needs.
#   install-system-deps.sh        Graphviz, Chromium and fonts (with emoji) for the site and PDFs (make site)
#   install-system-deps.sh test   also Poppler, DejaVu fonts and LibreOffice (Writer, Calc) for the tests (make test)
# As root, installs what is missing with apt-get; otherwise says exactly what to install.
set -euo pipefail

mode="${1:-site}"
case "$mode" in
  site|test) ;;
  *)
    echo "Mode tidak dikenal: '$mode' (pilih 'site' atau 'test')" >&2
    exit 2
    ;;
esac

missing=()
# The site: Graphviz draws the flowcharts; headless Chromium measures the
# printable sheets and prints them to PDF in the Liberation fonts (Arial's metrics),
# with Noto Color Emoji for the emoji a step may hold (without it they print as nothing).
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf ] || missing+=(fonts-liberation2)
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=(fonts-noto-color-emoji)
if [ "$mode" = test ]; then
  # The tests: Poppler to read the PDFs back (the browser tests drive the same Chromium, no driver).
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  # LibreOffice, headless, without its GUI: `sop impor` converts legacy .doc and .xls with it, and the
  # import tests make such files with it (about 100 MB to download, 300 MB on disk).
  [ -e /usr/lib/libreoffice/program/libswlo.so ] || missing+=(libreoffice-writer-nogui)
  [ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Paket sistem belum terpasang: ${missing[*]}" >&2
  echo "Pasang dulu sebagai root, lalu ulangi perintah ini:" >&2
  echo "    sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Memasang paket sistem: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
