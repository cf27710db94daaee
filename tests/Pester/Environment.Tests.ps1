#Requires -Version 7.4
# The module where the machine lacks what it needs: tracefs, bpffs or BTF not mounted. Each test runs a pwsh
# in a private mount namespace (unshare -m) where the test has taken the mount away, so nothing changes for
# the rest of the machine.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    . "$PSScriptRoot/Support/Pwsh.ps1"

    # Runs $Command in a new pwsh inside a private mount namespace, after the shell lines $Prepare; returns
    # its output lines.
    function Invoke-InMountNamespace([string] $Prepare, [string] $Command) {
        $pwsh = @(Get-PwshArgument $Command) | ForEach-Object { "'" + $_.Replace("'", "'\''") + "'" }
        $script = [System.IO.Path]::GetTempFileName()
        [System.IO.File]::WriteAllText($script, "$Prepare`nexec $($pwsh -join ' ') 2>&1`n")
        try { & unshare --mount --propagation private bash $script } finally { [System.IO.File]::Delete($script) }
    }

    # Each failure as one line: its error id, then its recommendation.
    $Report = 'catch { "error: " + $_.FullyQualifiedErrorId.Split(",")[0] + " | " + $_.ErrorDetails.RecommendedAction }'
}

Describe 'Without the mounts the module needs' -Skip:(-not $IsRoot) {
    It 'mounts tracefs itself where it is not mounted' {
        $out = Invoke-InMountNamespace 'umount -l /sys/kernel/tracing 2>/dev/null; umount -l /sys/kernel/debug 2>/dev/null; grep -c " tracefs " /proc/self/mountinfo' `
            "try { (Get-BpfTracepoint sched:sched_process_exec).Name; @(Select-String ' tracefs ' /proc/self/mountinfo).Count } $Report"
        $out | Should -Be @('0', 'sched:sched_process_exec', '1')
    }

    It 'says what is missing, and how to get it, where tracefs cannot be mounted and BTF is absent' {
        # an empty /sys/kernel: no tracing directory to mount tracefs on, no /sys/kernel/btf/vmlinux
        $out = Invoke-InMountNamespace 'mount -t tmpfs none /sys/kernel' `
            "try { Get-BpfTracepoint sched:sched_process_exec } $Report; try { Start-BpfTrace -Exec -Count 1 -Duration 00:00:02 } $Report"
        $out[0] | Should -BeLike 'error: TraceFsUnavailable | Mount it: mount -t tracefs nodev /sys/kernel/tracing*'
        $out[1] | Should -BeLike 'error: KernelBtfMissing | Boot a kernel built with CONFIG_DEBUG_INFO_BTF=y*'
        $out.Count | Should -Be 2
    }

    It 'mounts bpffs for the map an object shares by name, warning that the pin lasts as long as the mount namespace' {
        $object = Join-Path ([System.IO.Path]::GetTempPath()) "ebpfps-shared-$PID.bpf.o"
        Build-BpfObject "$PSScriptRoot/fixtures/shared-counter.bpf.c" $object
        try {
            $out = Invoke-InMountNamespace 'umount -l /sys/fs/bpf' ("try { `$j = Start-BpfTrace -Path '$object' -Set @{ target_pid = 1 } -AsJob -WarningVariable w -WarningAction SilentlyContinue; " +
                "`$j | Remove-Job -Force; `$w.Message -like 'Mounted the BPF file system at /sys/fs/bpf*'; Test-Path /sys/fs/bpf/ebpfps_shared_calls } $Report")
        }
        finally { Remove-Item $object }
        # (libbpf alone failed to load it with EINVAL)
        $out | Should -Be @('True', 'True')
    }

    It 'tells that nothing is pinned where bpffs is not mounted' {
        $out = Invoke-InMountNamespace 'umount -l /sys/fs/bpf' "try { Read-BpfMap -Path /sys/fs/bpf/ebpfps-x -ErrorAction Stop } $Report"
        $out | Should -BeLike 'error: BpfPinNotFound | Give the path of a pinned object under a bpffs mount*'
    }
}
