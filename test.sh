#!/usr/bin/env bash
# Sets up what is missing (redis-server), builds, and runs every test: unit tests, and end-to-end tests
# against real redis-server, hub and ingest processes on 127.0.0.1.
# Prints a final line "N passed, N failed, N skipped" from the real results; exits non-zero on any failure.
#   ./test.sh                 all tests
#   ./test.sh --filter EXPR   only the tests dotnet test's --filter selects
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/setup.sh || exit 1

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
dotnet test ScoreFeed.sln -c "$configuration" --no-build -nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

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
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
