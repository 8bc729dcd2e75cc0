#!/bin/sh
# As the official node image's: options alone run node with them, anything else runs as given.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1" || true)" ]; then
  set -- node "$@"
fi
exec "$@"
