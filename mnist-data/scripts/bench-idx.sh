#!/usr/bin/env bash
# IDX parsing benchmark: mnistlab's IdxFiles.read vs plain Java gunzip (same JVM) vs numpy, side by
# side in one run, on Fashion-MNIST's train images, plus the verifying read MnistDataset.load does
# (file and decompressed-content SHA-256 in the same pass). Prints the medians and the ratios.
#
#   mnist-data/scripts/bench-idx.sh [file.gz] [warmup] [repetitions] [rounds]
#
# Needs: the repository's ./mvnw, `apt-get install -y dataset-fashion-mnist`, numpy for $PYTHON
# (default /usr/bin/python3, Debian's python3-numpy). Rounds alternate Java and numpy runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
FILE=${1:-/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz}
WARMUP=${2:-5}
REPS=${3:-15}
ROUNDS=${4:-2}
PYTHON=${PYTHON:-/usr/bin/python3}

./mvnw -B -q -pl mnist-data test-compile >/dev/null
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -B -q -pl mnist-data dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="mnist-data/target/test-classes:mnist-data/target/classes:$(cat "$CP_FILE")"

echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "java=$(java -version 2>&1 | head -1)"
echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)"
echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  echo "--- round $round"
  JAVA_OUT=$(java -Xms1g -Xmx2g -cp "$CP" dev.mnistlab.data.bench.IdxParseBenchmark "$FILE" "$WARMUP" "$REPS" 2>/dev/null)
  PY_OUT=$("$PYTHON" mnist-data/scripts/bench_idx_numpy.py "$FILE" "$WARMUP" "$REPS")
  echo "$JAVA_OUT"
  echo "$PY_OUT"
  parse=$(sed -n 's/^java_parse_median_s=//p' <<<"$JAVA_OUT")
  gunzip=$(sed -n 's/^java_gunzip_median_s=//p' <<<"$JAVA_OUT")
  numpy=$(sed -n 's/^numpy_median_s=//p' <<<"$PY_OUT")
  parse_cpu=$(sed -n 's/^java_parse_cpu_median_s=//p' <<<"$JAVA_OUT")
  gunzip_cpu=$(sed -n 's/^java_gunzip_cpu_median_s=//p' <<<"$JAVA_OUT")
  numpy_cpu=$(sed -n 's/^numpy_cpu_median_s=//p' <<<"$PY_OUT")
  verify=$(sed -n 's/^java_parse_verify_median_s=//p' <<<"$JAVA_OUT")
  verify_cpu=$(sed -n 's/^java_parse_verify_cpu_median_s=//p' <<<"$JAVA_OUT")
  awk -v p="$parse" -v g="$gunzip" -v n="$numpy" -v pc="$parse_cpu" -v gc="$gunzip_cpu" -v nc="$numpy_cpu" \
      -v v="$verify" -v vc="$verify_cpu" 'BEGIN {
    printf "ratio wall parse/java_gunzip=%.3f  cpu=%.3f (target <= 1.10)\n", p / g, pc / gc;
    printf "ratio wall parse+sha256(file,content)/java_gunzip=%.3f  cpu=%.3f (verifying read)\n", v / g, vc / gc;
    printf "ratio wall parse/numpy=%.3f  cpu=%.3f (target < 1.00)\n", p / n, pc / nc }'
done
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
