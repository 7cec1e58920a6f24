#!/usr/bin/env bash
# Make sure Debian's Chromium is present for the browser tests (never a downloaded browser).
set -euo pipefail
CHROMIUM="${LSTM_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
status=0
bash "$(dirname "$0")/apt_install.sh" chromium "Chromium is missing at $CHROMIUM" \
  "the browser tests" || status=$?
if [ "$status" = 0 ] && [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$status" = 2 ]; then exit 1; fi  # no root, no sudo: apt_install.sh said what to run
echo "Chromium is missing at $CHROMIUM. Install your system's chromium package, or set LSTM_CHROMIUM to its path." >&2
exit 1
