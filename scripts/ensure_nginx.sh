#!/usr/bin/env bash
# Make sure Debian's nginx is present for the replica tests and `make replicas` (tests/browser/
# test_replicas.py fails under CI=true without it). Installing the package must not start the
# system's nginx service (apt_install.sh --no-start). Our nginx runs with its own prefix
# (deploy/replicas.py).
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
status=0
bash "$(dirname "$0")/apt_install.sh" nginx "nginx is missing" "the replica tests" --no-start \
  || status=$?
if [ "$status" = 0 ] && [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$status" = 2 ]; then exit 1; fi  # no root, no sudo: apt_install.sh said what to run
echo "nginx is missing. Install your system's nginx package (Debian: apt-get install nginx)." >&2
exit 1
