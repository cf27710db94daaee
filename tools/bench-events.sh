#!/usr/bin/env bash
# Event delivery benchmark (bench/EventDelivery): EbpfPS's engine and Start-BpfTrace in a hosted runspace
# against bpftrace, on the same load generator, in one run. Root needed. Options go to the benchmark:
#   tools/bench-events.sh [--calls 200000] [--signals 100000] [--rate 400000] [--seconds 2]
#                         [--pipeline-rate 250000] [--flood 1000000] [--measured 10000000] [--no-bpftrace] [--short]
# --short (or EBPFPS_BENCH_SHORT=1): every row, with counts a hundredth or less, in about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/EbpfPS/EbpfPS.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet run -c Release --project bench/EventDelivery -- "$@"
