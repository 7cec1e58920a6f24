#!/usr/bin/env bash
# Install one Debian package with apt-get, through sudo when not root; for ensure_*.sh.
#   bash scripts/apt_install.sh PACKAGE MISSING PURPOSE [--no-start]
# MISSING starts the message shown when neither root nor sudo is at hand ("nginx is missing");
# PURPOSE ends the progress line ("the replica tests"). --no-start: installing must not start
# the package's system service (a policy-rc.d forbids it, put in place for the install only
# when none exists). Exit 0: apt-get installed it (the caller checks the file it needs);
# 2: no root and no sudo (the message says what to run); 1: no apt-get or apt-get failed.
set -euo pipefail
PACKAGE="$1" MISSING="$2" PURPOSE="$3" NO_START="${4:-}"
command -v apt-get >/dev/null 2>&1 || exit 1
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "$MISSING. Install Debian's '$PACKAGE' package (as root: apt-get install $PACKAGE)." >&2
    exit 2
  fi
fi
echo "Installing Debian's $PACKAGE package for $PURPOSE..."
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=""
if [ "$NO_START" = --no-start ] && [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  ADDED_POLICY=1
fi
status=0
$SUDO apt-get update -qq || status=$?
if [ "$status" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$PACKAGE" >/dev/null || status=$?
fi
if [ -n "$ADDED_POLICY" ]; then $SUDO rm -f "$POLICY"; fi
[ "$status" = 0 ] || exit 1
