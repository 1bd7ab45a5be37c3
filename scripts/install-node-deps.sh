#!/usr/bin/env bash
# Installs the npm dependencies from package-lock.json unless node_modules already matches it.
set -euo pipefail
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
  echo "node modules: up to date"
else
  echo "node modules: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
