#Requires -Version 7.4
# Tab completion of parameters that name kernel things, through TabExpansion2 as the console asks for it:
# each completes from the live system (tracefs, kallsyms, /sys/class/net, libbpf's type names).

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force

    # The completions of the input line, with the cursor at its end.
    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
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
    ) {
        Complete $Line | Should -Contain $Expected
    }

    It 'completes a wildcard pattern with every name it matches' {
        $signals = @(Complete 'Get-BpfSignalEvent -Signal SIG*USR*')
        $signals | Should -Be @('SIGUSR1', 'SIGUSR2')
    }
}

Describe 'Argument completion from tracefs and kallsyms' -Skip:(-not $IsRoot) {
    It 'completes <Line> with <Expected>' -ForEach @(
        @{ Line = 'Start-BpfTrace -Tracepoint sched:sched_pr'; Expected = 'sched:sched_process_exec' }
        @{ Line = 'Get-BpfTracepoint -Name sock:inet_sock'; Expected = 'sock:inet_sock_set_state' }
        @{ Line = 'Start-BpfTrace -Syscall ope'; Expected = 'openat' }
        @{ Line = 'Get-BpfKernelFunction do_unl'; Expected = 'do_unlinkat' }
        @{ Line = 'Start-BpfTrace -KernelFunction do_unl'; Expected = 'do_unlinkat' }
    ) {
        Complete $Line | Should -Contain $Expected
    }

    It 'offers only names that start as typed' {
        $syscalls = @(Complete 'Start-BpfTrace -Syscall ope')
        $syscalls | Should -Not -BeNullOrEmpty
        $syscalls | ForEach-Object { $_ | Should -BeLike 'ope*' }
    }
}
