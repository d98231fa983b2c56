#!/usr/bin/env bash
# Accuracy of zoo models: trains each and prints per-epoch lines and one RESULT line per model.
# Usage: mnist-models/bench/accuracy.sh DATA_FOLDER [models] [extra -D options...]
#   mnist-models/bench/accuracy.sh ../shared/data/mnist-10k cnn-basic,cnn-dropout,cnn-batchnorm
#   mnist-models/bench/accuracy.sh /usr/share/datasets/fashion-mnist cnn-dropout -Depochs=3
# Defaults: every zoo model with its study epochs (see AccuracyBenchmark), batch 64, seed 42.
set -euo pipefail
MODULE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
DATA="$(cd "${1:?dataset folder}" && pwd)"
MODELS="${2:-mlp,cnn-basic,cnn-dropout,cnn-batchnorm,lenet5,cnn-deep}"
shift $(( $# >= 2 ? 2 : 1 ))
CPFILE="$(mktemp)"
(cd "$ROOT" && ./mvnw -B -q -pl mnist-models test-compile dependency:build-classpath \
   -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE") >&2
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx6g -Ddata="$DATA" -Dmodels="$MODELS" "$@" \
  -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$CPFILE")" \
  dev.mnistlab.models.bench.AccuracyBenchmark
