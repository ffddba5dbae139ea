#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine: the npm packages (npm ci) and the
# Debian tools the tests run for real (shellcheck, GNU time, the AWS CLI). Terraform (>= 1.11) must be on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
[ -x /usr/bin/time ] || missing+=(time)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]} with apt-get" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 2
  fi
fi
if ! command -v terraform >/dev/null 2>&1; then
  echo "setup: WARNING terraform is not on PATH: the Terraform integration tests will fail in CI and be skipped elsewhere" >&2
fi
if ! command -v moto_server >/dev/null 2>&1; then
  echo 'setup: WARNING moto_server (the AWS API emulator) is not on PATH: the emulator tests will fail in CI and be skipped elsewhere; install it with: pip install "moto[server]"' >&2
fi
npm ci --no-audit --no-fund
# The consumer tests (test/consumer) install the packed package offline: put what they need in their own
# npm cache (node_modules/.cache/consumer-npm, after npm ci, which empties node_modules).
node scripts/consumer-cache.js
