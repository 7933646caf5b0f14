#!/usr/bin/env bash
# Regenerates the sample models with Headlight's own trainer (pure Java, CPU). Run from anywhere:
#   bash sample-models/regenerate.sh [induction-2l|tiny-lm ...]
# Same as "headlight train ..." with the arguments below: 2-8 minutes per model. The committed models were trained
# with one thread (THREADS=1, the default here); more threads change the order of float sums and so the exact weights.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/train-classpath.txt >/dev/null
CP="target/classes:$(cat target/train-classpath.txt)"

train() { # train NAME ARGS... : trains into a fresh folder, then replaces sample-models/NAME (keeping its README.md)
    local name=$1; shift
    local tmp="target/sample-$name"
    rm -rf "$tmp"
    "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$CP" dev.headlight.cli.TrainCommand \
        "$@" --out "$tmp"
    find "sample-models/$name" -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} + 2>/dev/null || true
    mkdir -p "sample-models/$name"
    cp -r "$tmp"/. "sample-models/$name/"
}

models=("$@")
[ ${#models[@]} -eq 0 ] && models=(induction-2l tiny-lm)
for m in "${models[@]}"; do
    case "$m" in
        induction-2l) train induction-2l --task induction --layers 2 --heads 2 --d-model 32 \
                          --context 48 --steps 800 --checkpoint-every 100 \
                          --batch 64 --lr 0.003 --warmup 100 --seed 1 --threads "${THREADS:-1}" ;;
        tiny-lm) train tiny-lm --task grammar --lines 20000 --vocab 1024 --layers 2 --heads 4 --d-model 64 \
                     --context 64 --steps 2500 --checkpoint-every 500 --batch 32 --lr 0.003 --seed 1 --threads "${THREADS:-1}" ;;
        *) echo "unknown sample model '$m' (induction-2l, tiny-lm)" >&2; exit 2 ;;
    esac
done
