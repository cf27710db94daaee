#Requires -Version 7.4
# Get-BpfTracepoint against this kernel's tracefs: what it writes is compared with the format files themselves.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    . "$PSScriptRoot/Support/Pwsh.ps1"
    $Events = '/sys/kernel/tracing/events'

    function Get-IdFile([string] $Category, [string] $Name) {
        [int] [System.IO.File]::ReadAllText("$Events/$Category/$Name/id").Trim()
    }
}

AfterAll {
    Assert-NothingLeft $HeldAtStart
}

Describe 'Get-BpfTracepoint' -Skip:(-not $IsRoot) {
    It 'describes sock:inet_sock_set_state as its format file does' {
        $t = Get-BpfTracepoint -Name sock:inet_sock_set_state

        $t.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfTracepointInfo'
        $t.Name | Should -Be 'sock:inet_sock_set_state'
        $t.Category | Should -Be 'sock'
        $t.Id | Should -Be (Get-IdFile sock inet_sock_set_state)
        $t.PrintFormat | Should -BeLike '"family=%s protocol=%s*'
        $t.Fields.Name | Should -Be @('skaddr', 'oldstate', 'newstate', 'sport', 'dport', 'family', 'protocol', 'saddr', 'daddr', 'saddr_v6', 'daddr_v6')

        $format = [System.IO.File]::ReadAllText("$Events/sock/inet_sock_set_state/format")
        foreach ($field in $t.Fields) {
            $format | Should -Match ([regex]::Escape("$($field.Name)") + "(\[\d+\])?;\s+offset:$($field.Offset);\s+size:$($field.Size);\s+signed:$([int]$field.Signed);")
        }
        $newstate = $t.Fields | Where-Object Name -eq newstate
        $newstate.Symbols[[long]1] | Should -Be 'TCP_ESTABLISHED'
        $newstate.Symbols[[long]10] | Should -Be 'TCP_LISTEN'
        ($t.Fields | Where-Object Address).Name | Should -Be @('saddr', 'daddr', 'saddr_v6', 'daddr_v6')
        ($t.Fields | Where-Object Name -eq saddr_v6).Address | Should -Be 'IPv6'
        ($t.Fields | Where-Object Name -eq saddr).ArrayLength | Should -Be 4
        # Export-Csv writes the fields as the format declares them, not as a type name
        ($t | ConvertTo-Csv | ConvertFrom-Csv).Fields | Should -Be ('const void * skaddr, int oldstate, int newstate, __u16 sport, __u16 dport, __u16 family, __u16 protocol, ' +
            '__u8 saddr[4], __u8 daddr[4], __u8 saddr_v6[16], __u8 daddr_v6[16]')
    }

    It 'names the flags of a __print_flags field in the format order' {
        $flags = (Get-BpfTracepoint filelock:posix_lock_inode).Fields | Where-Object Name -eq flags
        $flags.FlagNames[0].Value | Should -Be 'FL_POSIX'
        $flags.FlagNames[0].Key | Should -Be 1
        $flags.Symbols | Should -BeNullOrEmpty
    }

    It 'takes wildcards, names without a category and names from the pipeline, each tracepoint once' {
        $sock = @(Get-BpfTracepoint 'sock:*')
        $sock.Count | Should -Be @([System.IO.Directory]::GetDirectories("$Events/sock")).Count
        $sock.Category | Sort-Object -Unique | Should -Be 'sock'

        (Get-BpfTracepoint sched_process_exec).Name | Should -Be 'sched:sched_process_exec'
        @(Get-BpfTracepoint 'sock:inet_sock_set_state', 'sock:*', 'sock:inet_sock_set_state').Count | Should -Be $sock.Count

        ('sched:sched_process_exec' | Get-BpfTracepoint).Id | Should -Be (Get-IdFile sched sched_process_exec)
        ([pscustomobject]@{ Tracepoint = 'sched:sched_process_exec' } | Get-BpfTracepoint).Id | Should -Be (Get-IdFile sched sched_process_exec)
    }

    It 'lists every tracepoint without -Name' {
        $all = @(Get-BpfTracepoint)
        $files = @(& bash -c "ls -d $Events/*/*/format")
        $all.Count | Should -Be $files.Count
        @($all.Id | Sort-Object -Unique).Count | Should -Be $all.Count
    }

    It 'writes a TracepointNotFound error per unknown name and goes on' {
        $found = Get-BpfTracepoint nosuch:event, sched:sched_process_exec, no_such_event -ErrorVariable failures -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'sched:sched_process_exec'
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -Be 'TracepointNotFound,EbpfPS.Commands.GetBpfTracepointCommand'
        $failures[0].TargetObject | Should -Be 'nosuch:event'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[1].TargetObject | Should -Be 'no_such_event'
        $failures[1].ErrorDetails.RecommendedAction | Should -BeLike '*wildcards*'

        { Get-BpfTracepoint nosuch:event -ErrorAction Stop } | Should -Throw -ErrorId 'TracepointNotFound,EbpfPS.Commands.GetBpfTracepointCommand'
    }

    It 'writes nothing and no error for a wildcard that matches nothing' {
        $found = @(Get-BpfTracepoint 'nosuch:*', '*ebpfps_no_such*' -ErrorVariable failures)
        $found.Count | Should -Be 0
        $failures.Count | Should -Be 0
    }

    It 'rejects an empty name and a name with an empty part' {
        { Get-BpfTracepoint -Name '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,EbpfPS.Commands.GetBpfTracepointCommand'
        { Get-BpfTracepoint -Name 'sock:' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTracepointName,EbpfPS.Commands.GetBpfTracepointCommand'
    }

    It 'prints a table of tracepoints, a list that lays out the record and a table of fields' {
        $table = Get-BpfTracepoint sock:inet_sock_set_state | Out-String
        $table | Should -Match 'Id\s+Name\s+Fields'
        $table | Should -Match "$(Get-IdFile sock inet_sock_set_state)\s+sock:inet_sock_set_state\s+skaddr, oldstate, newstate"

        $list = Get-BpfTracepoint sock:inet_sock_set_state | Format-List | Out-String
        $list | Should -Match '20\s+4\s+int newstate\s+\(TCP_ESTABLISHED=1, TCP_SYN_SENT=2'
        $list | Should -Match '40\s+16\s+__u8 saddr_v6\[16\]\s+\(IPv6 address\)'
        $list | Should -Match 'PrintFormat : "family=%s'

        $fields = (Get-BpfTracepoint filelock:posix_lock_inode).Fields | Out-String -Width 160
        $fields | Should -Match 'Offset\s+Size\s+Type\s+Name\s+Values'
        $fields | Should -Match '52\s+4\s+unsigned int\s+flags\s+FL_POSIX=0x1\|FL_FLOCK=0x2'
    }
}

Describe 'Get-BpfTracepoint without root' -Skip:(-not $IsRoot) {
    It 'tells an unprivileged user that reading tracefs needs root' {
        $pwsh = Get-PwshArgument '$ErrorView = "NormalView"; Get-BpfTracepoint sock:*'   # NormalView prints the error id
        $output = & setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp DOTNET_CLI_HOME=/tmp @pwsh 2>&1
        $LASTEXITCODE | Should -Be 1
        ($output -join "`n") | Should -Match 'BpfPermissionDenied'
        ($output -join "`n") | Should -Match 'needs root'
    }
}
