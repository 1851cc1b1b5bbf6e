#!/bin/sh
# Builds the libFuzzer target .build/fuzz/onestop-fuzz (ingest, normalise, dedupe; AddressSanitizer).
# Kept out of `swift build`: -sanitize=fuzzer needs the fuzzer runtime, which the Swift toolchain
# ships (usr/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a). Run from the repository root.
set -eu
SWIFTC=${SWIFTC:-swiftc}
OUT=${FUZZ_BUILD:-.build/fuzz}
mkdir -p "$OUT"
XML_CFLAGS=$(pkg-config --cflags libxml-2.0)
CC_FLAGS=""
for flag in $XML_CFLAGS; do CC_FLAGS="$CC_FLAGS -Xcc $flag"; done
# Instrument the library code for coverage and ASan; the fuzzer's main comes in at the final link.
COMMON="-parse-as-library -O -g -sanitize=fuzzer,address -enable-testing -swift-version 6"

module() {  # module NAME: a static library and its .swiftmodule from Sources/NAME
    echo "fuzz build: $1"
    # shellcheck disable=SC2086
    "$SWIFTC" $COMMON $CC_FLAGS -I "$OUT" -I Sources/CLibXML2 \
        -emit-library -static -module-name "$1" -emit-module -emit-module-path "$OUT/$1.swiftmodule" \
        -o "$OUT/lib$1.a" Sources/"$1"/*.swift
}
module OneStopModel
module OneStopIngest
module OneStopNormalise

echo "fuzz build: onestop-fuzz"
# shellcheck disable=SC2086
"$SWIFTC" -parse-as-library -O -g -sanitize=fuzzer,address -swift-version 6 $CC_FLAGS -I "$OUT" -I Sources/CLibXML2 \
    Fuzz/FuzzIngest.swift Fuzz/FuzzDialects.swift Tests/OneStopNormaliseTests/ReferenceNormaliser.swift \
    -L "$OUT" -lOneStopIngest -lOneStopNormalise -lOneStopModel -lxml2 -lz \
    -use-ld=lld -o "$OUT/onestop-fuzz"
echo "built $OUT/onestop-fuzz"
