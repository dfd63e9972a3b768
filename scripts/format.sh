#!/usr/bin/env bash
# Formats every C++ file of the project in place (tests/integration/format_test.sh checks it).
set -euo pipefail
cd "$(dirname "$0")/.."
find src grammar tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i
