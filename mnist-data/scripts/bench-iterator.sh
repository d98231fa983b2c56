#!/usr/bin/env bash
# DL4J iterator throughput: shuffled NCHW batches from Fashion-MNIST's 60,000 training images,
# synchronous and with asynchronous prefetch.   mnist-data/scripts/bench-iterator.sh [folder] [epochs] [batch]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl mnist-data test-compile >/dev/null
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -B -q -pl mnist-data dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) load=$(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g -cp "mnist-data/target/test-classes:mnist-data/target/classes:$(cat "$CP_FILE")" \
  dev.mnistlab.data.bench.IteratorBenchmark "${1:-/usr/share/datasets/fashion-mnist}" "${2:-5}" "${3:-64}" 2>/dev/null
