#!/usr/bin/env bash
# Photographs a goal alert as a Linux desktop shows it: docs/screenshots/notification.png. Needs the system running
# (./run.sh --no-aspire, site on http://127.0.0.1:5000 unless $SITE) and installs what it lacks: Xvfb, a D-Bus session,
# the dunst notification server, ImageMagick's import, and puppeteer-core (tools/screenshots/node_modules).
#   tools/screenshots/notification.sh [lang]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
site=${SITE:-http://127.0.0.1:5000}
lang=${1:-en}
out=../../docs/screenshots/notification.png
[ "$lang" = en ] || out=../../docs/screenshots/notification-$lang.png

missing=()
for tool in Xvfb:xvfb dbus-launch:dbus-x11 dunst:dunst import:imagemagick; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
[ -d node_modules/puppeteer-core ] || npm ci --no-audit --no-fund
curl -fsS -o /dev/null "$site/health/ready" || { echo "the site is not up at $site: start ./run.sh --no-aspire first" >&2; exit 1; }

display=:97
Xvfb "$display" -screen 0 1000x700x24 -nolisten tcp &
xvfb=$!
trap 'kill $xvfb ${dunst:-} 2>/dev/null || true' EXIT
sleep 1
export DISPLAY=$display
eval "$(dbus-launch --sh-syntax)"
dunst -conf dunst.conf &
dunst=$!
sleep 1
log=$(mktemp)
HOLD_MS=6000 node notification.mjs "$site" "$lang" >"$log" 2>&1 &
node=$!
# Photograph once the notification is up (the script says so), while Chromium holds it on screen.
for _ in $(seq 1 60); do
    grep -q "notification shown" "$log" && break
    kill -0 $node 2>/dev/null || break
    sleep 0.5
done
if grep -q "notification shown" "$log"; then
    sleep 1.5
    import -window root -crop "${CROP:-1000x700+0+0}" "$out"
    echo "wrote $out"
fi
wait $node || { cat "$log" >&2; exit 1; }
