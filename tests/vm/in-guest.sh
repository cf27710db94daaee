#!/usr/bin/env bash
# Runs inside a guest kernel (tests/vm/matrix.sh): the xunit test executable in-process (dotnet test
# through MSBuild takes minutes under emulation), then the Pester tests tagged KernelMatrix (what the
# host kernel may not run: Start-BpfTrace -KernelFunction; PowerShell is slow under emulation, the
# xunit suite covers the rest of the cmdlets there). Prints each runner's summary.
set -uo pipefail
cd "$(dirname "$0")/../.."
echo "== kernel $(uname -r)"
tests/EbpfPS.Tests/bin/Debug/net10.0/EbpfPS.Tests -noColor -parallel none
pwsh -NoLogo -NoProfile -File tests/Invoke-PesterSuites.ps1 -Path tests/Pester/Start-BpfTrace.Tests.ps1 -Tag KernelMatrix \
  -ResultPath "out/test-results/pester-$(uname -r).xml"
