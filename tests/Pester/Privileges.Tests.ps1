#Requires -Version 7.4
# Every exported cmdlet that touches the kernel, run by an unprivileged user (uid 65534, no capabilities) and by one
# with only CAP_BPF and CAP_PERFMON: each either works or fails with its error id, its category and a recommendation.
# All commands of one kind of user run in one pwsh (started by setpriv), which prints one line per command.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
    $script:HasSetpriv = [bool](Get-Command setpriv -CommandType Application -ErrorAction Ignore)
    # Command, then the error id without capabilities, then with CAP_BPF and CAP_PERFMON (or 'works').
    $script:Table = @(
        @{ Command = 'Get-BpfProgram'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' } # listing needs CAP_SYS_ADMIN
        @{ Command = 'Get-BpfMap'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Get-BpfLink'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Get-BpfMap -Id 1'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' } # so does opening by id
        @{ Command = 'Read-BpfMap -Name counts'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Read-BpfMap -Id 1'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Write-BpfMap -Id 1 -Key 1 -Value 1'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Remove-BpfMapEntry -Id 1 -Key 1 -Confirm:$false'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Get-BpfTracepoint sched:sched_switch'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' } # tracefs: root only
        @{ Command = 'Get-BpfTraceLog -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Get-BpfSignalEvent -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'works' } # BTF tracepoints: no tracefs
        @{ Command = 'Start-BpfTrace -Syscall getppid -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Start-BpfTrace -Exec -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Start-BpfTrace -Tracepoint sched:sched_process_exit -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Start-BpfTrace -Path OBJECT -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Start-BpfTrace -KernelFunction do_unlinkat -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'KernelSupport' } # see $CanHookFunctions
        @{ Command = 'Measure-BpfTrace -Syscall getppid -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Get-BpfXdpFilter'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' } # CAP_NET_ADMIN
        # an interface that does not exist: the privileges are checked first, and no host interface is touched
        @{ Command = 'Add-BpfXdpFilter -Interface ebpfps-none0 -Protocol Icmp -Action Drop -Confirm:$false'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Remove-BpfXdpFilter -Interface ebpfps-none0 -Confirm:$false'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Get-BpfFeature'; Nobody = 'works'; Capabilities = 'works' } # reads what the kernel says, loads nothing it needs privileges for
        @{ Command = 'Get-BpfKernelFunction -Name do_unlinkat'; Nobody = 'works'; Capabilities = 'works' }
        @{ Command = 'Start-BpfTrace -UserFunction libc:getppid -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' } # uprobes: CAP_SYS_ADMIN
        @{ Command = 'Get-BpfUserFunction libc getppid'; Nobody = 'works'; Capabilities = 'works' } # reads the library's symbols only
        @{ Command = 'Get-BpfCpuProfile -Duration 00:00:01'; Nobody = 'BpfPermissionDenied'; Capabilities = 'works' } # perf_event programs and CPU-wide perf events: CAP_BPF + CAP_PERFMON
        @{ Command = "Export-BpfFlameGraph -Path /dev/null -Format Folded -InputObject ([pscustomobject]@{ Command = 'x'; Stack = 'a;b'; Count = 1 })"; Nobody = 'works'; Capabilities = 'works' } # writes a file only
        # loading, attaching to cgroups and interfaces, pinning: CAP_NET_ADMIN as well as CAP_BPF and CAP_PERFMON
        @{ Command = 'Register-BpfProgram -Path OBJECT -Name ebpfps-privileges -Confirm:$false'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Unregister-BpfProgram -Name ebpfps-privileges -Confirm:$false'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
        @{ Command = 'Get-BpfRegistration'; Nobody = 'BpfPermissionDenied'; Capabilities = 'BpfPermissionDenied' }
    )
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram)
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force

    # Each command of the table run as uid 65534 with the capabilities given: command -> "id|category|recommendation|message"
    # (the error id without the command's name, on one line), or "works".
    function Invoke-Unprivileged([string[]] $Capabilities) {
        $commands = $Table | ForEach-Object { $_.Command.Replace('OBJECT', $Object) }
        $script = ($commands | ForEach-Object {
                "try { $_ -ErrorAction Stop -WarningAction SilentlyContinue | Out-Null; 'works' } catch { (`$_.FullyQualifiedErrorId.Split(',')[0], `$_.CategoryInfo.Category, `$_.ErrorDetails.RecommendedAction, `$_.Exception.Message) -join '|' -replace '\r?\n', ' ' }"
            }) -join '; '
        $caps = if ($Capabilities) { $list = ($Capabilities | ForEach-Object { "+$_" }) -join ','; '--inh-caps', $list, '--ambient-caps', $list }
        $pwsh = @(Get-PwshArgument $script)
        $lines = @(& setpriv @caps --reuid 65534 --regid 65534 --clear-groups @pwsh 2>&1)
        if ($lines.Count -ne $Table.Count) { throw "expected $($Table.Count) lines, got: $($lines -join "`n")" }
        $results = @{}
        for ($i = 0; $i -lt $Table.Count; $i++) { $results[$Table[$i].Command] = "$($lines[$i])" }
        $results
    }
}

AfterAll {
    Assert-NothingLeft $HeldAtStart
}

Describe 'Every cmdlet as another user' -Skip:(-not $IsRoot -or -not $HasSetpriv) {
    BeforeAll {
        . "$PSScriptRoot/Support/Pwsh.ps1"
        # the user's object, where uid 65534 may read it
        $Work = [System.IO.Directory]::CreateTempSubdirectory('ebpfps-privileges-').FullName
        & chmod 0755 $Work
        $Object = Join-Path $Work 'counter.bpf.o'
        Build-BpfObject "$PSScriptRoot/fixtures/getppid-counter.bpf.c" $Object
        & chmod 0644 $Object

        $AsNobody = Invoke-Unprivileged
        $AsCapable = Invoke-Unprivileged bpf, perfmon
        # Kernel functions: where neither kprobes nor fentry work, that is the error whatever the privileges;
        # elsewhere the capabilities may be enough for one of them.
        $CanHookFunctions = @(Get-BpfFeature -Name Kprobes, Fentry | Where-Object Supported).Count -gt 0
    }
    AfterAll { [System.IO.Directory]::Delete($Work, $true) }

    It 'has a row for every exported cmdlet' {
        $covered = $Table.Command | ForEach-Object { ($_ -split ' ')[0] } | Sort-Object -Unique
        (Get-Command -Module EbpfPS -CommandType Cmdlet).Name | Where-Object { $_ -notin $covered } | Should -BeNullOrEmpty
    }

    It 'without any capability: <Command> <Nobody>' -ForEach $Table {
        $result = $AsNobody[$Command]
        if ($Nobody -eq 'works') { $result | Should -Be 'works'; return }
        $id, $category, $recommendation, $message = $result -split '\|', 4
        $id | Should -Be $Nobody -Because $result
        $category | Should -Be 'PermissionDenied'
        $recommendation | Should -Not -BeNullOrEmpty -Because $result
    }

    It 'with only CAP_BPF and CAP_PERFMON: <Command> <Capabilities>' -ForEach $Table {
        $result = $AsCapable[$Command]
        $expected = $Capabilities
        if ($expected -eq 'KernelSupport') { $expected = if ($CanHookFunctions) { $null } else { 'KernelFunctionTracingNotSupported' } }
        if ($expected -eq 'works' -or ($null -eq $expected -and $result -eq 'works')) { $result | Should -Be 'works'; return }
        $id, $category, $recommendation, $message = $result -split '\|', 4
        if ($expected) { $id | Should -Be $expected -Because $result }
        $category | Should -Be $(switch ($id) { 'BpfPermissionDenied' { 'PermissionDenied' } 'KernelFunctionTracingNotSupported' { 'NotImplemented' } default { $category } })
        $category | Should -Not -Be 'NotSpecified' -Because $result
        $recommendation | Should -Not -BeNullOrEmpty -Because $result
        # before: "grant CAP_BPF and CAP_PERFMON" to a process that had them
        $recommendation | Should -Not -BeLike '*grant CAP_BPF and CAP_PERFMON*' -Because $result
    }
}
