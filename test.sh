#!/usr/bin/env bash
# Sets up what is missing (redis-server, Node.js and npm, Chromium), builds (the web front end with npm ci
# too), and runs every test: .NET unit tests, end-to-end tests against real redis-server, hub and ingest
# processes on 127.0.0.1, browser tests in headless Chromium, and the client library's node tests.
# Prints a final line "N passed, N failed, N skipped" from the real results; exits non-zero on any failure.
#   ./test.sh                 all tests
#   ./test.sh --filter EXPR   only the .NET tests dotnet test's --filter selects (no node tests)
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/setup.sh --browser || exit 1

configuration=Debug
results=.artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

echo "[test] building ($configuration)"
if ! dotnet build ScoreFeed.sln -c "$configuration" -nologo -clp:ErrorsOnly; then
    echo "[test] build failed"
    echo "0 passed, 1 failed"
    exit 1
fi

echo "[test] running tests"
# One test project after another, not all at once: on 2 cores the end-to-end and browser suites (each with its
# own redis-server, hubs, ingest and web processes, and Chromium) would starve each other's timing-sensitive tests.
status=0
for project in tests/*/*.csproj; do
    dotnet test "$project" -c "$configuration" --no-build -nologo \
        --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?
done

# Sum the counters of every TRX file: <Counters total=".." executed=".." passed=".." failed=".." ...>
passed=0; failed=0; total=0; executed=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    value() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
    total=$((total + $(value total)))
    executed=$((executed + $(value executed)))
done
skipped=$((total - executed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # dotnet test failed without a failing test (a crash, a missing result file): count it as a failure.
    failed=1
fi

if [ "$#" -eq 0 ]; then
    # The client library's tests (node's test runner, TAP): its summary lines "# pass N", "# fail N", …
    echo "[test] running the client library's node tests (src/ScoreFeed.Web/ClientApp)"
    tap="$results/clientapp.tap"
    (cd src/ScoreFeed.Web/ClientApp && npm test --silent) >"$tap" 2>&1
    node_status=$?
    grep -E '^(not )?ok ' "$tap" || true
    tap_value() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$tap" | tail -n 1; }
    node_passed=$(tap_value pass); node_failed=$(tap_value fail); node_cancelled=$(tap_value cancelled)
    node_skipped=$(tap_value skipped); node_todo=$(tap_value todo)
    if [ -z "$node_passed" ]; then
        # No summary: the build or the type check failed before any test ran.
        tail -n 30 "$tap"
        node_passed=0; node_failed=1
    fi
    passed=$((passed + node_passed))
    failed=$((failed + ${node_failed:-0} + ${node_cancelled:-0}))
    skipped=$((skipped + ${node_skipped:-0} + ${node_todo:-0}))
    if [ "$node_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
        failed=1
    fi
    [ "$node_status" -eq 0 ] || status=1
fi
# Name every failed test again just above the summary, with its message and output, so the end of a long log says
# what failed and why.
failed_names=$(for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/\1/p'
done; [ -e "${tap:-}" ] && grep -E '^not ok ' "$tap")
if [ -n "$failed_names" ]; then
    echo "[test] why they failed:"
    scripts/failures.sh "$results"/*.trx
    echo "[test] failed:"
    printf '%s\n' "$failed_names" | sed 's/^/  /'
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
