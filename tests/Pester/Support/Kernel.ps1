# Shared by the suites that load BPF programs: dot-source it in BeforeDiscovery and BeforeAll.

# Root, or at least CAP_SYS_ADMIN (bit 21 of CapEff): what loading BPF programs needs.
function Test-BpfPrivilege {
    $capEff = [System.IO.File]::ReadAllLines('/proc/self/status') | Where-Object { $_ -like 'CapEff:*' }
    ([Convert]::ToUInt64($capEff.Split(':')[1].Trim(), 16) -band (1 -shl 21)) -ne 0
}

# What this process still holds of the kernel: descriptors of BPF programs, maps and links, and perf events
# (tracepoint attachments). Only our own: other processes tracing on the same kernel do not count.
function Get-OurProgram {
    foreach ($fd in [System.IO.Directory]::GetFiles("/proc/$PID/fd")) {
        $target = try { [System.IO.FileInfo]::new($fd).LinkTarget } catch { $null }
        if ($target -like 'anon_inode:bpf*' -or $target -eq 'anon_inode:[perf_event]') { "$fd -> $target" }
    }
}

# Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified beside v1), or nothing.
function Get-Cgroup2Mount {
    foreach ($line in [System.IO.File]::ReadAllLines('/proc/self/mountinfo')) {
        $fields = $line -split ' '
        if ($fields[[array]::IndexOf($fields, '-') + 1] -eq 'cgroup2') { return $fields[4] }
    }
}
