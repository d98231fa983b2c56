#!/usr/bin/env bash
# Writes every zoo model's text summary and SVG architecture picture to mnist-models/docs/zoo/.
set -euo pipefail
MODULE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
CPFILE="$(mktemp)"
(cd "$ROOT" && ./mvnw -B -q -pl mnist-models test-compile dependency:build-classpath \
   -Dmdep.includeScope=test -Dmdep.outputFile="$CPFILE") >&2
cd "$MODULE"
java -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$CPFILE")" \
  dev.mnistlab.models.bench.ZooPictures "${1:-$MODULE/docs/zoo}" 2>/dev/null
