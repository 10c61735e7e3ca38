"""Run Debian's ``lintian`` on the built .deb; fail on any tag beyond those every vendor
bundle under /opt gets.

    python3 packaging/linux/check_lintian.py dist/flowbench_<version>_amd64.deb

Allowed, and why:

- ``dir-or-file-in-opt``: the bundle lives in /opt/flowbench, as a vendor package should;
- ``embedded-library``: it carries its own Python, Qt and the X11 helper libraries;
- ``custom-library-search-path``: its libraries find each other by RUNPATH ($ORIGIN).

Some binaries the bundle redistributes as their makers built them (CPython's extension
modules, ICU's data library, PyInstaller's bootloader) get tags that only rebuilding them
would fix; the package overrides those, with reasons, in
packaging/linux/lintian-overrides. Overrides are shown too, and one for a tag outside
``OVERRIDDEN`` fails the check just like a reported tag.

Prints every tag lintian reported or overrode and exits 1 when one is not allowed (0
otherwise).
Plain Python, no Flowbench imports: CI runs it with the system's python3.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

ALLOWED = frozenset({"dir-or-file-in-opt", "embedded-library", "custom-library-search-path"})
OVERRIDDEN = frozenset({"library-not-linked-against-libc", "shared-library-lacks-prerequisites",
                        "hardening-no-pie"})
# "E: flowbench: tag-name [where]" (lintian 2.11x), also "W:", "I:", "P:", "X:", "O:".
_TAG_LINE = re.compile(r"^(?P<kind>[EWIPXOC]): (?P<package>[^:\s]+)(?: [^:]+)?: "
                       r"(?P<tag>[a-z0-9][a-z0-9+.-]*)")


def tags_of(output: str, kinds: str = "EW") -> Counter[str]:
    """How often each tag of these kinds (E error, W warning, O overridden) came up."""
    found: Counter[str] = Counter()
    for line in output.splitlines():
        match = _TAG_LINE.match(line)
        if match and match["kind"] in kinds:
            found[match["tag"]] += 1
    return found


def unexpected(found: Counter[str], overridden: Counter[str] | None = None) -> list[str]:
    return sorted((set(found) - ALLOWED) | (set(overridden or ()) - OVERRIDDEN))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check_lintian.py PACKAGE.deb", file=sys.stderr)
        return 2
    result = subprocess.run(["lintian", "--tag-display-limit", "0", "--show-overrides",
                             argv[0]], capture_output=True, text=True, check=False)
    found, overridden = tags_of(result.stdout), tags_of(result.stdout, "O")
    for tag, count in sorted(found.items()):
        print(f"lintian: {tag} ({count}){'' if tag in ALLOWED else '  <- not allowed'}")
    for tag, count in sorted(overridden.items()):
        print(f"lintian: {tag} ({count}, overridden)"
              f"{'' if tag in OVERRIDDEN else '  <- not allowed'}")
    # (lintian exits non-zero for its errors, and as root; it ran when it printed tags)
    if result.returncode != 0 and not (found or overridden):
        print(result.stdout + result.stderr, file=sys.stderr)
        print(f"lintian itself failed (exit {result.returncode})", file=sys.stderr)
        return 1
    bad = unexpected(found, overridden)
    if bad:
        for line in result.stdout.splitlines():
            if any(f": {tag}" in line for tag in bad):
                print(line)
        print(f"lintian: {len(bad)} tag(s) outside the allowed list: {', '.join(bad)}",
              file=sys.stderr)
        return 1
    print("lintian: nothing beyond " + ", ".join(sorted(ALLOWED)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
