#!/usr/bin/env bash
# The whole test suite: build, the xunit engine tests, then the Pester suites in pwsh with Pester 5 (both
# installed by tools/setup.sh). Ends with `tests: N passed, N failed, N skipped`; the runners' results
# (TRX, NUnit XML) are kept in out/test-results.
# Kernel tests need root; without it they skip and say why. Then the kernel matrix (tests/vm/matrix.sh):
# the same tests inside Debian's 6.1 and 6.12 kernels under QEMU, which have the kprobes and fentry this
# machine's kernel may lack (root; ~10 minutes per kernel; EBPFPS_VM_MATRIX=0 leaves it out).
set -uo pipefail
# The Ctrl-C tests send SIGINT to the pwsh they start. A shell that runs this script in the background
# (`cmd &` without job control) makes it ignore SIGINT, children inherit that, and no shell can undo it:
# start again with SIGINT at its default.
if (( 0x$(awk '/^SigIgn:/ {print $2}' /proc/$$/status) & 2 )); then
  exec python3 -c 'import os, signal as s, sys; [s.signal(n, s.SIG_DFL) for n in (s.SIGINT, s.SIGQUIT, s.SIGPIPE, s.SIGXFSZ)]; os.execv(sys.argv[1], sys.argv[1:])' "$0" "$@"
fi
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
dotnet test EbpfPS.sln --no-build -nologo --logger trx --results-directory out/test-results 2>&1 | tee "$log/xunit.txt"
status=${PIPESTATUS[0]}
summaries=$(grep -E '^(Passed|Failed)! ' "$log/xunit.txt")
while IFS= read -r line; do [[ -n $line ]] && count "$line"; done <<<"$summaries"
# A leak check (KernelLeakCheck) fails a whole test class at its cleanup, outside the per-test counts.
cleanups=$(grep -c 'Test Class Cleanup Failure' "$log/xunit.txt")
failed=$((failed + cleanups))
if [[ $status -ne 0 && $cleanups -eq 0 && -z $(grep -E '^Failed! ' "$log/xunit.txt") ]]; then
  failed=$((failed + 1)); echo "xunit: the test run itself failed (exit $status)"
fi

# As root the kernel tests must run: a skip for want of privileges would hide them.
if [[ $(id -u) -eq 0 ]] && grep -qs 'needs root' $(find out/test-results -name '*.trx' -newer "$log"); then
  failed=$((failed + 1)); echo "xunit: run as root, yet kernel tests skipped for want of privileges"
fi

echo "== pester"
pwsh -NoLogo -NoProfile -File tests/Invoke-PesterSuites.ps1 2>&1 | tee "$log/pester.txt"
status=${PIPESTATUS[0]}
summary=$(grep -E '^pester: [0-9]+ passed' "$log/pester.txt" | tail -1)
if [[ -n $summary ]]; then count "$summary"; else failed=$((failed + 1)); echo "pester: the runner did not finish (exit $status)"; fi
# As root the kernel Describes must run too (tests/Pester/Support/Kernel.ps1 says when they will not).
if [[ $(id -u) -eq 0 ]] && grep -qs 'kernel tests skipped for want of privileges' "$log/pester.txt"; then
  failed=$((failed + 1)); echo "pester: run as root, yet kernel tests skipped for want of privileges"
fi

if [[ ${EBPFPS_VM_MATRIX:-1} != 0 ]]; then
  echo "== kernel matrix"
  if [[ $(id -u) -ne 0 ]]; then
    echo "kernel matrix: skipped, it needs root (QEMU, apt-get, BPF inside the guests)"
  else
    tests/vm/matrix.sh 2>&1 | tee "$log/matrix.txt"
    lines=$(grep -E '^vm .*: [0-9]+ passed' "$log/matrix.txt")
    while IFS= read -r line; do [[ -n $line ]] && count "$line"; done <<<"$lines"
    [[ -n $lines ]] || { failed=$((failed + 1)); echo "kernel matrix: no kernel reported results"; }
  fi
fi

# The failures again, last: CI keeps only the end of a long log.
if [[ $failed -ne 0 ]]; then
  echo "== failures"
  cat "$log"/*.txt | awk '/^\[-\] |\[FAIL\]/ { show = 15; print; next } show-- > 0 && /^ / { print; next } { show = 0 }'
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
