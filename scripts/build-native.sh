#!/usr/bin/env bash
# build-native.sh — build the network-namespace addon in native/ with node-gyp (run by
# `npm install` / `npm ci` through package.json's "install" script, and by `npm run build:native`).
#
# node-gyp needs Node's C headers. It must not download them (the build has to work offline), so
# when npm has not been told where they are, use the headers installed with Node itself under
# /usr/include/node (Debian/NodeSource layout) if they exist. Failure is loud: without the addon
# the server cannot bind namespaced addresses.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(rebuild --directory=native)
if [[ -z "${npm_config_nodedir:-}" ]]; then
  for prefix in /usr /usr/local "$(dirname "$(dirname "$(command -v node)")")"; do
    if [[ -f "$prefix/include/node/node_api.h" && -f "$prefix/include/node/common.gypi" ]]; then
      args+=("--nodedir=$prefix")
      break
    fi
  done
fi
exec node-gyp "${args[@]}"
