#!/usr/bin/env bash
# The zoo's accuracy table (docs/benchmarks.md, "Model accuracy"), made through the user's path:
# `mnistlab train --model M --data-dir DATA` for each model, in one JVM, each model with its own
# recipe (epochs, batch size, learning-rate schedule, augmentation: ModelZoo), then one RESULT
# line per model read back from its results.
#
# Usage: mnist-experiments/bench/accuracy.sh DATA_DIR [MODELS] [-- extra train flags]
#   mnist-experiments/bench/accuracy.sh ../shared/data/mnist-10k
#   mnist-experiments/bench/accuracy.sh /usr/share/datasets/fashion-mnist cnn-deep
#   mnist-experiments/bench/accuracy.sh ../shared/data/mnist-10k cnn-deep -- --seed 7
# Output: the train command's own lines, then RESULT lines; models and runs in a temp folder
# (OUT=DIR to keep them).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="$(cd "${1:?dataset folder}" && pwd)"; shift
MODELS=""
if [[ $# -gt 0 && "$1" != "--" ]]; then MODELS="$1"; shift; fi
OUT="${OUT:-$(mktemp -d)}"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no), $(date -u +%FT%TZ)," \
  "load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo -)"
# the benchmark runs from mnist-experiments' test classes: install what it depends on first
./mvnw -B -q -pl mnist-experiments -am install -DskipTests >&2
CPFILE="$(mktemp)"
./mvnw -B -q -pl mnist-experiments test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE" >&2
exec java -Xmx6g -cp "mnist-experiments/target/test-classes:mnist-experiments/target/classes:$(cat "$CPFILE")" \
  dev.mnistlab.experiments.bench.AccuracyBenchmark "$DATA" "$OUT" ${MODELS:+"$MODELS"} "$@"
