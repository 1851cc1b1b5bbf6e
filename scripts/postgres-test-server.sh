#!/bin/sh
# A private PostgreSQL server for onestop's tests and `make bench`: initdb in a folder of its
# own, its Unix socket in that folder, TCP on 127.0.0.1 with TLS required (a self-signed
# certificate), password logins (SCRAM). No system service, cluster or port 5432 is touched.
#
#   postgres-test-server.sh install       install PostgreSQL from Debian's packages when missing
#   postgres-test-server.sh start DIR     create (first time) and start the server in DIR
#   postgres-test-server.sh kill DIR      stop it at once, as a crash looks to its clients
#   postgres-test-server.sh restart DIR   start it again after kill
#   postgres-test-server.sh stop DIR      stop it (DIR stays; remove it yourself)
#
# DIR then holds `port` and `password` (user `onestop`); connect with
#   postgres://onestop:PASSWORD@/postgres?host=DIR&port=PORT             (Unix socket)
#   postgres://onestop:PASSWORD@127.0.0.1:PORT/postgres?sslmode=require  (TCP, TLS)
# initdb refuses to run as root: as root, the server runs as the `postgres` user the Debian
# package creates, and DIR is given to that user.
set -eu

command=${1:?usage: postgres-test-server.sh install|start|kill|restart|stop DIR}
dir=${2:-}

bindir() {
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$candidate/initdb" ]; then echo "$candidate"; return 0; fi
    done
    return 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_ctl_in() {
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" "$@"
}

# Starts the server with no descriptor of the caller's but 0-2 open: a caller that waits for this
# script to end by its pipes or sockets (Foundation's Process does) would otherwise wait for the
# server's end too.
start_server() {
    set -- "$(bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start
    if [ "$(id -u)" = 0 ]; then set -- runuser -u postgres -- "$@"; fi
    python3 -c 'import os, sys; os.closerange(3, 1 << 16); os.execvp(sys.argv[1], sys.argv[1:])' "$@" </dev/null >/dev/null
}

case $command in
install)
    if bindir >/dev/null; then exit 0; fi
    echo "installing PostgreSQL from Debian's packages (postgresql)"
    (apt-get update -qq || sudo apt-get update -qq) >/dev/null 2>&1 || true
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    # The package starts a system cluster on some systems; this script never uses it.
    bindir >/dev/null
    ;;
start)
    [ -n "$dir" ] || { echo "start needs DIR" >&2; exit 64; }
    mkdir -p "$dir"
    if [ ! -d "$dir/data" ]; then
        [ "$(id -u)" = 0 ] && chown postgres "$dir"
        password="onestop-test-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
        printf '%s\n' "$password" >"$dir/password"
        chmod 644 "$dir/password"
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        printf '%s\n' "$port" >"$dir/port"
        as_owner "$(bindir)/initdb" -D "$dir/data" -U onestop --pwfile="$dir/password" --auth-local=scram-sha-256 \
            --auth-host=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
        openssl req -new -x509 -days 7 -nodes -subj /CN=localhost -keyout "$dir/server.key" -out "$dir/server.crt" \
            >/dev/null 2>&1
        chmod 600 "$dir/server.key"
        [ "$(id -u)" = 0 ] && chown postgres "$dir/server.key" "$dir/server.crt"
        cat >"$dir/data/pg_hba.conf" <<HBA
local     all all                scram-sha-256
hostssl   all all 127.0.0.1/32   scram-sha-256
hostnossl all all 127.0.0.1/32   reject
HBA
        cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
ssl = on
ssl_cert_file = '$dir/server.crt'
ssl_key_file = '$dir/server.key'
max_connections = 30
fsync = off
CONF
    fi
    start_server
    ;;
restart)
    start_server
    ;;
kill)
    pg_ctl_in -m immediate -w stop >/dev/null
    ;;
stop)
    pg_ctl_in -m fast -w stop >/dev/null 2>&1 || true
    ;;
*)
    echo "unknown command $command" >&2
    exit 64
    ;;
esac
