#!/usr/bin/env bash
# Make the macOS disk image: a window holding Flowbench.app and a link to /Applications.
#
#   packaging/macos/make_dmg.sh dist/Flowbench.app <version> dist [arm64|x86_64]
#
# Writes <out>/Flowbench-<version>-macos-<arch>.dmg (compressed, read-only UDZO). Runs on macOS
# only (hdiutil). packaging/build.py calls it after PyInstaller made the .app.
# Signing and notarisation are separate steps (codesign, notarytool) for a release
# with a Developer ID; an unsigned image opens with right-click > Open.
set -euo pipefail

APP="${1:?usage: make_dmg.sh path/to/Flowbench.app version out_dir}"
VERSION="${2:?version missing}"
OUT="${3:?out_dir missing}"
ARCH="${4:-$(uname -m)}"
[ -d "$APP" ] || { echo "make_dmg: $APP is not there; build it first" >&2; exit 1; }
command -v hdiutil >/dev/null || { echo "make_dmg: needs macOS (hdiutil)" >&2; exit 1; }

DMG="$OUT/Flowbench-$VERSION-macos-$ARCH.dmg"
STAGING="$(mktemp -d)"
trap 'rm -rf "$STAGING"' EXIT

# ditto keeps the bundle's symlinks, permissions and extended attributes intact.
ditto "$APP" "$STAGING/Flowbench.app"
ln -s /Applications "$STAGING/Applications"
rm -f "$DMG"
hdiutil create -volname "Flowbench $VERSION" -srcfolder "$STAGING" -fs HFS+ \
    -format UDZO -imagekey zlib-level=9 -ov "$DMG"
hdiutil verify "$DMG"
echo "make_dmg: $DMG"
