#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/README.md) with clang in build-fuzz/ and runs each
# for a bounded time (FUZZ_SECONDS, default 60) from the shipped seeds plus inputs that reach
# the engine's limits. A crash, a sanitizer report, a timeout or an out-of-memory input is a
# finding: it is written to build-fuzz/findings/ and the script fails. Part of scripts/test.sh.
# The campaigns start from a fixed seed (FUZZ_SEED, 1), so a commit's CI explores the same
# inputs every time; longer campaigns with other seeds are run by hand (tests/fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
seed=${FUZZ_SEED:-1}
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREDDALERT_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target policy_fuzz yaml_fuzz
findings=build-fuzz/findings
corpus=build-fuzz/corpus
rm -rf "$findings" && mkdir -p "$findings" "$corpus/policy" "$corpus/yaml" "$corpus/limits"
# Seeds at the limits: 300 nested parentheses, a chain of 20,000 `+`, 70 chained lets,
# forty doubling constants.
/usr/bin/python3 - "$corpus/limits" <<'PY'
import sys
d = sys.argv[1]
seeds = {
    "parens": "reddalert 1\nconst c = " + "(" * 300 + "1" + ")" * 300 + "\n",
    "plus": "reddalert 1\nconst c = " + " + ".join(["1"] * 20000) + "\n",
    "lets": "reddalert 1\nlet l0 = 1\n" + "".join(f"let l{i} = l{i-1} + 1\n" for i in range(1, 70)),
    "doubling": "reddalert 1\nconst s1 = \"xx\"\n" + "".join(f"const s{i} = s{i-1} + s{i-1}\n" for i in range(2, 41)),
}
for name, text in seeds.items():
    open(f"{d}/{name}.policy", "w").write(text)
PY
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The seeds at the limits once each, whole (a campaign's -max_len would cut them), then the
# campaign, whose inputs stay small enough to run thousands a second.
echo "fuzz: policy_fuzz on the inputs at the limits" >&2
build-fuzz/tests/fuzz/policy_fuzz -timeout=30 -rss_limit_mb=2048 -artifact_prefix="$findings/policy-" "$corpus"/limits/*
echo "fuzz: policy_fuzz for ${seconds}s" >&2
build-fuzz/tests/fuzz/policy_fuzz -seed="$seed" -dict=tests/fuzz/policy.dict -max_len=4096 -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/policy-" \
  "$corpus/policy" policies policies/lib tests/golden/parse tests/golden/lint tests/golden/eval
echo "fuzz: yaml_fuzz for ${seconds}s" >&2
build-fuzz/tests/fuzz/yaml_fuzz -seed="$seed" -dict=tests/fuzz/yaml.dict -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$findings/yaml-" "$corpus/yaml" etc policies
