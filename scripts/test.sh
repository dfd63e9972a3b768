#!/usr/bin/env bash
# Every test, twice: on the release build (scripts/setup.sh), then built with AddressSanitizer
# and UndefinedBehaviorSanitizer (the `sanitize` preset), where any error found stops the
# process with exit 99 and fails its test; then each fuzz target for FUZZ_SECONDS (60) with
# clang (scripts/fuzz.sh). About 20 minutes on 2 cores from a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --preset default
echo "test: the same tests under AddressSanitizer and UndefinedBehaviorSanitizer" >&2
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize -j"$(nproc)"
scripts/fetch_sarif_schema.sh build-sanitize/deps/sarif-schema-2.1.0.json
ctest --preset sanitize -j"$(nproc)"
scripts/fuzz.sh
