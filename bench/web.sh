#!/usr/bin/env bash
# Front-end figures on localhost: the widget's size, time to first score, and Lighthouse (tools/lighthouse's, run on
# Node 20 with the system Chromium) performance and accessibility for the scoreboard, the embed page and the demo
# partner page. Starts its own redis-server, hub, ingest (simulator) and web app (Release) on 127.0.0.1.
# Method and latest numbers: docs/benchmarks.md.
#   bench/web.sh [RUNS=3] [PAGES=scoreboard,embed,partner]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-3}
only=${2:-scoreboard,embed,partner}
scripts/setup.sh --browser >/dev/null
dotnet build ScoreFeed.sln -c Release -nologo -v quiet -clp:ErrorsOnly
(cd src/ScoreFeed.Web/ClientApp && node build.mjs) | sed 's/^/[size] /'

# One Lighthouse for the repository: tools/lighthouse pins it (its run.mjs covers every page in every language).
tools=tools/lighthouse
[ -x "$tools/node_modules/.bin/lighthouse" ] || (cd "$tools" && npm ci --no-audit --no-fund >/dev/null)
lighthouse="$tools/node_modules/.bin/lighthouse"
out=.artifacts/lighthouse
mkdir -p "$out"

redis_port=6393 hub_port=5393 ingest_port=5394 web_port=5395 demo_port=5396
pids=()
cleanup() { for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT
redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
pids+=($!)
export ConnectionStrings__redis=127.0.0.1:$redis_port Logging__LogLevel__Default=Warning \
    Hub__SiteOrigins__0=http://127.0.0.1:$web_port Partners__demo__AllowedOrigins__0=http://127.0.0.1:$demo_port
# Production, as deployed, on 127.0.0.1 with a Redis without a password: the documented opt-out of the loopback part
# of the Production rule, and the keys Production requires (docs/configuration.md).
export ASPNETCORE_ENVIRONMENT=Production Deployment__AllowLoopback=true \
    Operators__CorsOrigins__0=http://127.0.0.1:$web_port Operators__SigningKey="$(head -c 32 /dev/urandom | base64)"
start() { # project ready-url urls [env...]
    local project=$1 ready=$2 urls=$3; shift 3
    (cd "src/$project/bin/Release/net10.0" && exec env "$@" dotnet "$project.dll" --urls "$urls") &
    pids+=($!)
    for _ in $(seq 1 150); do curl -fs "$ready" >/dev/null && return; sleep 0.2; done
    echo "$project did not become ready" >&2; exit 1
}
start ScoreFeed.Hub "http://127.0.0.1:$hub_port/health/ready" "http://127.0.0.1:$hub_port"
start ScoreFeed.Ingest "http://127.0.0.1:$ingest_port/health/ready" "http://127.0.0.1:$ingest_port" \
    Ingest__Simulator__Matches=12 Ingest__Simulator__StartInPlay=0.75 Ingest__Simulator__Seed=5
start ScoreFeed.Web "http://127.0.0.1:$web_port/health/ready" "http://127.0.0.1:$web_port;http://127.0.0.1:$demo_port" \
    Web__HubBaseUrl=http://127.0.0.1:$hub_port Web__PublicBaseUrl=http://127.0.0.1:$web_port Web__PartnerDemoPort=$demo_port \
    Web__IngestBaseUrl=http://127.0.0.1:$ingest_port
sleep 3 # let the simulator put matches in play
match=$(curl -fs "http://127.0.0.1:$hub_port/api/v1/matches?status=live" | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s).matches;console.log((m.find(x=>x.sport==="football")??m[0]).matchId)})')

export CHROME_PATH=/usr/bin/chromium
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
pages=(
    "scoreboard|http://127.0.0.1:$web_port/"
    "embed|http://127.0.0.1:$web_port/embed/matches/$match?key=demo"
    "partner|http://127.0.0.1:$demo_port/?match=$match&key=demo"
)
# mobile: Lighthouse's default (Moto G Power, simulated slow 4G, 4x CPU slowdown); desktop-local: no throttling at all.
printf '%-11s %-14s %4s %5s %5s %7s %7s %6s %5s %s\n' page mode run perf a11y FCP_ms LCP_ms TBT_ms CLS first_score_ms
for entry in "${pages[@]}"; do
    name=${entry%%|*} url=${entry#*|}
    [[ ",$only," == *",$name,"* ]] || continue
    for mode in mobile desktop-local; do
        extra=()
        [ "$mode" = desktop-local ] && extra=(--preset=desktop --throttling-method=provided)
        for run in $(seq 1 "$runs"); do
            report="$out/$name-$mode-$run.json"
            "$lighthouse" "$url" --quiet --only-categories=performance,accessibility --output=json --output-path="$report" \
                --chrome-flags="$flags --user-data-dir=$(mktemp -d)" "${extra[@]}" >/dev/null 2>&1 || { echo "lighthouse failed on $url" >&2; continue; }
            node -e '
                const r = require(process.argv[1]); const a = r.audits;
                const mark = (a["user-timings"]?.details?.items ?? []).find(i => i.name === "scorefeed:first-score");
                const n = (x) => x === undefined ? "-" : Math.round(x);
                console.log([process.argv[2].padEnd(11), process.argv[3].padEnd(14), String(process.argv[4]).padStart(4),
                  String(Math.round(r.categories.performance.score * 100)).padStart(5), String(Math.round(r.categories.accessibility.score * 100)).padStart(5),
                  String(n(a["first-contentful-paint"].numericValue)).padStart(7), String(n(a["largest-contentful-paint"].numericValue)).padStart(7),
                  String(n(a["total-blocking-time"].numericValue)).padStart(6), a["cumulative-layout-shift"].numericValue.toFixed(3),
                  mark ? Math.round(mark.startTime) : "(in first paint)"].join(" "));
            ' "$PWD/$report" "$name" "$mode" "$run"
        done
    done
done
