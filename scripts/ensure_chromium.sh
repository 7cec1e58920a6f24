#!/usr/bin/env bash
# Make sure Debian's Chromium is present for the browser tests (never a downloaded browser).
set -euo pipefail
CHROMIUM="${LSTM_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "Chromium is missing at $CHROMIUM. Install Debian's 'chromium' package (as root: apt-get install chromium)." >&2
      exit 1
    fi
  fi
  echo "Installing Debian's chromium package for the browser tests..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "Chromium is missing at $CHROMIUM. Install your system's chromium package, or set LSTM_CHROMIUM to its path." >&2
exit 1
