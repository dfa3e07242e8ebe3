#!/usr/bin/env bash
# The fan-out benchmark with the machine's limits raised for many connections, and put back afterwards:
# open files (ulimit -n, up to the hard limit, or 1,048,576 where this shell may raise the hard limit), the ephemeral
# port range, the listen and SYN backlogs. Builds Release, then passes its arguments to ScoreFeed.Bench's `run`.
#   bench/fanout.sh --scenario curve --targets raw,scorefeed [--steps 1000,5000,10000,20000] [--ramp 2000]
#   bench/fanout.sh --scenario idle --connections 100000 --source-addresses 4
# Method and results: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh >/dev/null
dotnet build ScoreFeed.sln -c Release -nologo -v quiet -clp:ErrorsOnly

# name → value wanted; the old values are written back on exit, also when the run fails or is interrupted.
declare -A wanted=(
    [net.ipv4.ip_local_port_range]="10000 65000"
    [net.core.somaxconn]=65535
    [net.ipv4.tcp_max_syn_backlog]=65535
)
declare -A previous=()
restore() {
    for name in "${!previous[@]}"; do
        sysctl -q -w "$name=${previous[$name]}" || echo "[bench] could not put $name back to '${previous[$name]}'" >&2
    done
}
trap restore EXIT
for name in "${!wanted[@]}"; do
    old=$(sysctl -n "$name" | tr '\t' ' ')
    if sysctl -q -w "$name=${wanted[$name]}" 2>/dev/null; then
        previous[$name]=$old
        echo "[bench] $name: $old → ${wanted[$name]} (put back on exit)"
    else
        echo "[bench] $name stays $old (not writable here)"
    fi
done
# Only this script's processes get the higher limit; the shell that ran it keeps its own.
ulimit -Hn 1048576 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"
echo "[bench] open files per process: $(ulimit -n)"

dotnet bench/ScoreFeed.Bench/bin/Release/net10.0/ScoreFeed.Bench.dll run "$@"
