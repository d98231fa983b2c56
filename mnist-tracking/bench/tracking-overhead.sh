#!/usr/bin/env bash
# Tracking overhead benchmark (docs/benchmarks.md, "Tracking overhead"):
# log() latency, store and W&B-sink throughput, and DL4J epoch time with the W&B sink streaming to the
# loopback stand-in (50 ms added latency) against no tracking.
# Usage: mnist-tracking/bench/tracking-overhead.sh [quick]
set -euo pipefail
cd "$(dirname "$0")/../.."
# the benchmark's classpath includes mnist-data's test fixtures (the shared-data locator): install
# the modules it needs first, then run it from mnist-tracking alone
./mvnw -B -q -pl mnist-tracking -am install -DskipTests
./mvnw -B -q -pl mnist-tracking test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.mnistlab.tracking.bench.TrackingBenchmark -Dexec.args="${1:-}" \
  | grep -vE '^[0-9:.]+ +(INFO|DEBUG)'
