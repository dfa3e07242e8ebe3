#!/usr/bin/env bash
# End-to-end latency from ingest to a client on the OTHER hub: starts its own redis-server, an ingest
# (simulator at RATE updates/s) and two hubs on 127.0.0.1, measures UPDATES updates on hub B with
# ScoreFeed.LatencyProbe, then stops everything. Method and latest numbers: docs/benchmarks.md.
#   bench/latency.sh [RATE=200] [UPDATES=5000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rate=${1:-200}
updates=${2:-5000}
scripts/setup.sh >/dev/null
dotnet build ScoreFeed.sln -c Release -nologo -v quiet -clp:ErrorsOnly

redis_port=6391 ingest_port=5390 hub_a=5391 hub_b=5392
pids=()
# Stop in reverse start order: the apps before the Redis they use.
cleanup() { for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT

redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
pids+=($!)
export ConnectionStrings__redis=127.0.0.1:$redis_port Logging__LogLevel__Default=Warning
# Production, as deployed, on 127.0.0.1 with a Redis without a password: the documented opt-out of the loopback part
# of the Production rule, and the keys Production requires (docs/configuration.md).
export ASPNETCORE_ENVIRONMENT=Production Deployment__AllowLoopback=true \
    Hub__SiteOrigins__0=http://127.0.0.1:5000 Operators__CorsOrigins__0=http://127.0.0.1:5000 \
    Operators__SigningKey="$(head -c 32 /dev/urandom | base64)"
start() { # project port [env...]
    local project=$1 port=$2; shift 2
    (cd "src/$project/bin/Release/net10.0" && exec env "$@" dotnet "$project.dll" --urls "http://127.0.0.1:$port") &
    pids+=($!)
    for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.2; done
    echo "$project did not become ready" >&2; exit 1
}
start ScoreFeed.Hub $hub_a
start ScoreFeed.Hub $hub_b
start ScoreFeed.Ingest $ingest_port Ingest__Simulator__Matches=24 Ingest__Simulator__UpdatesPerSecond="$rate" \
    Ingest__Simulator__StartInPlay=1 Ingest__Simulator__TimeScale=5 Ingest__Simulator__Seed=1
echo "ingest at $rate updates/s → Redis → hub B (port $hub_b); probe on hub B, $updates updates"
dotnet bench/ScoreFeed.LatencyProbe/bin/Release/net10.0/ScoreFeed.LatencyProbe.dll \
    --hub "http://127.0.0.1:$hub_b/hubs/scores" --updates "$updates"
