#!/usr/bin/env bash
# The kernel matrix: the tests run inside other kernels than the host's, booted under QEMU by
# tools/vm/run-in-kernel.sh against this checkout's build (run tools/test.sh or dotnet build first).
# Default kernels: Debian bookworm's 6.1 (linux-image-amd64) and 6.12 (linux-image-6.12-amd64), which
# have the kprobes and fentry this project's development kernel lacks.
# One line per kernel: `vm KERNEL: N passed, N failed, N skipped`; exit code 1 when any failed.
#   tests/vm/matrix.sh [PACKAGE...]
set -uo pipefail
cd "$(dirname "$0")/../.."
packages=("$@")
((${#packages[@]})) || packages=(linux-image-amd64 linux-image-6.12-amd64)
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
status=0

for package in "${packages[@]}"; do
  # 40 minutes at most per kernel: a hung guest ends as a failure, never as a hung CI.
  tools/vm/run-in-kernel.sh --timeout 2400 "$package" -- tests/vm/in-guest.sh 2>&1 | tee "$log/$package.txt"
  code=${PIPESTATUS[0]}
  kernel=$(grep -aoE '^== kernel [^ ]+' "$log/$package.txt" | head -1 | cut -d' ' -f3)
  kernel=${kernel:-$package}
  # xunit v3: "Total: T, Errors: E, Failed: F, Skipped: S, Not Run: N"; Pester: "pester: P passed, F failed, S skipped".
  read -r total errors failed skipped < <(grep -aoE 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+' "$log/$package.txt" |
    tail -1 | grep -oE '[0-9]+' | tr '\n' ' ')
  pester=$(grep -aE '^pester: ' "$log/$package.txt" | tail -1)
  p_passed=$(grep -oE '[0-9]+ passed' <<<"$pester" | grep -oE '[0-9]+')
  p_failed=$(grep -oE '[0-9]+ failed' <<<"$pester" | grep -oE '[0-9]+')
  p_skipped=$(grep -oE '[0-9]+ skipped' <<<"$pester" | grep -oE '[0-9]+')
  if [[ -z ${total:-} || -z $pester ]]; then
    echo "vm $kernel: the guest did not finish both runners (run-in-kernel exit $code)"
    failed=$(( ${failed:-0} + ${errors:-0} + ${p_failed:-0} + 1 ))
  else
    failed=$((failed + errors + p_failed))
  fi
  passed=$(( ${total:-0} - ${failed:-0} - ${skipped:-0} + ${p_passed:-0} ))
  ((passed >= 0)) || passed=0
  echo "vm $kernel: $passed passed, $failed failed, $(( ${skipped:-0} + ${p_skipped:-0} )) skipped"
  ((failed == 0 && code == 0)) || status=1
  unset total errors failed skipped
done
exit $status
