# shellcheck shell=bash
# A throw-away PostgreSQL server for the test suite (sourced by .ci/run; usable by hand:
#   source .ci/postgres.sh && start_test_postgres && ./dev test; stop_test_postgres).
#
# Installs the distribution's PostgreSQL when it is missing (apt-get, as root or with
# sudo -n), creates a cluster in a temporary folder, starts it on 127.0.0.1 (and a socket
# in that folder) with durability off (tests only), creates the role "flowbench" that may
# create databases, and exports FLOWBENCH_TEST_POSTGRES so that the store, service, runtime
# and publishing tests also run on PostgreSQL. stop_test_postgres stops it and removes it.

PG_TEST_DIR=""
PG_TEST_BIN=""
PG_TEST_AS=()

_pg_say() { printf '%s\n' "ci: $*" >&2; }

_pg_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 126
    fi
}

_pg_find_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        printf '%s\n' "$dir"
        return 0
    fi
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

start_test_postgres() {
    PG_TEST_BIN="$(_pg_find_bin || true)"
    if [ -z "$PG_TEST_BIN" ]; then
        _pg_say "installing PostgreSQL from the distribution's packages…"
        _pg_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        _pg_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends postgresql >/dev/null
        PG_TEST_BIN="$(_pg_find_bin || true)"
        [ -n "$PG_TEST_BIN" ] || { _pg_say "PostgreSQL could not be installed"; return 1; }
    fi
    PG_TEST_DIR="$(mktemp -d /tmp/flowbench-ci-pg.XXXXXX)"
    PG_TEST_AS=()
    if [ "$(id -u)" -eq 0 ]; then  # the server refuses to run as root
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$PG_TEST_DIR"
        PG_TEST_AS=(runuser -u postgres --)
    fi
    local port
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "${PG_TEST_AS[@]}" "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust \
        -E UTF8 --no-locale >/dev/null
    "${PG_TEST_AS[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
            -c autovacuum=off" \
        start >/dev/null || { cat "$PG_TEST_DIR/log" >&2; return 1; }
    "${PG_TEST_AS[@]}" "$PG_TEST_BIN/psql" -h "$PG_TEST_DIR" -p "$port" -U postgres -qAt \
        -c "CREATE ROLE flowbench LOGIN CREATEDB" postgres >/dev/null
    export FLOWBENCH_TEST_POSTGRES="postgresql://flowbench@127.0.0.1:$port/postgres"
    _pg_say "$("$PG_TEST_BIN/postgres" --version) on 127.0.0.1:$port"
}

stop_test_postgres() {
    [ -n "$PG_TEST_DIR" ] || return 0
    "${PG_TEST_AS[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop \
        >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
    PG_TEST_DIR=""
}
