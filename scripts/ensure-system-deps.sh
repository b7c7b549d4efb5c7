#!/usr/bin/env bash
# Installs the Debian packages the real-part tests and benches use, when missing:
# usage: ensure-system-deps.sh [redis-server] [chromium] [prometheus]   (no argument: all)
# prometheus comes without its recommends (node exporter, smartmontools, …: ~35 packages the
# tests do not use); the others as before.
set -uo pipefail
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(redis-server chromium prometheus)
missing=()
lean=()
for bin in "${wanted[@]}"; do
  command -v "$bin" >/dev/null 2>&1 && continue
  if [ "$bin" = prometheus ]; then lean+=("$bin"); else missing+=("$bin"); fi
done
[ ${#missing[@]} -eq 0 ] && [ ${#lean[@]} -eq 0 ] && exit 0
echo "installing from Debian: ${missing[*]} ${lean[*]}"
apt-get update -qq || exit 1
status=0
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || status=1
fi
if [ ${#lean[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null || status=1
fi
exit $status
