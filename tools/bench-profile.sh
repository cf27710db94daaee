#!/usr/bin/env bash
# CPU profiler benchmark (root): Get-BpfCpuProfile at 99 and 999 Hz beside bpftrace's
# `profile:hz:N { @[kstack, ustack] = count(); }`, each sampling every CPU while one busy process
# (bench/Profile/busy.c) spins. Per row: the busy process's speed against its untraced runs (the profiler's
# overhead), the profiler's peak memory (max RSS; pwsh with the module imported), and the time from the end of
# the sampling to the result (Get-BpfCpuProfile: measured in pwsh, reading and naming the stacks; bpftrace: its
# wall time past the duration, its start included). tools/bench-profile.sh [--short]: 2 s rows instead of 10.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10
[[ "${1:-}" == --short || "${EBPFPS_BENCH_SHORT:-}" == 1 ]] && seconds=2
module=out/EbpfPS/EbpfPS.psd1
[[ -f $module ]] || { echo "bench-profile: build the module first (./build.ps1)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/busy" bench/Profile/busy.c
profile=$((seconds + 3)) # the busy process runs once the profiler is attached, and ends before the sampling does

# Runs the busy process once a process whose command line has $1 holds perf events (the profiler is attached), so
# that the profiler's start (pwsh's, the module's import) does not count as its overhead.
busy() {
	for _ in $(seq 600); do
		for p in $(pgrep -f -- "$1" || true); do
			if ls -l "/proc/$p/fd" 2>/dev/null | grep -q 'perf_event'; then
				"$work/busy" "$seconds" > "$work/rate"
				return
			fi
		done
		sleep 0.05
	done
	echo "bench-profile: the profiler never attached" >&2
	echo 0 > "$work/rate"
}

untraced=()
for _ in 1 2 3; do "$work/busy" "$seconds" > "$work/rate"; untraced+=("$(cat "$work/rate")"); done
baseline=$(printf '%s\n' "${untraced[@]}" | sort -n | sed -n 2p) # the median of three

printf '%-36s %12s %10s %12s %16s %8s\n' Profiler 'Busy speed' Overhead 'Peak memory' 'Time to result' Stacks
printf '%-36s %12s %10s %12s %16s %8s\n' "untraced (median of ${untraced[*]})" "$baseline/s" - - - -
row() { # name, rate, peak KB, ms to result, stacks
	awk -v n="$1" -v r="$2" -v b="$baseline" -v m="$3" -v t="$4" -v s="$5" \
		'BEGIN { printf "%-36s %12s %9.1f%% %9.0f MB %13.0f ms %8s\n", n, r "/s", 100 * (1 - r / b), m / 1024, t, s }'
}

for hz in 99 999; do
	busy "Get-BpfCpuProfile -Duration $profile -Frequency $hz" & b=$!
	/usr/bin/time -o "$work/time" -f '%M' pwsh -NoLogo -NoProfile -Command "
		Import-Module ./$module
		\$clock = [Diagnostics.Stopwatch]::StartNew()
		\$samples = Get-BpfCpuProfile -Duration $profile -Frequency $hz -WarningAction SilentlyContinue
		'{0} {1}' -f (\$clock.ElapsedMilliseconds - $profile * 1000), @(\$samples).Count" > "$work/out"
	wait $b
	read -r ms stacks < "$work/out"
	row "Get-BpfCpuProfile -Frequency $hz" "$(cat "$work/rate")" "$(cat "$work/time")" "$ms" "$stacks"
done

if command -v bpftrace > /dev/null; then
	for hz in 99 999; do
		busy "profile:hz:$hz" & b=$!
		start=$(date +%s%N)
		/usr/bin/time -o "$work/time" -f '%M' bpftrace -e "profile:hz:$hz { @[kstack, ustack] = count(); } interval:s:$profile { exit(); }" > "$work/out" 2>&1
		ms=$(( ($(date +%s%N) - start) / 1000000 - profile * 1000 ))
		wait $b
		# bpftrace 0.17 on 6.18 prints "failed to look up stack id ... -9" for each key instead of its stacks: say so
		stacks=$(grep -c '^@\[' "$work/out" || true)
		failed=$(grep -c 'failed to look up stack id' "$work/out" || true)
		(( failed > 0 )) && stacks="$stacks ($failed failed)"
		row "bpftrace profile:hz:$hz" "$(cat "$work/rate")" "$(cat "$work/time")" "$ms" "$stacks"
	done
else
	echo "bpftrace is not installed: its rows are left out"
fi
