#!/usr/bin/env bash
# Machine setup shared by ./run.sh and the test scripts: makes sure the tools that ScoreFeed
# runs with are on this machine. Installs only what is missing; safe to run again.
#   - redis-server (Debian package; the project starts its own instance, never the system service)
#   - curl (readiness checks)
#   - nginx and openssl (Debian packages), for the production rehearsal (deploy/rehearse.sh): nginx in front, a
#     self-signed certificate; the packaged nginx service is stopped and disabled (the rehearsal runs its own)
#   - Node.js and npm (Debian packages), to build the web front end (src/ScoreFeed.Web/ClientApp)
#   - with --browser: Chromium (Debian package, /usr/bin/chromium) for the browser tests
#   - the .NET SDK: checked, not installed (say clearly what to do when it is missing)
#   scripts/setup.sh [--browser]
set -euo pipefail

browser=false
[ "${1:-}" = "--browser" ] && browser=true

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

apt_install() {
    command -v apt-get >/dev/null 2>&1 ||
        die "missing: $*. This script installs it with apt-get (Debian/Ubuntu); install it by hand on this system."
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "missing: $*; run as root (or with sudo available) to install it"
        sudo="sudo"
    fi
    say "installing: $* (apt-get)"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# Debian's redis-server package starts a system service on 127.0.0.1:6379 right after install.
# ScoreFeed starts its own throw-away Redis on that port, so stop the packaged one we just installed.
stop_packaged_redis_service() {
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        say "stopping and disabling the packaged redis-server service (ScoreFeed runs its own)"
        systemctl disable --now redis-server >/dev/null 2>&1 || true
    elif command -v service >/dev/null 2>&1; then
        service redis-server stop >/dev/null 2>&1 || true
    fi
}

# Debian's nginx package starts a system service on port 80 right after install. deploy/rehearse.sh runs its own
# nginx (in the foreground, with the repository's configuration), so stop and disable the packaged one.
stop_packaged_nginx_service() {
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        say "stopping and disabling the packaged nginx service (the rehearsal runs its own)"
        systemctl disable --now nginx >/dev/null 2>&1 || true
    elif command -v service >/dev/null 2>&1; then
        service nginx stop >/dev/null 2>&1 || true
    fi
}

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "$browser" = true ] && [ ! -x /usr/bin/chromium ]; then
    # Playwright drives this Chromium (it never downloads a browser of its own); fonts for readable screenshots.
    missing+=(chromium fonts-dejavu-core)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
    if [[ " ${missing[*]} " == *" redis-server "* ]]; then
        stop_packaged_redis_service
    fi
    if [[ " ${missing[*]} " == *" nginx "* ]]; then
        stop_packaged_nginx_service
    fi
fi
command -v redis-server >/dev/null 2>&1 || die "redis-server is still not on PATH after installing it"
say "redis-server: $(redis-server --version | sed 's/ sha=.*//')"
command -v npm >/dev/null 2>&1 || die "npm is still not on PATH after installing it"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || die "nginx is still missing after installing it"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
say "nginx: $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'), openssl: $(openssl version | cut -d' ' -f2)"
say "node: $(node --version), npm: $(npm --version)"
if [ "$browser" = true ]; then
    [ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing after installing the chromium package"
    say "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
fi

if ! command -v dotnet >/dev/null 2>&1; then
    die "the .NET SDK is not installed (no 'dotnet' on PATH). ScoreFeed needs .NET SDK 10.0 (see global.json).
        Install it (e.g. Microsoft's 'dotnet-sdk-10.0' package or the dotnet-install script), then run this again."
fi
# global.json pins the SDK band; 'dotnet --version' inside the repo fails when no SDK matches it.
if ! sdk_version="$(cd "$repo_root" && dotnet --version 2>/dev/null)"; then
    die "no .NET SDK matching $repo_root/global.json is installed (have: $(dotnet --list-sdks | tr '\n' ' ')). Install .NET SDK 10.0."
fi
say ".NET SDK: $sdk_version"
