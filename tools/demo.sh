#!/usr/bin/env bash
# The main job: in pwsh, trace every signal on the system for a few seconds and print them as a table.
# A few signals are sent on purpose (to a sleep that ignores one of them) so that there is always something to see.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}

(
  until bpftool prog show 2>/dev/null | grep -q ebpfps_signal_e; do sleep 0.05; done
  bash -c "trap '' USR1; exec sleep 30" & target=$!
  sleep 0.5
  kill -USR1 "$target"; sleep 0.2; /bin/kill -s TERM "$target"
) >/dev/null 2>&1 &

pwsh -NoLogo -NoProfile -Command "Import-Module ./out/EbpfPS/EbpfPS.psd1; Get-BpfSignalEvent -Duration ([timespan]::FromSeconds($seconds))"
wait
