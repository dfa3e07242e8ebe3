#!/usr/bin/env bash
# Prints each failed test of the given TRX files with its error message, the top of its stack trace and the last
# lines of what it wrote (its figures, the apps' logs it kept): the end of a CI log then says why, not only what.
#   scripts/failures.sh .artifacts/test-results/*.trx
set -uo pipefail

for trx in "$@"; do
    [ -e "$trx" ] || continue
    awk -v message_lines=15 -v stack_lines=8 -v output_lines=40 '
        function decode(s) {
            gsub(/&#xD;/, "", s); gsub(/&#xA;/, "\n", s)
            gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
            gsub(/&amp;/, "\\&", s)
            return s
        }
        function text(block, tag,    start, end) {
            start = index(block, "<" tag ">")
            if (start == 0) return ""
            block = substr(block, start + length(tag) + 2)
            end = index(block, "</" tag ">")
            return decode(substr(block, 1, end - 1))
        }
        function show(title, body, limit, from_end,    lines, n, i, first) {
            if (body == "") return
            n = split(body, lines, "\n")
            first = from_end && n > limit ? n - limit + 1 : 1
            printf "    %s%s:\n", title, (n > limit ? (from_end ? " (last " limit " of " n " lines)" : " (first " limit " of " n " lines)") : "")
            for (i = first; i <= n && i < first + limit; i++) printf "      %s\n", lines[i]
        }
        BEGIN { RS = "</UnitTestResult>" }
        /<UnitTestResult [^>]*outcome="Failed"/ {
            block = substr($0, index($0, "<UnitTestResult "))
            name = block; sub(/^[^>]* testName="/, "", name); sub(/".*/, "", name)
            printf "  %s\n", decode(name)
            show("message", text(block, "Message"), message_lines, 0)
            show("stack trace", text(block, "StackTrace"), stack_lines, 0)
            show("output", text(block, "StdOut"), output_lines, 1)
        }
    ' "$trx"
done
