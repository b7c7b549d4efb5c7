#!/usr/bin/env bash
# Installs the Debian packages the real-part tests and benches use, when missing:
# usage: ensure-system-deps.sh [redis-server] [chromium]   (no argument: both)
set -uo pipefail
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(redis-server chromium)
missing=()
for bin in "${wanted[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing from Debian: ${missing[*]}"
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
