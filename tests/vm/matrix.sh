#!/usr/bin/env bash
# The kernel matrix: the tests run inside other kernels than the host's, booted under QEMU by
# tools/vm/run-in-kernel.sh against this checkout's build (run tools/test.sh or dotnet build first).
# Default kernels: Debian bullseye's 5.10 (the oldest long-term kernel in wide use), bookworm's 6.1
# (linux-image-amd64) and 6.12 (linux-image-6.12-amd64); the host's 6.18 lacks their kprobes and fentry.
# Guests run side by side, as many as the machine has CPUs (QEMU runs each guest on one host thread);
# their consoles are printed one after another once all ended.
# One line per kernel: `vm KERNEL: N passed, N failed, N skipped`; exit code 1 when any failed.
#   tests/vm/matrix.sh [PACKAGE...]
set -uo pipefail
cd "$(dirname "$0")/../.."
packages=("$@")
((${#packages[@]})) || packages=(bullseye/linux-image-amd64 linux-image-amd64 linux-image-6.12-amd64)
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
status=0

# Downloads first, one at a time (apt's lock), then the guests in parallel.
for package in "${packages[@]}"; do tools/vm/run-in-kernel.sh --prepare "$package" || status=1; done
file() { echo "$log/${1//\//-}"; }
for package in "${packages[@]}"; do
  while (($(jobs -rp | wc -l) >= $(nproc))); do wait -n; done
  # 25 minutes at most per kernel (10 are usual, side by side): a hung guest ends as a failure, never as a hung CI.
  { tools/vm/run-in-kernel.sh --timeout 1500 "$package" -- tests/vm/in-guest.sh >"$(file "$package").txt" 2>&1; echo $? >"$(file "$package").code"; } &
done
wait

for package in "${packages[@]}"; do
  cat "$(file "$package").txt"
  code=$(cat "$(file "$package").code")
  kernel=$(grep -aoE '^== kernel [^ ]+' "$(file "$package").txt" | head -1 | cut -d' ' -f3 | tr -d '\r') # the guest's console ends lines with CR LF
  kernel=${kernel:-$package}
  # xunit v3: "Total: T, Errors: E, Failed: F, Skipped: S"; Pester: "pester: P passed, F failed, S skipped".
  xunit=$(grep -aoE 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+' "$(file "$package").txt" | tail -1)
  pester=$(grep -aE '^pester: ' "$(file "$package").txt" | tail -1)
  number() { grep -oE "$1: [0-9]+|[0-9]+ $1" <<<"$2" | grep -oE '[0-9]+' || echo 0; }
  total=$(number Total "$xunit") skipped=$(( $(number Skipped "$xunit") + $(number skipped "$pester") ))
  failed=$(( $(number Errors "$xunit") + $(number Failed "$xunit") + $(number failed "$pester") ))
  passed=$(( total - $(number Errors "$xunit") - $(number Failed "$xunit") - $(number Skipped "$xunit") + $(number passed "$pester") ))
  if [[ -z $xunit || -z $pester ]]; then
    echo "vm $kernel: the guest did not finish both test runners (run-in-kernel exit $code)"
    failed=$((failed + 1))
  fi
  echo "vm $kernel: $passed passed, $failed failed, $skipped skipped"
  ((failed == 0 && code == 0)) || status=1
done
exit $status
