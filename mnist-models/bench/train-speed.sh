#!/usr/bin/env bash
# Training speed of cnn-dropout on Fashion-MNIST: DL4J (mnistlab's default set-up, and DL4J as
# shipped without the oneDNN helpers) against PyTorch from Debian, side by side in one run.
#
# Usage (from anywhere):  mnist-models/bench/train-speed.sh [full|quick] [repeats]
#   full  : one whole epoch (937 batches at 64, 468 at 128) from a cold start, per process (the
#           numbers recorded in docs/benchmarks.md)
#   quick : 30 warm-up batches, then 300 timed ones (for iterating on the set-up)
# Environment:
#   DATA=/usr/share/datasets/fashion-mnist   (apt-get install -y dataset-fashion-mnist)
#   CLASSIFIERS="linux-x86_64-onednn"         nd4j-native classifiers to compare
#   BATCHES="64 128"                          batch sizes
#   AS_SHIPPED=1                              also run DL4J without the oneDNN helpers
# Needs: apt-get install -y python3-torch libopenblas0-pthread dataset-fashion-mnist
# Prints one RESULT line per run, then a summary with best-of-repeats images/s, ratios to PyTorch's
# best configuration, and the physical limit of this CPU.
set -euo pipefail
MODULE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
MODE="${1:-full}"
REPEATS="${2:-2}"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
CLASSIFIERS="${CLASSIFIERS:-linux-x86_64-onednn}"
BATCH_SIZES="${BATCHES:-64 128}"
AS_SHIPPED="${AS_SHIPPED:-1}"
OUT="$(mktemp -d)/results.txt"

if [[ "$MODE" == quick ]]; then WARMUP=30; TIMED=300; else WARMUP=0; TIMED=0; fi
[[ -f "$DATA/train-images-idx3-ubyte.gz" ]] || { echo "Fashion-MNIST not found in $DATA" >&2; exit 2; }
[[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c "import torch" 2>/dev/null \
  || { echo "PyTorch missing: apt-get install -y python3-torch libopenblas0-pthread" >&2; exit 2; }

(cd "$ROOT" && ./mvnw -B -q -pl mnist-models test-compile) >&2
declare -A CP
for c in $CLASSIFIERS; do
  (cd "$ROOT" && ./mvnw -B -q -pl mnist-models dependency:build-classpath -Dnd4j.classifier="$c" \
      -Dmdep.includeScope=test -Dmdep.outputFile="$OUT.$c.cp") >&2
  CP[$c]="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$OUT.$c.cp")"
done

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ)"
for batch in $BATCH_SIZES; do
  for r in $(seq "$REPEATS"); do
    for c in $CLASSIFIERS; do
      echo "# load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
      java -Xmx4g -Dbatch="$batch" -Dwarmup="$WARMUP" -Dbatches="$TIMED" -Ddata="$DATA" -Dhelpers=on \
        -cp "${CP[$c]}" dev.mnistlab.models.bench.TrainSpeedBenchmark 2>/dev/null | grep '^RESULT' | tee -a "$OUT"
      if [[ "$AS_SHIPPED" == 1 && "$r" == 1 ]]; then
        java -Xmx4g -Dbatch="$batch" -Dwarmup="$WARMUP" -Dbatches="$TIMED" -Ddata="$DATA" -Dhelpers=off \
          -cp "${CP[$c]}" dev.mnistlab.models.bench.TrainSpeedBenchmark 2>/dev/null | grep '^RESULT' | tee -a "$OUT"
      fi
    done
    for variant in default channels_last; do
      echo "# load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
      OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$MODULE/bench/train_speed.py" "$batch" "$WARMUP" "$TIMED" "$DATA" "$variant" \
        | tee -a "$OUT"
    done
  done
done

/usr/bin/python3 - "$OUT" <<'PY'
import collections, re, sys
rows = []
for line in open(sys.argv[1]):
    if line.startswith("RESULT"):
        rows.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
best = collections.defaultdict(float)
firsts = collections.defaultdict(list)
rss = collections.defaultdict(int)
for r in rows:
    if r["impl"] == "dl4j":
        key = ("dl4j " + r.get("classifier", "?") + (" mnistlab-default" if r["helpers"] == "true" else " as-shipped"), r["batch"])
    else:
        key = (r["impl"] + " " + r["variant"], r["batch"])
    best[key] = max(best[key], float(r["img_per_s"]))
    firsts[key].append(float(r["first_batch_from_start_s"]))
    rss[key] = max(rss[key], int(r["peak_rss_mb"]))
mhz = max(float(l.split(":")[1]) for l in open("/proc/cpuinfo") if l.startswith("cpu MHz"))
peak = 2 * 2 * 8 * 2 * mhz * 1e6  # 2 cores x 2 FMA units x 8 floats x 2 flops x clock
# cnn-dropout forward multiply-adds per image; training = forward + backward (data + weights) ~ 3x,
# minus the first convolution's unneeded input gradient
macs = {"conv1": 26*26*32*9, "conv2": 11*11*64*32*9, "dense1": 1600*128, "dense2": 128*10}
train_flops = 2 * (3 * sum(macs.values()) - macs["conv1"])
limit = peak / train_flops
print("\nSUMMARY (best of repeats; images/s)")
for batch in sorted({k[1] for k in best}, key=int):
    torch_best = max(v for k, v in best.items() if k[1] == batch and k[0].startswith("pytorch"))
    for (name, b), v in sorted(best.items()):
        if b != batch:
            continue
        print(f"batch {b:>4}  {name:<45} {v:8.1f} img/s  {v/torch_best:5.2f}x PyTorch-best"
              f"  epoch {60000/v:6.1f} s  first batch {min(firsts[(name,b)]):5.2f} s  peak RSS {rss[(name,b)]} MB")
print(f"physical limit: {train_flops/1e6:.1f} MFLOP per training image, peak {peak/1e9:.1f} GFLOP/s "
      f"(2 cores x 2 FMA x 8 floats x 2 flops x {mhz:.0f} MHz) -> {limit:.0f} img/s, {60000/limit:.1f} s per 60k epoch")
PY
