#!/usr/bin/env bash
# The JVM package (Kotlin, usable from Java): builds and tests it.
#
#   kotlin/build.sh build [debug|jvm-release]   the library, the bindings, one kotlinc run
#   kotlin/build.sh test                        build (debug) and run the Kotlin tests and
#                                               the Java example against avochato-mock
#   kotlin/build.sh jar                         build (jvm-release) and pack avochato.jar
#                                               (classes + the native library for JNA)
#   kotlin/build.sh bench calls URL ID SECRET N the benchmark against avochato.jar (make bench;
#                                               JSON on the last line of its output)
#
# Outputs go to $CARGO_TARGET_DIR/kotlin (target/kotlin by default). The cdylib reuses the
# workspace's target folder; the Kotlin compile is skipped while its inputs are unchanged
# (kotlinc takes about a minute, so everything is compiled in one invocation).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CARGO=${CARGO:-cargo}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
OUT=$TARGET/kotlin
KOTLIN_HOME=${KOTLIN_HOME:-$ROOT/kotlin/tools/node_modules/kotlin-compiler}
KOTLINC=$KOTLIN_HOME/bin/kotlinc
JNA_JAR=${JNA_JAR:-/usr/share/java/jna.jar}
JACKSON_CP=/usr/share/java/jackson-databind.jar:/usr/share/java/jackson-core.jar:/usr/share/java/jackson-annotations.jar
RUNTIME_CP=$JNA_JAR:$KOTLIN_HOME/lib/kotlin-stdlib.jar:$KOTLIN_HOME/lib/kotlinx-coroutines-core-jvm.jar
say() { printf '\033[1m[kotlin]\033[0m %s\n' "$*" >&2; }

for need in "$KOTLINC" "$JNA_JAR"; do
  [ -e "$need" ] || { echo "$need is missing: run scripts/setup.sh jvm" >&2; exit 1; }
done
command -v javac >/dev/null || { echo "javac is missing: run scripts/setup.sh jvm" >&2; exit 1; }

# The native library for PROFILE, and the generator (a debug build, whatever the profile).
native() {
  local profile=$1
  if [ "$profile" = debug ]; then
    say "cargo build -p avochato-uniffi (with its uniffi-bindgen)"
    $CARGO build --quiet -p avochato-uniffi --features bindgen
    LIB_DIR=$TARGET/debug
  else
    say "cargo build -p avochato-uniffi --profile $profile"
    $CARGO build --quiet -p avochato-uniffi --profile "$profile"
    $CARGO build --quiet -p avochato-uniffi --features bindgen --bin uniffi-bindgen
    LIB_DIR=$TARGET/$profile
  fi
  LIB=$LIB_DIR/libavochato_uniffi.so
  BINDGEN=$TARGET/debug/uniffi-bindgen
}

# The Kotlin sources uniffi and the glue generator write, from the library's metadata.
generate() {
  local gen=$OUT/gen
  rm -rf "$gen.new"
  "$BINDGEN" generate --library "$LIB" --language kotlin --no-format \
    --config "$ROOT/kotlin/uniffi.toml" --out-dir "$gen.new" >/dev/null
  "$BINDGEN" kotlin-glue "$gen.new/com/avochato/AvochatoResources.kt"
  rm -rf "$gen"
  mv "$gen.new" "$gen"
}

# A hash of the files (and of the compilers) a compile step reads.
stamp_of() {
  (cat "$KOTLIN_HOME/build.txt"; java -version 2>&1; for f in "$@"; do echo "$f"; cat "$f"; done) | sha256sum | cut -c1-16
}

# One kotlinc run for the package and its tests, then javac for the Java example; skipped
# while the sources and the compilers are those of the last run.
compile() {
  local sources stamp
  sources=$(find "$OUT/gen" "$ROOT/kotlin/src/main" "$ROOT/kotlin/src/test" -name '*.kt' -o -name '*.java' | LC_ALL=C sort)
  # shellcheck disable=SC2086
  stamp=$(stamp_of $sources)
  if [ -f "$OUT/classes/.stamp" ] && [ "$(cat "$OUT/classes/.stamp")" = "$stamp" ]; then
    return
  fi
  say "kotlinc: the package and its tests (about a minute)"
  rm -rf "$OUT/classes" "$OUT/java"
  mkdir -p "$OUT/classes" "$OUT/java"
  # shellcheck disable=SC2046
  JAVA_OPTS="${JAVA_OPTS:--Xss8m}" "$KOTLINC" -nowarn -jvm-target 17 -module-name avochato -cp "$RUNTIME_CP" -d "$OUT/classes" \
    $(printf '%s\n' $sources | grep '\.kt$')
  # shellcheck disable=SC2046
  javac -nowarn -d "$OUT/java" -cp "$OUT/classes:$RUNTIME_CP" $(printf '%s\n' $sources | grep '\.java$')
  echo "$stamp" >"$OUT/classes/.stamp"
}

build() {
  native "${1:-debug}"
  mkdir -p "$OUT"
  generate
  compile
}

case "${1:-test}" in
  build)
    build "${2:-debug}"
    echo "$OUT"
    ;;
  test)
    build debug
    MOCK=${AVOCHATO_MOCK_BIN:-$TARGET/debug/avochato-mock}
    [ -x "$MOCK" ] || $CARGO build --quiet -p avochato-mock
    say "the Kotlin tests and the Java example, against avochato-mock"
    java -Djna.library.path="$LIB_DIR" -Davochato.root="$ROOT" \
      -Davochato.java.classpath="$OUT/java:$OUT/classes:$RUNTIME_CP" \
      -cp "$OUT/classes:$RUNTIME_CP" com.avochato.tests.MainKt "$MOCK"
    ;;
  jar)
    build jvm-release
    rm -rf "$OUT/jar" && mkdir -p "$OUT/jar/linux-x86-64"
    cp -r "$OUT/classes/com" "$OUT/classes/META-INF" "$OUT/jar/"
    rm -rf "$OUT/jar/com/avochato/tests" "$OUT/jar/com/avochato/example"
    cp "$LIB" "$OUT/jar/linux-x86-64/"
    # The symbol table is what uniffi-bindgen reads the interface from (done above); the
    # shipped copy keeps only the dynamic symbols JNA calls.
    if command -v strip >/dev/null; then strip --strip-unneeded "$OUT/jar/linux-x86-64/libavochato_uniffi.so"; fi
    rm -f "$OUT/avochato.jar"
    (cd "$OUT/jar" && jar --create --file "$OUT/avochato.jar" .)
    say "$OUT/avochato.jar ($(du -k "$OUT/avochato.jar" | cut -f1) KB; needs JNA, kotlin-stdlib and kotlinx-coroutines)"
    echo "$OUT/avochato.jar"
    ;;
  bench)
    shift
    "$0" jar >/dev/null
    for j in ${JACKSON_CP//:/ }; do
      [ -e "$j" ] || { echo "$j is missing: run scripts/setup.sh jvm" >&2; exit 1; }
    done
    bench_sources=$(find "$ROOT/kotlin/src/bench" -name '*.kt' | LC_ALL=C sort)
    # shellcheck disable=SC2086
    stamp=$(stamp_of "$OUT/classes/.stamp" $bench_sources)
    if [ ! -f "$OUT/bench/.stamp" ] || [ "$(cat "$OUT/bench/.stamp")" != "$stamp" ]; then
      say "kotlinc: the benchmark"
      rm -rf "$OUT/bench" && mkdir -p "$OUT/bench"
      # shellcheck disable=SC2086
      "$KOTLINC" -nowarn -jvm-target 17 -cp "$OUT/avochato.jar:$RUNTIME_CP:$JACKSON_CP" -d "$OUT/bench" $bench_sources
      echo "$stamp" >"$OUT/bench/.stamp"
    fi
    # The native library comes from the jar (JNA unpacks it), as for a user of the package.
    java -cp "$OUT/avochato.jar:$OUT/bench:$RUNTIME_CP:$JACKSON_CP" com.avochato.bench.BenchKt "$@"
    ;;
  *)
    echo "usage: kotlin/build.sh build [debug|jvm-release] | test | jar | bench calls URL ID SECRET N" >&2
    exit 2
    ;;
esac
