#!/usr/bin/env bash
# Installs what the browser test (tests/browser.rs) needs and is not there yet: Chromium and
# the ffmpeg command from Debian's packages, and playwright-core from npm into node_modules/.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v ffmpeg >/dev/null || packages+=(ffmpeg)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
if [ ${#packages[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${packages[@]}"
fi

# playwright-core drives the system Chromium; it downloads no browser of its own.
if [ ! -f node_modules/playwright-core/package.json ] || ! npm ls --silent >/dev/null 2>&1; then
    npm ci --no-audit --no-fund
fi

/usr/bin/chromium --version 2>/dev/null
node --version
