#!/usr/bin/env bash
# ctest's entry to the editor tests: run.sh grammar|client. Skips (exit 77, SKIP_RETURN_CODE)
# only when node is absent; a missing test package is a failure, since scripts/setup.sh
# installs it (npm ci here) wherever node is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (scripts/setup.sh installs Debian's nodejs and npm)"
  exit 77
fi
case "${1:-}" in
  grammar)
    for p in vscode-textmate vscode-oniguruma; do
      if [ ! -f "$here/node_modules/$p/package.json" ]; then
        echo "editors_vscode_grammar: $here/node_modules/$p is missing: run scripts/setup.sh" \
          "(or npm ci in editors/vscode/test)" >&2
        exit 1
      fi
    done
    exec node "$here/grammar_test.js" "$here/../../.." ;;
  client) exec node "$here/extension_test.js" ;;
  *) echo "usage: run.sh grammar|client" >&2; exit 2 ;;
esac
