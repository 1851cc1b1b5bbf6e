#!/bin/sh
# Runs the ingest + normalise fuzz target for FUZZ_SECONDS (default 120), from the repository root.
# The corpus grows in .build/fuzz/corpus across runs; crashes, hangs (> 10 s per input), leaks and
# out-of-memory inputs (> 2 GB) land in .build/fuzz/artifacts/ — keep each as a regression test.
set -eu
OUT=${FUZZ_BUILD:-.build/fuzz}
SECONDS_TO_RUN=${FUZZ_SECONDS:-120}
mkdir -p "$OUT/corpus" "$OUT/seeds" "$OUT/artifacts"
# Seed corpus: the demo exports (both dialects, plain and gzip), the broken files, small
# hand-written seeds and every past finding.
for file in Fixtures/demo/*/*.xml Fixtures/demo/*/*.xml.gz Fixtures/broken/* Fuzz/seeds/* Fuzz/regressions/*; do
    [ -f "$file" ] && cp "$file" "$OUT/seeds/$(echo "$file" | tr / _)"
done
echo "fuzzing for $SECONDS_TO_RUN s; artifacts go to $OUT/artifacts/"
exec "$OUT/onestop-fuzz" \
    -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -dict=Fuzz/xml.dict -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 \
    "$OUT/corpus" "$OUT/seeds"
