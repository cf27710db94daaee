#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine for EbpfPS (as root): the packages it builds and tests with,
# the kernel file systems it uses, and the build itself. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $(id -u) -ne 0 ]]; then
  echo "setup: run as root (sudo $0): it installs packages and mounts tracefs and bpffs." >&2
  exit 1
fi

packages=(clang llvm libbpf-dev libbpf1 bpftool libelf-dev iproute2 iputils-ping bpftrace python3 util-linux)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET SDK (dotnet, 8.0 or newer) is missing: install it first." >&2; exit 1; }

# Kernel file systems: tracefs for tracepoint formats and trace_pipe, bpffs for pinned objects.
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

dotnet build EbpfPS.sln -nologo -v quiet -clp:ErrorsOnly
echo "setup: built the module into out/EbpfPS and the launcher into out/host"
