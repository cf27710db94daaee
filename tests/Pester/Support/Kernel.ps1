# Shared by the suites that load BPF programs: dot-source it in BeforeDiscovery and BeforeAll.

# Root, or at least CAP_SYS_ADMIN (bit 21 of CapEff): what loading BPF programs needs.
function Test-BpfPrivilege {
    $capEff = [System.IO.File]::ReadAllLines('/proc/self/status') | Where-Object { $_ -like 'CapEff:*' }
    ([Convert]::ToUInt64($capEff.Split(':')[1].Trim(), 16) -band (1 -shl 21)) -ne 0
}

# The programs of EbpfPS still loaded in the kernel. The kernel frees a released program after an RCU
# grace period, so this waits a moment for the list to empty before it answers.
function Get-OurProgram {
    $deadline = [datetime]::UtcNow.AddSeconds(3)
    do {
        $ours = @(bpftool prog show | Where-Object { $_ -match '\sname ebpfps' })
        if ($ours.Count -eq 0) { break }
        [System.Threading.Thread]::Sleep(20)
    } while ([datetime]::UtcNow -lt $deadline)
    $ours
}
