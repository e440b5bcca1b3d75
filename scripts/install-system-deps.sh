#!/usr/bin/env bash
# Debian packages the project needs.
#   install-system-deps.sh        Graphviz's `dot` for the flowcharts (make site)
#   install-system-deps.sh test   also Chromium, its WebDriver and a font for the
#                                 browser tests (make test)
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
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
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
