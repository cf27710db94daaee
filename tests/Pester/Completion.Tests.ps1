#Requires -Version 7.4
# Tab completion of parameters that name kernel things, through TabExpansion2 as the console asks for it:
# each completes from the live system (tracefs, kallsyms, /sys/class/net, libbpf's type names).

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $IsRoot = Test-BpfPrivilege

    # The completions of the input line, with the cursor at its end.
    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
}

AfterAll {
    Assert-NothingLeft $HeldAtStart
}

Describe 'Argument completion' {
    It 'completes <Line> with <Expected>' -ForEach @(
        @{ Line = 'Get-BpfSignalEvent -Signal SIGK'; Expected = 'SIGKILL' }
        @{ Line = 'Get-BpfSignalEvent -Signal KI'; Expected = 'KILL' }
        @{ Line = 'Get-BpfSignalEvent SIGRTMIN'; Expected = 'SIGRTMIN+1' }
        @{ Line = 'Add-BpfXdpFilter -Interface l'; Expected = 'lo' }
        @{ Line = 'Get-BpfXdpFilter -Interface l'; Expected = 'lo' }
        @{ Line = 'Get-BpfMap -Type lpm'; Expected = 'lpm_trie' }
        @{ Line = 'Get-BpfProgram -Type xd'; Expected = 'xdp' }
        @{ Line = 'Get-BpfLink -Type raw'; Expected = 'raw_tracepoint' }
        @{ Line = 'Get-BpfFeature -Name Kp'; Expected = 'Kprobes' }
        @{ Line = 'Get-BpfFeature lpm'; Expected = 'lpm_trie' }
        @{ Line = 'Get-BpfFeature -Category MapType -Name ring'; Expected = 'ringbuf' }
        # tracefs and kallsyms list their names to root only
        @{ Line = 'Start-BpfTrace -Tracepoint sched:sched_pr'; Expected = 'sched:sched_process_exec'; Root = $true }
        @{ Line = 'Get-BpfTracepoint -Name sock:inet_sock'; Expected = 'sock:inet_sock_set_state'; Root = $true }
        @{ Line = 'Start-BpfTrace -Syscall ope'; Expected = 'openat'; Root = $true }
        @{ Line = 'Get-BpfKernelFunction do_unl'; Expected = 'do_unlinkat'; Root = $true }
        @{ Line = 'Start-BpfTrace -KernelFunction do_unl'; Expected = 'do_unlinkat'; Root = $true }
        @{ Line = 'Start-BpfTrace -UserFunction libc:getpp'; Expected = 'libc:getppid' }
        @{ Line = 'Measure-BpfTrace -UserFunction /bin/bash:readl'; Expected = '/bin/bash:readline' }
        @{ Line = "Start-BpfTrace -ProcessId $PID -UserFunction libc.so.6:mallo"; Expected = 'libc.so.6:malloc' }
        @{ Line = 'Measure-BpfTrace -Syscall read -By Proc'; Expected = 'ProcessId' }
        @{ Line = 'Measure-BpfTrace -Syscall write -By Command, cou'; Expected = 'count'; Root = $true }
        @{ Line = 'Measure-BpfTrace -Syscall read -Histogram Dur'; Expected = 'Duration' }
        @{ Line = 'Measure-BpfTrace -Tracepoint signal:signal_generate -By si'; Expected = 'sig'; Root = $true }
        @{ Line = 'Measure-BpfTrace -Tracepoint sched:sched_pr'; Expected = 'sched:sched_process_exec'; Root = $true }
    ) {
        if ($Root -and -not $IsRoot) { Set-ItResult -Skipped -Because 'tracefs and kallsyms need root' }
        Complete $Line | Should -Contain $Expected
    }

    It 'completes -Command with the names of running processes, and -Cgroup with the cgroups below the one typed' {
        Complete "Start-BpfTrace -Exec -Command $((Get-Process -Id $PID).ProcessName.Substring(0, 3))" | Should -Contain (Get-Content /proc/$PID/comm)
        $mount = Get-Cgroup2Mount
        if (-not $mount -or -not $IsRoot) { Set-ItResult -Skipped -Because 'it creates a cgroup v2 directory: root and a cgroup2 mount' }
        $name = "ebpfps-complete-$PID"
        $null = New-Item -ItemType Directory (Join-Path $mount $name 'inner') -Force
        try {
            Complete "Start-BpfTrace -Exec -Cgroup ebpfps-compl" | Should -Contain $name
            @(Complete "Start-BpfTrace -Exec -Cgroup $name/") | Should -Be @("$name/inner")
        }
        finally { foreach ($dir in (Join-Path $mount $name 'inner'), (Join-Path $mount $name)) { [System.IO.Directory]::Delete($dir) } }
    }

    It 'completes a wildcard pattern with every name it matches' {
        @(Complete 'Get-BpfSignalEvent -Signal SIG*USR*') | Should -Be @('SIGUSR1', 'SIGUSR2')
    }

    It 'offers only names that start as typed' -Skip:(-not (Test-Path /sys/kernel/tracing/available_events)) {
        $syscalls = @(Complete 'Start-BpfTrace -Syscall ope')
        $syscalls | Should -Not -BeNullOrEmpty
        $syscalls | ForEach-Object { $_ | Should -BeLike 'ope*' }
    }
}

Describe 'Completion of feature and map names' {
    It 'offers exactly the feature names Get-BpfFeature reports' {
        # struct_ops is both a program type and a map type: one name to complete
        @(Complete 'Get-BpfFeature -Name ') | Sort-Object | Should -Be @((Get-BpfFeature).Name | Select-Object -Unique | Sort-Object)
        @(Complete 'Get-BpfFeature -Category Kernel -Name ') | Sort-Object | Should -Be @((Get-BpfFeature -Category Kernel).Name | Sort-Object)
    }

    It 'completes -Name of <Command> with the maps loaded in the kernel' -Skip:(-not $IsRoot) -ForEach @(
        @{ Command = 'Read-BpfMap' }, @{ Command = 'Write-BpfMap' }, @{ Command = 'Remove-BpfMapEntry' }, @{ Command = 'Get-BpfMap' }
    ) {
        $name = "ebpfps_c$([System.Environment]::ProcessId % 1000000)"
        $pin = "/sys/fs/bpf/ebpfps-pester-$([guid]::NewGuid().ToString('N'))"
        & bpftool map create $pin type hash key 4 value 4 entries 4 name $name
        try {
            @(Complete "$Command -Name $($name.Substring(0, 9))") | Should -Contain $name
            @(Complete "$Command $name") | Should -Be $name # the positional -Name too
        }
        finally { [System.IO.File]::Delete($pin) }
        @(Complete "$Command -Name $name") | Should -BeNullOrEmpty # the map is gone once its pin is
    }

    It "completes -Name with -Trace with the running trace's maps" -Skip:(-not $IsRoot) {
        $script:job = Start-BpfTrace -Syscall getppid -AsJob
        try {
            @(Complete 'Read-BpfMap -Trace $job -Name by') | Should -Be 'by_nr'
            @(Complete 'Read-BpfMap -Trace $job -Name ') | Sort-Object | Should -Be @($job.Trace.MapNames | Sort-Object)
        }
        finally { $script:job | Stop-Job; $script:job | Remove-Job }
    }
}
