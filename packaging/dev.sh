#!/usr/bin/env bash
# The two Quick start commands of README.md.
#   packaging/dev.sh run [tai-console options]   install deps, build, launch the console
#   packaging/dev.sh test                        install deps, build, run the whole ctest suite
# Both are idempotent on a fresh Debian 12 machine, run as root or as a user with sudo.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mode=${1:-}
shift || true

build() {
  "$root/packaging/install-deps.sh"
  cmake --preset dev >/dev/null
  cmake --build --preset dev
}

case "$mode" in
  run)
    build
    exec "$root/build/dev/app/tai-console" "$@"
    ;;
  test)
    build
    ctest --preset dev --output-on-failure -j 2
    ;;
  *)
    echo "usage: packaging/dev.sh run|test" >&2
    exit 2
    ;;
esac
