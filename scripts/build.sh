#!/usr/bin/env bash
# One entry point for the README's Quick start:
#   scripts/build.sh app    install what is missing, build, launch PipeScope
#   scripts/build.sh test   install what is missing, build, run every test
#   scripts/build.sh sanitize
#                           the core, CLI and fuzz tests built with AddressSanitizer and
#                           UndefinedBehaviorSanitizer (build-sanitize/), run with every
#                           process checked; any finding fails the run and is printed
# Idempotent: with everything installed and built it only checks and rebuilds what changed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

packages=(build-essential ccache cmake ninja-build python3 qt6-base-dev qt6-svg-dev fonts-dejavu-core xvfb xauth)

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing missing packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
    cmake --preset default >/dev/null
    cmake --build --preset default
}

case "${1:-}" in
app)
    install_missing
    build
    shift
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        echo "No display found: starting PipeScope in a virtual X server (xvfb-run)." >&2
        exec xvfb-run -a ./build/app/pipescope "$@"
    fi
    exec ./build/app/pipescope "$@"
    ;;
test)
    install_missing
    build
    shift
    exec ctest --preset default "$@"
    ;;
sanitize)
    install_missing
    # Only what the sanitized tests need (target pipescope-sanitize-tests): not the GUI.
    cmake --preset sanitize >/dev/null
    cmake --build --preset sanitize
    shift
    # The sanitizer_logs_empty test fails the run when any process left a report
    # in build-sanitize/sanitizer-logs/ (tests/CMakeLists.txt), and prints it.
    exec ctest --preset sanitize "$@"
    ;;
*)
    echo "usage: scripts/build.sh app|test|sanitize [arguments for pipescope or ctest]" >&2
    exit 2
    ;;
esac
