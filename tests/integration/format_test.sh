#!/usr/bin/env bash
# Every C++ file is formatted as .clang-format says.
set -euo pipefail
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find src grammar tests bench -name '*.[ch]pp')
clang-format --dry-run --Werror $files
echo "clang-format: $(echo "$files" | wc -w) files clean"
