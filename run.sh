#!/usr/bin/env bash
# Starts the whole ScoreFeed system on this machine, on fixed loopback ports (see README.md, "Run"):
#   ./run.sh              through the Aspire AppHost: Redis, ingest, two hubs, the web app and the Aspire dashboard
#   ./run.sh --no-aspire  the same processes started directly, for machines where Aspire's
#                         orchestrator (DCP) cannot run; logs go to .run/logs/
# Ctrl+C stops everything that it started.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

usage() {
    cat <<'USAGE'
Usage: ./run.sh [--no-aspire]
  (no option)   start Redis, ingest, two hubs and the web app through the Aspire AppHost (with dashboard)
  --no-aspire   start redis-server, ingest, the two hubs and the web app directly as processes
Ctrl+C stops everything.
USAGE
}

mode=aspire
mode_label="through the Aspire AppHost"
case "${1:-}" in
    "") ;;
    --no-aspire) mode=direct mode_label="without Aspire: --no-aspire" ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
esac

readonly HOST=127.0.0.1
readonly REDIS_PORT=6379 INGEST_PORT=5200 HUB1_PORT=5100 HUB2_PORT=5101 WEB_PORT=5000 DEMO_PORT=5001
readonly DASHBOARD_PORT=18888 OTLP_PORT=18889 RESOURCE_SERVICE_PORT=18890
readonly STARTUP_TIMEOUT_S=180

say() { printf '[run] %s\n' "$*"; }
die() { printf '[run] ERROR: %s\n' "$*" >&2; exit 1; }

scripts/setup.sh

# --- operator sign-in --------------------------------------------------------------------------
# Ingest signs operators' tokens with Operators:SigningKey. For local runs the key lives in ingest's
# user secrets (~/.microsoft/usersecrets/scorefeed-ingest/, read in Development), never in the
# repository: generated once here, kept across runs so that tokens outlive a restart.
readonly INGEST_SECRETS_ID=scorefeed-ingest
if ! dotnet user-secrets list --id "$INGEST_SECRETS_ID" 2>/dev/null | grep -q '^Operators:SigningKey = '; then
    say "generating the operators' token signing key (user secrets '$INGEST_SECRETS_ID')"
    dotnet user-secrets set Operators:SigningKey "$(head -c 32 /dev/urandom | base64)" --id "$INGEST_SECRETS_ID" >/dev/null
fi

# --- ports -----------------------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

who_listens() {
    if command -v ss >/dev/null 2>&1; then
        ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n 1
    fi
}

is_redis() { [ "$(printf 'PING\r\n' | timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1; cat >&3; head -c 5 <&3" 2>/dev/null)" = "+PONG" ]; }

check_port_free() {
    local port=$1 role=$2 owner
    port_in_use "$port" || return 0
    owner="$(who_listens "$port")"
    if [ "$port" = "$REDIS_PORT" ] && is_redis "$port"; then
        die "a Redis server is already listening on $HOST:$REDIS_PORT${owner:+ ($owner)}.
    ScoreFeed starts its own throw-away Redis on that port (no persistence) and will not share or
    replace another one. Stop it first, e.g. 'systemctl stop redis-server' (Debian's service) or
    'redis-cli -p $REDIS_PORT shutdown nosave', then run ./run.sh again."
    fi
    die "port $HOST:$port ($role) is already in use${owner:+ by $owner}. Is ScoreFeed already running
    (another ./run.sh, or the AppHost)? Stop that process, then run ./run.sh again."
}

check_port_free "$REDIS_PORT" "redis"
check_port_free "$INGEST_PORT" "ingest"
check_port_free "$HUB1_PORT" "hub-1"
check_port_free "$HUB2_PORT" "hub-2"
check_port_free "$WEB_PORT" "web"
check_port_free "$DEMO_PORT" "web: demo partner page"
if [ "$mode" = aspire ]; then
    check_port_free "$DASHBOARD_PORT" "Aspire dashboard"
    check_port_free "$OTLP_PORT" "Aspire dashboard OTLP"
    check_port_free "$RESOURCE_SERVICE_PORT" "Aspire resource service"
fi

# --- readiness -------------------------------------------------------------------------------
# wait_ready URL PID...: polls URL until it answers 2xx; fails if a watched process group is gone.
wait_ready() {
    local url=$1; shift
    local deadline=$((SECONDS + STARTUP_TIMEOUT_S)) p
    until curl -fsS -m 2 -o /dev/null "$url" 2>/dev/null; do
        for p in "$@"; do
            kill -0 -- "$p" 2>/dev/null || die "a process stopped while waiting for $url (see the output above)${ready_hint:-}"
        done
        [ "$SECONDS" -lt "$deadline" ] || die "$url did not become ready within ${STARTUP_TIMEOUT_S}s${ready_hint:-}"
        sleep 1
    done
}

print_summary() {
    local dashboard=$1 logs=$2
    local operators="set SCOREFEED_OPERATOR_PASSWORD before ./run.sh to sign in as 'operator'"
    [ -z "${SCOREFEED_OPERATOR_PASSWORD:-}" ] || operators="user 'operator', the password in \$SCOREFEED_OPERATOR_PASSWORD"
    cat <<SUMMARY

  ScoreFeed is running ($mode_label). Press Ctrl+C to stop everything.

  Fans        http://$HOST:$WEB_PORT      scoreboard; match pages at /matches/{id}
  Partner     http://$HOST:$DEMO_PORT      demo partner page (another origin): the widget and the iframe
  Dashboard   $dashboard
  Hub 1       http://$HOST:$HUB1_PORT      SignalR hub: http://$HOST:$HUB1_PORT/hubs/scores
  Hub 2       http://$HOST:$HUB2_PORT      SignalR hub: http://$HOST:$HUB2_PORT/hubs/scores
  Ingest      http://$HOST:$INGEST_PORT      (simulator feed; operator API under /api/v1, see README.md)
  Operators   http://$HOST:$WEB_PORT/operator   console ($operators)
              API: POST http://$HOST:$INGEST_PORT/api/v1/auth/token, then /api/v1/matches/{id}/corrections, …
  Redis       $HOST:$REDIS_PORT       (no persistence: state is lost on stop)

  Read API    http://$HOST:$HUB1_PORT/api/v1/matches[?status=live&competition=ID]
              http://$HOST:$HUB1_PORT/api/v1/matches/{id}      (same on port $HUB2_PORT)
  Health      /health/live and /health/ready on every app, e.g. http://$HOST:$HUB1_PORT/health/ready
  Metrics     /metrics (Prometheus) on every app, e.g. http://$HOST:$INGEST_PORT/metrics
  Logs        $logs

SUMMARY
}

# --- Aspire mode -----------------------------------------------------------------------------
run_aspire() {
    say "building the AppHost (and the apps it runs)"
    dotnet build src/ScoreFeed.AppHost -nologo -v minimal

    # A known login token, so that the login URL can be printed below (the AppHost logs it too).
    local token
    token="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

    say "starting the Aspire AppHost"
    # Own session and process group: Ctrl+C reaches this script, which stops the AppHost's group
    # with SIGTERM. Aspire's orchestrator (dcp) then stops Redis, ingest and the hubs.
    ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN="$token" setsid dotnet run --no-build --project src/ScoreFeed.AppHost --launch-profile http &
    apphost_pgid=$!

    trap stop_aspire EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    ready_hint=". If Aspire's orchestrator cannot run on this machine, try: ./run.sh --no-aspire"
    wait_ready "http://$HOST:$HUB1_PORT/health/ready" "-$apphost_pgid"
    wait_ready "http://$HOST:$HUB2_PORT/health/ready" "-$apphost_pgid"
    wait_ready "http://$HOST:$INGEST_PORT/health/ready" "-$apphost_pgid"
    wait_ready "http://$HOST:$WEB_PORT/health/ready" "-$apphost_pgid"
    print_summary "http://$HOST:$DASHBOARD_PORT/login?t=$token" "in the dashboard (Console logs, Structured logs, Traces, Metrics)"

    local status=0
    wait "$apphost_pgid" || status=$?
    say "the AppHost exited (status $status)"
    exit "$status"
}

# All descendants of the given pids, from /proc (works without procps).
descendants() {
    local pid child
    for pid in "$@"; do
        while read -r child; do
            [ -n "$child" ] || continue
            echo "$child"
            descendants "$child"
        done < <(cat /proc/"$pid"/task/*/children 2>/dev/null | tr ' ' '\n')
    done
}

# The dcp API server that serves AppHost process $1. It runs detached (its own session), so it is
# no descendant of the AppHost; it finds the AppHost by pid (--monitor) and outlives it by a few seconds.
dcp_of() {
    local f
    for f in /proc/[0-9]*/cmdline; do
        # 2>/dev/null first: redirections apply left to right, and a process may exit between the glob and the read.
        if tr '\0' ' ' 2>/dev/null <"$f" | grep -q -- "start-apiserver --monitor $1 "; then
            f=${f#/proc/}
            echo "${f%/cmdline}"
        fi
    done
}

any_alive() {
    local pid
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done
    return 1
}

stop_aspire() {
    trap '' INT TERM
    [ -n "${apphost_pgid:-}" ] || return 0
    # Everything this run started: the AppHost, dcp, and what dcp runs (redis-server, the apps,
    # the dashboard). Taken before stopping, while the process tree is still intact.
    local tracked=() roots=() dcps=() more=() pid dcp deadline
    mapfile -t roots < <(echo "$apphost_pgid"; descendants "$apphost_pgid")
    for pid in "${roots[@]}"; do
        tracked+=("$pid")
        mapfile -t dcps < <(dcp_of "$pid")
        for dcp in "${dcps[@]}"; do
            mapfile -t more < <(descendants "$dcp")
            tracked+=("$dcp" "${more[@]}")
        done
    done

    say "stopping (Aspire stops Redis, ingest, the hubs and the dashboard; this takes up to a minute)"
    kill -TERM -- "-$apphost_pgid" 2>/dev/null || true
    deadline=$((SECONDS + 90))
    while any_alive "${tracked[@]}" && [ "$SECONDS" -lt "$deadline" ]; do sleep 1; done
    if any_alive "${tracked[@]}"; then
        say "some processes did not stop within 90s; terminating them"
        for pid in "${tracked[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
        sleep 5
        for pid in "${tracked[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    fi
    say "stopped (${#tracked[@]} processes, all exited)"
}

# --- direct mode (--no-aspire) -----------------------------------------------------------------
names=()
pids=()

start_process() {
    local name=$1; shift
    "$@" >"$log_dir/$name.log" 2>&1 &
    names+=("$name")
    pids+=("$!")
    say "started $name (pid $!), log: $log_dir/$name.log"
}

stop_direct() {
    trap '' INT TERM
    local i pid deadline
    [ "${#pids[@]}" -gt 0 ] || return 0
    say "stopping"
    # Apps first, Redis last.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill -TERM "${pids[$i]}" 2>/dev/null || true
    done
    deadline=$((SECONDS + 20))
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid=${pids[$i]}
        while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            say "${names[$i]} (pid $pid) did not stop; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    say "stopped"
}

start_app() {
    local name=$1 project=$2 port=$3
    local bin="$PWD/src/$project/bin/Debug/net10.0"
    start_process "$name" env ASPNETCORE_ENVIRONMENT=Development "ConnectionStrings__redis=$HOST:$REDIS_PORT" \
        dotnet "$bin/$project.dll" --urls "http://$HOST:$port" --contentRoot "$bin"
}

run_direct() {
    say "building ingest, hub and web (the web app's build runs npm ci and the front-end build)"
    dotnet build src/ScoreFeed.Ingest -nologo -v minimal
    dotnet build src/ScoreFeed.Hub -nologo -v minimal
    dotnet build src/ScoreFeed.Web -nologo -v minimal

    log_dir="$PWD/.run/logs"
    mkdir -p "$log_dir"
    trap stop_direct EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    start_process redis redis-server --port "$REDIS_PORT" --bind "$HOST" --save "" --appendonly no --dir "$log_dir"
    local deadline=$((SECONDS + 30))
    until is_redis "$REDIS_PORT"; do
        kill -0 "${pids[0]}" 2>/dev/null || die "redis-server stopped; see $log_dir/redis.log"
        [ "$SECONDS" -lt "$deadline" ] || die "redis-server did not answer PING within 30s"
        sleep 0.2
    done

    start_app ingest ScoreFeed.Ingest "$INGEST_PORT"
    start_app hub-1 ScoreFeed.Hub "$HUB1_PORT"
    start_app hub-2 ScoreFeed.Hub "$HUB2_PORT"
    local web_bin="$PWD/src/ScoreFeed.Web/bin/Debug/net10.0"
    start_process web env ASPNETCORE_ENVIRONMENT=Development \
        "Web__HubBaseUrl=http://$HOST:$HUB1_PORT" "Web__PublicBaseUrl=http://$HOST:$WEB_PORT" "Web__PartnerDemoPort=$DEMO_PORT" \
        "Web__IngestBaseUrl=http://$HOST:$INGEST_PORT" \
        dotnet "$web_bin/ScoreFeed.Web.dll" --urls "http://$HOST:$WEB_PORT;http://$HOST:$DEMO_PORT" --contentRoot "$web_bin"

    wait_ready "http://$HOST:$INGEST_PORT/health/ready" "${pids[@]}"
    wait_ready "http://$HOST:$HUB1_PORT/health/ready" "${pids[@]}"
    wait_ready "http://$HOST:$HUB2_PORT/health/ready" "${pids[@]}"
    wait_ready "http://$HOST:$WEB_PORT/health/ready" "${pids[@]}"
    print_summary "(none in --no-aspire mode)" "$log_dir/{redis,ingest,hub-1,hub-2,web}.log"

    # Run until Ctrl+C, or until one of the processes stops on its own.
    local i
    while :; do
        wait -n || true
        for i in "${!pids[@]}"; do
            if ! kill -0 "${pids[$i]}" 2>/dev/null; then
                die "${names[$i]} stopped on its own; see $log_dir/${names[$i]}.log"
            fi
        done
    done
}

if [ "$mode" = aspire ]; then run_aspire; else run_direct; fi
