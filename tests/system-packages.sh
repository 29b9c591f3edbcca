#!/usr/bin/env bash
# The Debian packages the end-to-end tests drive: Chromium (browser tests), rasqal's roqet and
# raptor's rapper (standard SPARQL / RDF clients), Virtuoso (the external-store tests), nodejs
# (npm installs YASGUI for its browser test).
# Installs the missing ones when it can (root with apt-get); otherwise stops with one line that
# names what to install. Called by `make test` before any test runs, so no test skips for a
# missing package.
set -euo pipefail
packages="chromium rasqal-utils raptor2-utils virtuoso-opensource nodejs"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Debian's nodejs comes without npm (NodeSource's bundles it): ask for it when the command is absent
command -v npm >/dev/null || missing="$missing npm"
[ -z "$missing" ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "make test: installing system packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    exit 0
fi
echo "make test: missing system packages; install them first: sudo apt-get install$missing" >&2
exit 1
