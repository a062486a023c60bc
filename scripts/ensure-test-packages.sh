#!/usr/bin/env bash
# What the tests need from Debian's packages: Chromium for the browser tests (never a downloaded browser build) and
# xmlsec1, with which pysaml2 signs and verifies SAML messages (issue #18).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium fonts-dejavu-core)
command -v xmlsec1 >/dev/null || need+=(xmlsec1)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "Es fehlen Pakete: bitte 'apt-get install ${need[*]}' als root ausführen." >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
