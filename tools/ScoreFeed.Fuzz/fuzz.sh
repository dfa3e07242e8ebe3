#!/usr/bin/env bash
# Fuzzes one of the hub's parsers for a bounded time with AFL++ (Debian's afl++ package) and SharpFuzz: the hub's
# transport is instrumented in a Release build of this harness, afl-fuzz mutates the seed corpus (corpus/TARGET).
# Not part of CI. docs/operations.md ("Fuzzing") has the figures of the last run.
#   tools/ScoreFeed.Fuzz/fuzz.sh handshake|frames [SECONDS]      (default 300; findings in $FUZZ_OUT, /tmp/scorefeed-fuzz)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
target=${1:?handshake or frames}
seconds=${2:-300}
out=${FUZZ_OUT:-/tmp/scorefeed-fuzz}

command -v afl-fuzz >/dev/null || apt-get install -y afl++
dotnet tool restore >/dev/null
rm -rf "$out/bin"
dotnet publish ScoreFeed.Fuzz.csproj -c Release -o "$out/bin" -nologo -clp:ErrorsOnly
# Coverage only where the client's bytes are read: the transport's types.
dotnet sharpfuzz "$out/bin/ScoreFeed.Hub.dll" ScoreFeed.Hub.Transport
# The target is `dotnet`, not an instrumented binary; SharpFuzz talks to afl-fuzz itself.
AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
    afl-fuzz -V "$seconds" -i "corpus/$target" -o "$out/findings-$target" -t 10000 -m none -- dotnet "$out/bin/ScoreFeed.Fuzz.dll" "$target"
