#!/usr/bin/env bash
# The one demo command (`npm run demo`): installs, builds and serves the app with the bundled
# model and sample clips at http://localhost:4173 (Ctrl+C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-node-deps.sh
npx vite build
echo
echo "mila-web: open http://localhost:4173 in Chrome or Edge (WebGPU); other browsers fall back to WebGL/wasm."
exec npx vite preview --port "${PORT:-4173}" --strictPort --host "${HOST:-localhost}"
