"""A team workspace's address without its password.

``postgresql://ana:S3cret@db:5432/fb`` (or ``…/fb?password=S3cret``) carries a password.
Flowbench takes it out the moment the address comes in — from ``--workspace``,
``$FLOWBENCH_WORKSPACE``, File → Open Team Workspace or the recent list — and uses it
like a typed one: it opens the workspace and is then kept in the system keyring. What is
logged, remembered, printed or shown in a title is only the address without it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlencode

SERVER_SCHEMES = ("postgresql://", "postgres://")


def split_password(location: str) -> tuple[str, str | None]:
    """(the address without a password, the password or None). Other locations (a
    workspace file) come back as they are."""
    if not location.startswith(SERVER_SCHEMES):
        return location, None
    scheme, _, rest = location.partition("://")
    password: str | None = None
    # libpq's reading: user information ends at the first '@' before any '/'
    at, slash = rest.find("@"), rest.find("/")
    if at != -1 and (slash == -1 or at < slash):
        user_info, host_part = rest[:at], rest[at + 1:]
        user, colon, secret = user_info.partition(":")
        if colon:
            password = unquote(secret)
            rest = f"{user}@{host_part}" if user else host_part
    address, question, query = rest.partition("?")
    if question:
        fragment = ""
        if "#" in query:
            query, fragment = query.split("#", 1)
            fragment = "#" + fragment
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(key, value) for key, value in pairs if key != "password"]
        for key, value in pairs:
            if key == "password":
                password = value
        if len(kept) != len(pairs):
            query = urlencode(kept)
        rest = address + (f"?{query}" if query else "") + fragment
    return f"{scheme}://{rest}", password


def without_password(location: str) -> str:
    """The address as it may be shown, logged or remembered."""
    return split_password(location)[0]
