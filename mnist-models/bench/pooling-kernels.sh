#!/usr/bin/env bash
# maxpool2d forward/backward on cnn-dropout's first pooling input, with libnd4j's oneDNN
# implementation allowed (what DL4J does by default in the oneDNN build) and forbidden (what
# mnistlab's LibNd4jPoolingLayer does), for NCHW and NHWC. Prints RESULT lines (last 2 rounds).
set -euo pipefail
MODULE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
OUT="$(mktemp)"
(cd "$ROOT" && ./mvnw -B -q -pl mnist-models test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$OUT") >&2
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$OUT")"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for nhwc in false true; do
  java -Dnhwc="$nhwc" -cp "$CP" dev.mnistlab.models.bench.PoolingKernelBenchmark 2>/dev/null | grep '^RESULT' | tail -4
done
