#!/usr/bin/env bash
# A production rehearsal on one machine, without containers (README.md, "Production rehearsal"): the production
# topology as real processes on 127.0.0.1, configured from deploy/env/*.env like every other deployment.
#
#   nginx         deploy/nginx/nginx.conf, the single public origin: https://scores.example on 127.0.0.1:443
#                 (http://… on :80 redirects), https://partner.example (the web app's demo partner page) and
#                 https://evil.example (a static page that is not allowed to connect), one self-signed certificate
#   hub-1..3      ScoreFeed.Hub
#   ingest-1..2   ScoreFeed.Ingest, simulator on (one plays the feed, the other takes its lease over)
#   web           ScoreFeed.Web
#   redis-primary, redis-replica   append-only file (appendfsync everysec), ACL users (deploy/redis/users.acl.template)
#   sentinel-1..3 Redis Sentinel, master name "scorefeed"
# Every app runs with ASPNETCORE_ENVIRONMENT=Production. The script overrides only what differs on one machine:
# Redis addresses (the Sentinels), Kestrel ports, secrets (generated per run into .rehearsal/secrets/), and that all
# load comes from one address (connection limits per address).
#
# Usage: deploy/rehearse.sh [--no-build] [--base-port N] [--ready-file PATH]
#        deploy/rehearse.sh [--base-port N] --ctl stop|start|restart NAME   (talks to a running rehearsal)
# Ctrl+C (SIGINT or SIGTERM) stops everything it started and waits for it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT=$PWD
readonly HOST=127.0.0.1
readonly WORK="$ROOT/.rehearsal"
readonly PUBLIC_NAME=scores.example PARTNER_NAME=partner.example EVIL_NAME=evil.example
readonly HTTPS_PORT=443 HTTP_PORT=80
readonly STARTUP_TIMEOUT_S=180 STOP_GRACE_S=40

usage() {
    cat <<'USAGE'
Usage: deploy/rehearse.sh [--no-build] [--base-port N] [--ready-file PATH]
       deploy/rehearse.sh [--base-port N] --ctl stop|start|restart NAME
  --no-build        use the Release build that is there (default: build Release first)
  --base-port N     first of the internal ports (default 7100): Redis N, N+1; Sentinels N+2..N+4; hubs N+10..N+12;
                    ingest N+20, N+21; web N+30 (its demo partner page N+31). nginx always takes 127.0.0.1:443 and :80.
  --ready-file PATH written once every app answers /health/ready and the public origin answers through nginx
  --ctl CMD NAME    stop, start or restart one process of the running rehearsal (hub-1, ingest-2, redis-primary,
                    sentinel-3, web, nginx, …) and wait until it is done; prints "NAME PID" or "NAME exited CODE"
Work directory: .rehearsal/ (logs/, pids/NAME.pid, exits/NAME, secrets/, redis/, nginx/). Ctrl+C stops everything.
USAGE
}

say() { printf '[rehearse] %s\n' "$*"; }
die() { printf '[rehearse] ERROR: %s\n' "$*" >&2; exit 1; }

build=true
base_port=7100
ready_file=""
ctl=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --no-build) build=false ;;
        --base-port) base_port=${2:?--base-port needs a number}; shift ;;
        --ready-file) ready_file=${2:?--ready-file needs a path}; shift ;;
        --ctl) ctl=("${2:?--ctl needs stop, start or restart}" "${3:?--ctl needs a process name}"); shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
[[ "$base_port" =~ ^[0-9]+$ ]] && [ "$base_port" -ge 1024 ] && [ "$base_port" -le 65000 ] || die "--base-port must be 1024..65000"

readonly REDIS_PRIMARY_PORT=$base_port REDIS_REPLICA_PORT=$((base_port + 1))
readonly SENTINEL_PORTS=($((base_port + 2)) $((base_port + 3)) $((base_port + 4)))
readonly HUB_PORTS=($((base_port + 10)) $((base_port + 11)) $((base_port + 12)))
readonly INGEST_PORTS=($((base_port + 20)) $((base_port + 21)))
readonly WEB_PORT=$((base_port + 30)) DEMO_PORT=$((base_port + 31))
readonly CONTROL="$WORK/control"

# --- control of a running rehearsal (--ctl) ------------------------------------------------------
# The running rehearsal reads one command per line from the FIFO .rehearsal/control and answers in .rehearsal/ack/.
if [ "${#ctl[@]}" -gt 0 ]; then
    [ -p "$CONTROL" ] || die "no rehearsal is running (no $CONTROL)"
    case "${ctl[0]}" in stop | start | restart) ;; *) die "--ctl takes stop, start or restart" ;; esac
    id="$$-$RANDOM"
    printf '%s %s %s\n' "${ctl[0]}" "${ctl[1]}" "$id" >"$CONTROL"
    # The rehearsal answers one command at a time, each within STARTUP_TIMEOUT_S; one may wait behind another.
    deadline=$((SECONDS + 2 * STARTUP_TIMEOUT_S))
    until [ -f "$WORK/ack/$id" ]; do
        [ "$SECONDS" -lt "$deadline" ] || die "no answer from the rehearsal within $((2 * STARTUP_TIMEOUT_S))s"
        sleep 0.1
    done
    answer=$(cat "$WORK/ack/$id")
    rm -f "$WORK/ack/$id"
    echo "$answer"
    [[ "$answer" != ERROR* ]]
    exit
fi

# --- checks ---------------------------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
check_ports_free() {
    local port
    for port in "$@"; do
        ! port_in_use "$port" || die "port $HOST:$port is already in use (another rehearsal? deploy/rehearse.sh --base-port N moves the internal ports)"
    done
}

# --- processes --------------------------------------------------------------------------------------
# Every process runs in its own process group (setsid), as a child of this script; its pid (= its group) is in
# .rehearsal/pids/NAME.pid, and when it exits, "CODE" goes to .rehearsal/exits/NAME.
declare -A pid_of=() command_of=()
order=()
exit_code=0

# launch NAME [ARG...]: starts NAME's command, with ARGs appended.
launch() {
    local name=$1; shift
    rm -f "$WORK/exits/$name"
    setsid bash -c "${command_of[$name]}$([ "$#" -eq 0 ] || printf ' %q' "$@")" >>"$WORK/logs/$name.log" 2>&1 </dev/null &
    pid_of[$name]=$!
    echo "$!" >"$WORK/pids/$name.pid"
}

# start NAME COMMAND...: COMMAND is run by bash -c (exec'd), so that --ctl can start it again.
start() {
    local name=$1; shift
    command_of[$name]="exec $(printf '%q ' "$@")"
    order+=("$name")
    launch "$name"
    say "started $name (pid ${pid_of[$name]}), log: .rehearsal/logs/$name.log"
}

# reap NAME: records the exit code of a process that has exited (in .rehearsal/exits/NAME and $exit_code).
# (Never call it, or stop, in $(…): a subshell can neither wait for this shell's children nor update pid_of.)
reap() {
    local name=$1
    exit_code=0
    wait "${pid_of[$name]}" 2>/dev/null || exit_code=$?
    echo "$exit_code" >"$WORK/exits/$name"
    rm -f "$WORK/pids/$name.pid"
    pid_of[$name]=""
}

alive() { [ -n "${pid_of[$1]:-}" ] && kill -0 "${pid_of[$1]}" 2>/dev/null; }

group_alive() { [ -n "$1" ] && kill -0 -- "-$1" 2>/dev/null; }

# stop NAME: SIGTERM to its group, waits up to STOP_GRACE_S, then SIGKILL; the exit code in $exit_code.
stop() {
    local name=$1 pid=${pid_of[$1]:-} deadline
    [ -n "$pid" ] || { exit_code=$(cat "$WORK/exits/$name" 2>/dev/null || echo "not-running"); return 0; }
    kill -TERM -- "-$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_GRACE_S))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name (pid $pid) did not stop within ${STOP_GRACE_S}s; killing it" >&2
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    reap "$name"
    # Anything left in its group (a child it started) goes too.
    if group_alive "$pid"; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
}

stop_all() {
    trap '' INT TERM
    local i name pid groups=()
    [ -p "$CONTROL" ] && rm -f "$CONTROL"
    [ "${#order[@]}" -gt 0 ] || return 0
    say "stopping (apps first, then the Sentinels, then Redis)"
    for ((i = ${#order[@]} - 1; i >= 0; i--)); do
        name=${order[$i]}
        pid=${pid_of[$name]:-}
        [ -n "$pid" ] || continue
        groups+=("$pid")
        stop "$name"
        say "$name stopped: exit $exit_code"
    done
    # No leftovers: every group this run started is empty.
    for pid in "${groups[@]}"; do
        if group_alive "$pid"; then
            say "process group $pid still had processes; killed" >&2
            kill -KILL -- "-$pid" 2>/dev/null || true
        fi
    done
    [ -z "$ready_file" ] || rm -f "$ready_file"
    say "stopped"
}

# --- secrets, certificate, configuration: deploy/rehearsal/config.sh -------------------------------------------
# shellcheck source=rehearsal/config.sh
source "$ROOT/deploy/rehearsal/config.sh"

# --- the apps --------------------------------------------------------------------------------------------------
app_dir() { echo "$ROOT/src/$1/bin/Release/net10.0"; }

# env_file NAME: the KEY=VALUE lines of deploy/env/NAME.env (no comments, no blank lines).
env_file() { grep -Ev '^[[:space:]]*(#|$)' "$ROOT/deploy/env/$1.env"; }

# redis_connection APP USER: the env file's connection string with the Sentinels as its endpoints.
redis_connection() {
    local app=$1 user=$2 original options=() part
    original=$(env_file "$app" | sed -n 's/^ConnectionStrings__redis=//p')
    IFS=',' read -ra parts <<<"$original"
    for part in "${parts[@]}"; do [[ "$part" == *=* ]] && options+=("$part"); done
    [[ " ${options[*]} " == *" user="* ]] || options+=("user=$user")
    local endpoints
    endpoints=$(printf "$HOST:%s," "${SENTINEL_PORTS[@]}")
    local text="${endpoints}serviceName=scorefeed,$(IFS=,; echo "${options[*]}")"
    echo "$text"
}

# start_app NAME PROJECT ENV_FILE PORT[,PORT...] [KEY=VALUE...]: the app in Production with its env file, then the
# settings that differ on this machine.
start_app() {
    local name=$1 project=$2 envname=$3 ports=$4; shift 4
    local dir vars=() urls port
    dir=$(app_dir "$project")
    mapfile -t vars < <(env_file "$envname")
    for port in ${ports//,/ }; do urls+="${urls:+;}http://$HOST:$port"; done
    start "$name" env "${vars[@]}" ASPNETCORE_ENVIRONMENT=Production "$@" \
        dotnet "$dir/$project.dll" --urls "$urls" --contentRoot "$dir"
}

hub_settings() {
    echo "ConnectionStrings__redis=$(redis_connection hub hub)"
    echo "Redis__Password=$(secret hub)"
    # One machine: every fan of a load test comes from 127.0.0.1 (through nginx).
    echo "Hub__ConnectionLimits__PerAddress=0"
}

ingest_settings() {
    echo "ConnectionStrings__redis=$(redis_connection ingest ingest)"
    echo "Redis__Password=$(secret ingest)"
    echo "Operators__SigningKey=$(cat "$WORK/secrets/signing-key")"
    echo "Operators__Accounts__rehearsal__PasswordHash=$(cat "$WORK/secrets/operator.hash")"
    echo "Operators__Accounts__rehearsal__Roles__0=operator"
}

web_settings() {
    echo "ConnectionStrings__redis=$(redis_connection web web)"
    echo "Redis__Password=$(secret web)"
    cat "$WORK/secrets/vapid.env"
}

start_everything() {
    local i settings=()
    start redis-primary redis-server "$WORK/redis/primary.conf"
    start redis-replica redis-server "$WORK/redis/replica.conf"
    wait_redis "$REDIS_PRIMARY_PORT" redis-primary
    wait_redis "$REDIS_REPLICA_PORT" redis-replica
    for i in 1 2 3; do
        start "sentinel-$i" redis-server "$WORK/sentinel-$i/sentinel.conf" --sentinel
    done
    for i in 0 1 2; do wait_redis "${SENTINEL_PORTS[$i]}" "sentinel-$((i + 1))"; done

    mapfile -t settings < <(ingest_settings)
    for i in 1 2; do start_app "ingest-$i" ScoreFeed.Ingest ingest "${INGEST_PORTS[$((i - 1))]}" "${settings[@]}"; done
    mapfile -t settings < <(hub_settings)
    for i in 1 2 3; do start_app "hub-$i" ScoreFeed.Hub hub "${HUB_PORTS[$((i - 1))]}" "${settings[@]}"; done
    # The web app reads the hubs' API for its first paint at Web:HubInternalUrl, on this machine a hub's own port
    # (in compose, the hub service); browsers use the public origin through nginx, as in production.
    mapfile -t settings < <(web_settings)
    start_app web ScoreFeed.Web web "$WEB_PORT,$DEMO_PORT" "Web__HubInternalUrl=http://$HOST:${HUB_PORTS[0]}" \
        "Web__PartnerDemoPort=$DEMO_PORT" "${settings[@]}"

    start nginx "$NGINX" -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" \
        -g "daemon off; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/logs/error.log;"
}

# --- readiness and the summary: deploy/rehearsal/readiness.sh ---------------------------------------------------
# shellcheck source=rehearsal/readiness.sh
source "$ROOT/deploy/rehearsal/readiness.sh"

# --- control loop ----------------------------------------------------------------------------------------------
# sentinel_master_port: the port of the master the Sentinels name now (empty if none answers).
sentinel_master_port() {
    local port answer
    for port in "${SENTINEL_PORTS[@]}"; do
        answer=$(redis_cli_as admin "$port" SENTINEL get-master-addr-by-name scorefeed 2>/dev/null | sed -n 2p) || true
        [ -n "$answer" ] && { echo "$answer"; return; }
    done
}

# rejoin_arguments NAME: for a Redis node started again while the Sentinels name another master, "--replicaof HOST
# PORT", one word a line. Its own file may say it is the primary (it was, before a failover): started as it is, it would
# take writes on its old data until a Sentinel turns it into a replica, and lose them then. (Kubernetes operators and
# the Redis charts start a node the same way: as a replica of the master the Sentinels name.)
rejoin_arguments() {
    local name=$1 own master
    case "$name" in
        redis-primary) own=$REDIS_PRIMARY_PORT ;;
        redis-replica) own=$REDIS_REPLICA_PORT ;;
        *) return 0 ;;
    esac
    master=$(sentinel_master_port)
    [ -n "$master" ] && [ "$master" != "$own" ] && printf '%s\n' --replicaof "$HOST" "$master"
    return 0
}

handle() {
    local verb=$1 name=$2 id=$3 answer
    if [ -z "${command_of[$name]+x}" ]; then
        answer="ERROR unknown process '$name'"
    else
        case "$verb" in
            stop) stop "$name"; answer="$name exited $exit_code" ;;
            start | restart)
                [ "$verb" = restart ] && stop "$name" >/dev/null
                if alive "$name"; then
                    answer="$name ${pid_of[$name]}"
                else
                    local extra=()
                    mapfile -t extra < <(rejoin_arguments "$name")
                    launch "$name" "${extra[@]}"
                    say "started $name again (pid ${pid_of[$name]})${extra[*]:+ with ${extra[*]}}"
                    if wait_app_ready "$name"; then answer="$name ${pid_of[$name]}"; else answer="ERROR $name did not become ready"; fi
                fi
                ;;
            *) answer="ERROR unknown command '$verb'" ;;
        esac
    fi
    printf '%s\n' "$answer" >"$WORK/ack/$id.tmp"
    mv "$WORK/ack/$id.tmp" "$WORK/ack/$id"
}

run_loop() {
    local line partial="" verb name id
    exec 3<>"$CONTROL"
    while :; do
        # A read that times out mid-line keeps what it read in $line (bash reads a pipe byte by byte): carry it over,
        # or the command loses its first bytes ("tart hub-3": seen once in a full test run).
        if IFS= read -r -t 1 -u 3 line; then
            read -r verb name id <<<"$partial$line"
            partial=""
            [ -n "${id:-}" ] && handle "$verb" "$name" "$id"
        else
            partial+=$line
        fi
        for name in "${order[@]}"; do
            if [ -n "${pid_of[$name]}" ] && ! kill -0 "${pid_of[$name]}" 2>/dev/null; then
                reap "$name"
                say "$name exited on its own: exit $exit_code (see .rehearsal/logs/$name.log)"
            fi
        done
    done
}

# --- main ------------------------------------------------------------------------------------------------------
main() {
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    [ -x "$NGINX" ] && command -v openssl >/dev/null && command -v redis-server >/dev/null || scripts/setup.sh
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    check_ports_free "$REDIS_PRIMARY_PORT" "$REDIS_REPLICA_PORT" "${SENTINEL_PORTS[@]}" "${HUB_PORTS[@]}" \
        "${INGEST_PORTS[@]}" "$WEB_PORT" "$DEMO_PORT" "$HTTPS_PORT" "$HTTP_PORT"
    [ ! -p "$CONTROL" ] || die "$CONTROL exists: is a rehearsal already running? (remove it if not)"

    if $build; then
        say "building Release (ingest, hub, web; the web app's build runs npm ci and the front-end build)"
        local project
        for project in ScoreFeed.Ingest ScoreFeed.Hub ScoreFeed.Web; do
            dotnet build "src/$project" -c Release -nologo -v minimal -clp:ErrorsOnly
        done
    fi
    local project
    for project in ScoreFeed.Ingest ScoreFeed.Hub ScoreFeed.Web; do
        [ -f "$(app_dir "$project")/$project.dll" ] || die "no Release build of $project; run without --no-build"
    done
    rm -rf "$WORK/logs" "$WORK/pids" "$WORK/exits" "$WORK/ack" "$WORK/redis" "$WORK"/sentinel-* "$WORK/nginx"
    mkdir -p "$WORK/logs" "$WORK/pids" "$WORK/exits" "$WORK/ack"
    [ -z "$ready_file" ] || rm -f "$ready_file"
    make_secrets
    make_certificate
    write_redis_config
    write_sentinel_config
    write_nginx_config
    echo "$base_port" >"$WORK/base-port"

    trap stop_all EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    mkfifo "$CONTROL"
    start_everything
    wait_ready_all
    print_summary
    if [ -n "$ready_file" ]; then
        printf 'base-port=%s\npublic=https://%s\nwork=%s\n' "$base_port" "$PUBLIC_NAME" "$WORK" >"$ready_file.tmp"
        mv "$ready_file.tmp" "$ready_file"
    fi
    run_loop
}

main
