#!/usr/bin/env bash
# Debian packages the project needs: Graphviz's `dot` for the flowcharts.
# As root, installs what is missing with apt-get; otherwise says exactly what to install.
set -euo pipefail

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)

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
