#!/usr/bin/env bash
# Goal alerts' latency on localhost: from an update's commit (the envelope's ts) to the stand-in push service holding
# the decrypted alert, through the web app in Release with push on (VAPID, aes128gcm, per-match queues, Polly).
# Starts its own redis-server, web app and stand-in push service on 127.0.0.1. Method and latest figures:
# docs/benchmarks.md, "Goal alerts".
#   bench/push.sh [--goals 300] [--matches 10] [--fans 20] [--rate 20]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build bench/ScoreFeed.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet bench/ScoreFeed.Bench/bin/Release/net10.0/ScoreFeed.Bench.dll push-latency "$@"
