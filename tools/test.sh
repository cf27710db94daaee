#!/usr/bin/env bash
# The whole test suite: build, the xunit engine tests, then the Pester suites in the launcher (real
# Pester 5 when installed, the compatible runner otherwise). Ends with `tests: N passed, N failed, N skipped`.
# Kernel tests need root; without it they skip and say why.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
passed=0 failed=0 skipped=0

count() { # adds the numbers of a line "... N passed ... N failed ... N skipped" (any order, any case)
  local line=$1 n
  n=$(grep -oiE '[0-9]+ passed|passed: *[0-9]+' <<<"$line" | grep -oE '[0-9]+' | head -1); passed=$((passed + ${n:-0}))
  n=$(grep -oiE '[0-9]+ failed|failed: *[0-9]+' <<<"$line" | grep -oE '[0-9]+' | head -1); failed=$((failed + ${n:-0}))
  n=$(grep -oiE '[0-9]+ skipped|skipped: *[0-9]+' <<<"$line" | grep -oE '[0-9]+' | head -1); skipped=$((skipped + ${n:-0}))
}

echo "== build"
if ! dotnet build EbpfPS.sln -nologo -v quiet -clp:ErrorsOnly; then
  echo "tests: 0 passed, 1 failed (the build failed)"
  exit 1
fi

echo "== xunit"
dotnet test EbpfPS.sln --no-build -nologo 2>&1 | tee "$log/xunit.txt"
status=${PIPESTATUS[0]}
summaries=$(grep -E '^(Passed|Failed)! ' "$log/xunit.txt")
while IFS= read -r line; do [[ -n $line ]] && count "$line"; done <<<"$summaries"
if [[ $status -ne 0 && -z $(grep -E '^Failed! ' "$log/xunit.txt") ]]; then
  failed=$((failed + 1)); echo "xunit: the test run itself failed (exit $status)"
fi

echo "== pester"
./ebpfps -NoProfile -File tests/Invoke-PesterSuites.ps1 2>&1 | tee "$log/pester.txt"
status=${PIPESTATUS[0]}
summary=$(grep -E '^pester: ' "$log/pester.txt" | tail -1)
if [[ -n $summary ]]; then count "$summary"; else failed=$((failed + 1)); echo "pester: the runner did not finish (exit $status)"; fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
