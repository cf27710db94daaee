#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine for EbpfPS (as root): the packages it builds and tests with,
# pwsh 7.6 and Pester 5 where they are missing, the kernel file systems it uses, and the build itself.
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $(id -u) -ne 0 ]]; then
  echo "setup: run as root (sudo $0): it installs packages and mounts tracefs and bpffs." >&2
  exit 1
fi

packages=(clang llvm libbpf-dev libbpf1 bpftool libelf-dev iproute2 iputils-ping iptables bpftrace python3 util-linux chromium
          openssh-server openssh-client)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET SDK (dotnet, 8.0 or newer) is missing: install it first." >&2; exit 1; }

# pwsh: the one on PATH when it is 7.4 or newer, else the PowerShell .NET tool, pinned (7.7.0 does not
# run on this SDK), linked into /usr/local/bin.
pwsh_tool=/opt/ebpfps/pwsh
pwsh_ok() { command -v pwsh >/dev/null && pwsh -NoLogo -NoProfile -Command 'if ($PSVersionTable.PSVersion -lt [version]"7.4") { exit 1 }'; }
if ! pwsh_ok; then
  echo "setup: installing pwsh 7.6.10 (the PowerShell .NET tool) into $pwsh_tool"
  dotnet tool install --tool-path "$pwsh_tool" PowerShell --version 7.6.10 >/dev/null
  ln -sf "$pwsh_tool/pwsh" /usr/local/bin/pwsh
  pwsh_ok || { echo "setup: pwsh from $pwsh_tool does not start" >&2; exit 1; }
fi

# Pester 5.7.1 where every user's pwsh finds it (the AllUsers module path). NuGet's package holds the
# module in tools/; dotnet restores it without building anything.
pester=/usr/local/share/powershell/Modules/Pester/5.7.1
if [[ ! -f $pester/Pester.psd1 ]]; then
  echo "setup: installing Pester 5.7.1 into $pester"
  fetch=$(mktemp -d)
  cat >"$fetch/fetch.csproj" <<'PROJ'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[5.7.1]" /></ItemGroup>
</Project>
PROJ
  dotnet restore "$fetch/fetch.csproj" --packages "$fetch/packages" -v quiet >/dev/null
  mkdir -p "$pester"
  cp -r "$fetch/packages/pester/5.7.1/tools/." "$pester/"
  rm -rf "$fetch"
fi

# Kernel file systems: tracefs for tracepoint formats and trace_pipe, bpffs for pinned objects.
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

dotnet build EbpfPS.sln -nologo -v quiet -clp:ErrorsOnly
echo "setup: $(pwsh -NoLogo -NoProfile -Command '"pwsh $($PSVersionTable.PSVersion), Pester $((Get-Module -ListAvailable Pester | Sort-Object Version -Descending)[0].Version)"'); built the module into out/EbpfPS"
