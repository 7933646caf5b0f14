#!/usr/bin/env bash
# Makes the self-contained Headlight for this platform with the JDK's jlink and jpackage, then runs its launcher
# without any JDK on PATH. Called by Maven (see pom.xml): in the test phase (image and check only) and by
# ./build dist (also the archives).
#
#   scripts/dist.sh VERSION CLASSPATH [--archives]
#
# CLASSPATH is the runtime class path Maven resolved (target/classes and the dependency jars): the JavaFX jars
# (modular, with their native libraries inside) are linked into the runtime, the rest go on the class path.
# Output in target/dist/: headlight/ (the app image), and with --archives
# headlight-VERSION-linux-x64.tar.gz and, when dpkg-deb and fakeroot are present, a .deb with a desktop entry.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/find-jdk.sh
. "$root/scripts/find-jdk.sh"

version=$1
classpath=$2
archives=false
[ "${3:-}" = --archives ] && archives=true

if ! jdk=$(headlight_find_jdk); then
    headlight_no_jdk_message
    exit 1
fi
for tool in jlink jpackage jar; do
    if [ ! -x "$jdk/bin/$tool" ]; then
        echo "dist: $jdk has no $tool; a full JDK $HEADLIGHT_MIN_JAVA is needed" >&2
        exit 1
    fi
done
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) platform=linux-x64 ;;
    Linux-aarch64) platform=linux-aarch64 ;;
    Darwin-*) platform=macos-$(uname -m) ;;
    *) platform=$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m) ;;
esac

out="$root/target/dist"
work="$root/target/dist-work"
rm -rf "$work" "$out"
mkdir -p "$work/fx" "$work/input/lib" "$out"
started=$(date +%s)

# --- inputs: the app jar (target/classes as the jar plugin packs it), the libraries, the JavaFX modules
IFS=':' read -r -a entries <<< "$classpath"
for entry in "${entries[@]}"; do
    name=$(basename "$entry")
    if [ -d "$entry" ]; then
        "$jdk/bin/jar" --create --file "$work/input/headlight.jar" --main-class dev.headlight.Headlight -C "$entry" .
    elif [[ $name == javafx-* ]]; then
        # only the platform jars are modules (javafx-base-26.0.2-linux.jar); the plain ones are empty stand-ins
        if "$jdk/bin/jar" tf "$entry" | grep -q '^module-info.class$'; then
            cp "$entry" "$work/fx/"
        fi
    else
        cp "$entry" "$work/input/lib/"
    fi
done
cp -r "$root/sample-models" "$work/input/sample-models"
rm -f "$work/input/sample-models/regenerate.sh"

# --- runtime: only the modules Headlight uses (jdeps on the jars, plus what they load reflectively:
# java.logging for ControlsFX, jdk.unsupported for JavaFX, jdk.zipfs), JavaFX linked in from its modular jars.
modules=java.base,java.desktop,java.logging,java.management,java.prefs,java.sql,java.xml,jdk.unsupported,jdk.zipfs
modules=$modules,jdk.incubator.vector,javafx.controls,javafx.swing
"$jdk/bin/jlink" --module-path "$work/fx" --add-modules "$modules" --strip-debug --no-header-files \
    --no-man-pages --exclude-resources='glob:/javafx.*/*.so,glob:/javafx.*/*.dll,glob:/javafx.*/*.dylib' \
    --output "$work/runtime" 2>&1 | grep -v 'Using incubator modules' >&2 || true
[ -x "$work/runtime/bin/java" ] || { echo "dist: jlink failed" >&2; exit 1; }
# JavaFX's native libraries go where its jmods would put them, the runtime's lib/: loaded from there instead of
# being unpacked into ~/.openjfx/cache on every new machine.
for jar in "$work"/fx/*.jar; do
    libs=$("$jdk/bin/jar" tf "$jar" | grep -E '\.(so|dylib|dll)$' || true)
    if [ -n "$libs" ]; then
        # shellcheck disable=SC2086
        (cd "$work/runtime/lib" && "$jdk/bin/jar" xf "$jar" $libs)
    fi
done

# --- app image: the launcher has the module flags baked in; the samples sit beside the jar, where
# SampleModels finds them.
jpackage_common=(--name headlight --app-version "$version" --vendor "Headlight"
    --description "Attention-pattern explorer for transformer language models"
    --icon "$root/src/main/packaging/headlight.png")
"$jdk/bin/jpackage" --type app-image "${jpackage_common[@]}" --dest "$out" \
    --input "$work/input" --main-jar headlight.jar --main-class dev.headlight.Headlight \
    --runtime-image "$work/runtime" \
    --java-options '--add-modules=jdk.incubator.vector,javafx.controls,javafx.swing' \
    --java-options '--enable-native-access=ALL-UNNAMED,javafx.graphics' \
    --java-options '--add-exports=javafx.base/com.sun.javafx.event=ALL-UNNAMED' \
    --java-options '-Xss4m'
image="$out/headlight"
launcher="$image/bin/headlight"
[ -x "$launcher" ] || { echo "dist: jpackage made no launcher at $launcher" >&2; exit 1; }
echo "dist: app image $image ($(du -sh "$image" | cut -f1)) in $(($(date +%s) - started)) s" >&2

# --- check: the launcher with no JDK anywhere in reach (JAVA_HOME unset, PATH without java); arguments:
# what, then VAR=VALUE settings and the command
check() {
    local what=$1
    shift
    if ! env -i HOME="$work/home" PATH=/nonexistent LANG=C.UTF-8 "$@" > "$work/check.out" 2> "$work/check.err"; then
        echo "dist: the image's launcher failed: $what" >&2
        cat "$work/check.out" "$work/check.err" >&2
        exit 1
    fi
}
mkdir -p "$work/home"
sample="$image/lib/app/sample-models/induction-2l"
check "--version" "$launcher" --version
grep -q "^headlight $version\$" "$work/check.out" || { echo "dist: --version says $(head -1 "$work/check.out")" >&2; exit 1; }
check "inspect" "$launcher" inspect --model "$sample"
grep -q 'GPT2LMHeadModel' "$work/check.out" || { echo "dist: inspect printed no model" >&2; exit 1; }
check "analyze" "$launcher" analyze --model "$sample" --prompt "ABCDEFGHIJABCDEFGHIJ" --out "$work/trace.safetensors"
[ -s "$work/trace.safetensors" ] || { echo "dist: analyze wrote no trace" >&2; exit 1; }
# the weight-based circuit scores: eigenvalues and SVDs from the linear algebra libraries, inside the jlinked runtime
check "circuits" "$launcher" circuits --model "$sample" --top 2 --json "$work/circuits.json"
grep -q '"copying"' "$work/circuits.json" || { echo "dist: circuits wrote no copying scores" >&2; exit 1; }
check "the window (headless) on the sample model" HEADLIGHT_HEADLESS=1 "$launcher" --exit-after-start
grep -q 'first maps' "$work/check.err" || { echo "dist: the window showed no maps" >&2; cat "$work/check.err" >&2; exit 1; }
maps=$(grep 'first maps' "$work/check.err")
# a failure while the window starts is one line (not JavaFX's "Exception in Application start method" and a stack
# trace): a preferences node name that the Preferences API refuses makes the window's start fail
if env -i HOME="$work/home" PATH=/nonexistent LANG=C.UTF-8 HEADLIGHT_HEADLESS=1 \
    JAVA_TOOL_OPTIONS=-Dheadlight.prefs.node=bad//node "$launcher" --exit-after-start \
    > "$work/check.out" 2> "$work/check.err"; then
    echo "dist: a window that could not start exited 0" >&2
    exit 1
fi
lines=$(grep -c -v -e '^Picked up JAVA_TOOL_OPTIONS' -e '^WARNING: Using incubator modules' "$work/check.err" || true)
if [ "$lines" -ne 1 ]; then
    echo "dist: a window that could not start printed $lines lines instead of one:" >&2
    cat "$work/check.err" >&2
    exit 1
fi
echo "dist: checked without a JDK: --version, inspect, analyze, circuits, the window headless, a failed window start in one line ($maps)" >&2

$archives || exit 0

# --- archives
tar -czf "$out/headlight-$version-$platform.tar.gz" -C "$out" headlight
echo "dist: $out/headlight-$version-$platform.tar.gz" >&2
if [ "$(uname -s)" = Linux ]; then
    if command -v dpkg-deb > /dev/null 2>&1 && command -v fakeroot > /dev/null 2>&1; then
        "$jdk/bin/jpackage" --type deb "${jpackage_common[@]}" --dest "$out" --app-image "$image" \
            --linux-shortcut --linux-menu-group "Development;Science;Education" --linux-app-category science \
            --linux-deb-maintainer "headlight@localhost"
        echo "dist: $(ls "$out"/*.deb)" >&2
    else
        echo "dist: no .deb (dpkg-deb and fakeroot are needed; apt-get install dpkg fakeroot)" >&2
    fi
fi
