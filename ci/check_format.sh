#!/usr/bin/env bash
# Checks that every C++ file of the project matches its .clang-format (Debian 12's clang-format 14: another
# version may format differently). Prints the files that do not and the command that fixes them.
#   ci/check_format.sh          # check
#   ci/check_format.sh --fix    # reformat in place
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null 2>&1; then
  echo "check_format: clang-format is not installed (ci/install_deps.sh installs it)" >&2
  exit 77
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cc' '*.h' '*.cpp' '*.hpp')
else
  mapfile -t files < <(find emulator plugins fixtures tests examples bench tools -name '*.cc' -o -name '*.h' \
    -o -name '*.cpp' -o -name '*.hpp' 2>/dev/null | sort)
fi
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf 'not formatted: %s\n' "${bad[@]}" >&2
  echo "fix with: ci/check_format.sh --fix" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted as .clang-format says"
