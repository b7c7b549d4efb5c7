#!/usr/bin/env bash
# Makes this directory (the legacy app, or a copy of it anywhere) runnable with the
# toolkit's tools, without an npm install of its own:
#   - node_modules/ becomes a real directory holding one symlink per entry of
#     <toolkit-root>/node_modules (including .bin, so `npm run` finds tsc/vitest/tsx);
#   - node_modules/ssot-migrate -> <toolkit-root>, so the bare specifier
#     `ssot-migrate/canonical` (what the migration rewrites imports to) resolves;
#   - node_modules is listed in .gitignore, so a scratch git repo never commits it.
# Idempotent. Usage: ./link-toolkit.sh <toolkit-root>
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 <toolkit-root>" >&2
  exit 2
fi
app_dir="$(cd "$(dirname "$0")" && pwd)"
toolkit="$(cd "$1" 2>/dev/null && pwd)" || { echo "link-toolkit: no such directory: $1" >&2; exit 2; }

if ! grep -q '"name": *"ssot-migrate"' "$toolkit/package.json" 2>/dev/null; then
  echo "link-toolkit: $toolkit is not the ssot-migrate toolkit (no package.json named ssot-migrate)" >&2
  exit 2
fi
if [ ! -d "$toolkit/node_modules" ]; then
  echo "link-toolkit: $toolkit/node_modules is missing; run npm install in the toolkit first" >&2
  exit 2
fi

nm="$app_dir/node_modules"
# An older setup may have made node_modules a single symlink; replace it with a directory
# so adding ssot-migrate never writes into the toolkit's own node_modules.
if [ -L "$nm" ]; then rm "$nm"; fi
mkdir -p "$nm"

shopt -s dotglob nullglob
for entry in "$toolkit"/node_modules/*; do
  name="$(basename "$entry")"
  case "$name" in
    .package-lock.json|.cache|.vite|ssot-migrate) continue ;;
  esac
  ln -sfn "$entry" "$nm/$name"
done
ln -sfn "$toolkit" "$nm/ssot-migrate"

gitignore="$app_dir/.gitignore"
if ! { [ -f "$gitignore" ] && grep -qxE '/?node_modules/?' "$gitignore"; }; then
  if [ -s "$gitignore" ] && [ -n "$(tail -c1 "$gitignore")" ]; then echo >> "$gitignore"; fi
  echo "node_modules" >> "$gitignore"
fi

echo "link-toolkit: $nm -> $toolkit/node_modules (+ ssot-migrate -> $toolkit)"
