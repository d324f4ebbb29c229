#!/usr/bin/env bash
# Install what the browser tests (tests/browser/) need, quickly when it is already there:
#  - Debian's Chromium (/usr/bin/chromium), driven by the Python Playwright package;
#  - axe-core from the npm registry into var/node/ (git-ignored), injected into each page to check
#    accessibility.
# Idempotent: a second run does nothing but two checks.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION="4.14.1"
NODE_DIR="var/node"
AXE_FILE="$NODE_DIR/node_modules/axe-core/axe.min.js"

# Debian packages the suite needs: the browser, the fonts the official forms and results are set in
# (Liberation Serif for Times New Roman, DejaVu as fallback), HarfBuzz subsetting for WeasyPrint and
# pdftoppm for rendering form samples, Tesseract with Vietnamese data for OCR of scans.
missing=""
for pkg in chromium fonts-liberation fonts-dejavu-core libharfbuzz-subset0 poppler-utils tesseract-ocr tesseract-ocr-vie; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "install-browser: installing Debian packages:$missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

installed=""
if [ -f "$NODE_DIR/node_modules/axe-core/package.json" ]; then
  installed="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$NODE_DIR/node_modules/axe-core/package.json" | head -n 1)"
fi
if [ ! -f "$AXE_FILE" ] || [ "$installed" != "$AXE_VERSION" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-browser: installing Debian npm"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  fi
  echo "install-browser: installing axe-core@$AXE_VERSION into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  [ -f "$NODE_DIR/package.json" ] || printf '{"name": "motcua-test-tools", "private": true}\n' > "$NODE_DIR/package.json"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --silent --save-exact "axe-core@$AXE_VERSION" 2>&1 \
    | grep -v 'Unknown user config' || true
fi
test -f "$AXE_FILE"
echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null | tail -n 1); axe-core $AXE_VERSION"
