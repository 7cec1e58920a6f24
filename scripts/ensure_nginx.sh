#!/usr/bin/env bash
# Make sure Debian's nginx is present for the replica tests and `make replicas` (tests/browser/
# test_replicas.py fails under CI=true without it). Installing the package must not start the
# system's nginx service: if no policy-rc.d forbids it already, one is put in place for the
# install and removed afterwards. Our nginx runs with its own prefix (deploy/replicas.py).
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "nginx is missing. Install Debian's 'nginx' package (as root: apt-get install nginx)." >&2
      exit 1
    fi
  fi
  echo "Installing Debian's nginx package for the replica tests..."
  POLICY=/usr/sbin/policy-rc.d
  ADDED_POLICY=""
  if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    ADDED_POLICY=1
  fi
  status=0
  $SUDO apt-get update -qq || status=$?
  if [ "$status" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null || status=$?
  fi
  if [ -n "$ADDED_POLICY" ]; then $SUDO rm -f "$POLICY"; fi
  if [ "$status" = 0 ] && [ -x /usr/sbin/nginx ]; then exit 0; fi
fi
echo "nginx is missing. Install your system's nginx package (Debian: apt-get install nginx)." >&2
exit 1
