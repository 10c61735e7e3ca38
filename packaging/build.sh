#!/usr/bin/env bash
# Build Flowbench's Linux installers: the one command.
#
#   packaging/build.sh [--no-install] [--skip-deb] [--bundle-only]
#
# Produces dist/flowbench/ (one-dir bundle), dist/flowbench-<version>-linux-x86_64.tar.gz
# and dist/flowbench_<version>_amd64.deb. Needs only python3 (3.11+, built with a shared
# libpython, as Debian's and pyenv's are) on Debian or Ubuntu.
#
# 1. Before anything is downloaded or built, checks that this machine has the X11 (xcb)
#    libraries the bundle must carry, and the tools the build runs. When some are
#    missing it installs them with apt-get as root (or with `sudo -n`), unless
#    --no-install is given; otherwise it stops and says what to install.
# 2. Sets up build/venv from uv.lock: Flowbench (as a wheel) and its runtime
#    dependencies plus the `packaging` group (PyInstaller), nothing from `dev`.
# 3. Runs packaging/build.py: icons, PyInstaller, bundle checks, tarball, .deb.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '%s\n' "build: $*" >&2; }
die() { say "$*"; exit 1; }

INSTALL_MISSING=1
PASS_ON=()
for argument in "$@"; do
    case "$argument" in
        --no-install) INSTALL_MISSING=0 ;;
        -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) PASS_ON+=("$argument") ;;
    esac
done

[ "$(uname -s)" = "Linux" ] || die "this script builds the Linux installers; on Windows and \
macOS run 'python packaging/build.py' in the packaging environment (see README)."

# The same Python and uv as ./dev uses.
find_python() {
    local candidate
    for candidate in "${FLOWBENCH_PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}
PYTHON="$(find_python)" || die "Python 3.11 or newer is needed: install python3 (3.11+) first."
UV_VERSION="$(sed -n 's/^UV_VERSION="\(.*\)"$/\1/p' dev)"
[ -n "$UV_VERSION" ] || die "could not read UV_VERSION from ./dev"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 126
    fi
}

# ------------------------------------------------------------------ 1. the build machine
check_machine() { "$PYTHON" packaging/linux/system_libs.py "$@"; }
if ! check_machine --check 2>/dev/null; then
    mapfile -t missing < <(check_machine --packages)
    if [ "$INSTALL_MISSING" -eq 1 ] && command -v apt-get >/dev/null 2>&1 \
        && as_root true 2>/dev/null; then
        say "installing what the bundle must carry: ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
            || say "warning: apt-get update failed"
        as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
            || say "warning: apt-get could not install: ${missing[*]}"
    fi
    check_machine --check || exit 1
fi

# ------------------------------------------------------------------ 2. the build environment
if ! [ -x .tools/bin/uv ] || ! .tools/bin/uv --version 2>/dev/null | grep -qF "uv $UV_VERSION"; then
    say "installing uv $UV_VERSION into .tools/ …"
    rm -rf .tools
    "$PYTHON" -m venv .tools || die "'$PYTHON -m venv' fails; run ./dev test once, or install python3-venv."
    .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
export UV_PROJECT_ENVIRONMENT="$ROOT/build/venv"
export UV_PYTHON="$PYTHON"
export UV_PYTHON_DOWNLOADS=never
export UV_NO_PROGRESS=1
say "syncing build/venv from uv.lock (runtime dependencies + the packaging group) …"
# --reinstall-package: uv would otherwise keep a wheel built from older sources.
.tools/bin/uv sync --frozen --no-dev --group packaging --no-editable --reinstall-package flowbench \
    --quiet

# ------------------------------------------------------------------ 3. the build
exec build/venv/bin/python packaging/build.py "${PASS_ON[@]+"${PASS_ON[@]}"}"
