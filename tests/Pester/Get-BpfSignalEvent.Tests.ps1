#Requires -Version 7.4
# Get-BpfSignalEvent on the real kernel. Every test causes its own signals (a child it starts, signalled
# by /bin/kill, a separate short-lived sender) and asserts on exactly those events.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    . "$PSScriptRoot/Support/Pwsh.ps1"
    $Children = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()

    # A child to signal: `bash -c $Script`, ready once its comm is $ReadyComm (e.g. after `exec sleep`).
    function Start-Child([string] $Script, [string] $ReadyComm = 'sleep') {
        $info = [System.Diagnostics.ProcessStartInfo]::new('bash')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add($Script)
        $child = [System.Diagnostics.Process]::Start($info)
        $Children.Add($child)
        $deadline = [datetime]::UtcNow.AddSeconds(10)
        while ((Get-Comm $child.Id) -ne $ReadyComm) {
            if ([datetime]::UtcNow -gt $deadline) { throw "child $($child.Id) never became $ReadyComm" }
            [System.Threading.Thread]::Sleep(10)
        }
        $child
    }

    # Waits until /proc/PID/status lists $Signal in $Mask: SigCgt once a handler is installed, SigBlk once blocked.
    function Wait-SignalMask([int] $ProcessId, [string] $Mask, [int] $Signal) {
        $deadline = [datetime]::UtcNow.AddSeconds(10)
        do {
            $line = [System.IO.File]::ReadAllLines("/proc/$ProcessId/status") | Where-Object { $_ -like "${Mask}:*" }
            if (([Convert]::ToUInt64($line.Split(':')[1].Trim(), 16) -band ([uint64]1 -shl ($Signal - 1))) -ne 0) { return }
            [System.Threading.Thread]::Sleep(10)
        } while ([datetime]::UtcNow -lt $deadline)
        throw "process $ProcessId never had signal $Signal in $Mask"
    }

    function Get-Comm([int] $ProcessId) {
        try { [System.IO.File]::ReadAllText("/proc/$ProcessId/comm").Trim() } catch { $null }
    }

    # Runs $Commands in bash once the signal probe is attached, so no signal is sent before we trace.
    function Send-WhenTracing([string] $Commands) {
        $info = [System.Diagnostics.ProcessStartInfo]::new('bash')
        $info.ArgumentList.Add('-c')
        # The signal probe's three links held by this process: our trace, not another tracer on the machine.
        $info.ArgumentList.Add("until (( `$(ls -l /proc/$PID/fd 2>/dev/null | grep -c 'bpf.link') >= 3 )); do (( SECONDS < 20 )) || exit 99; sleep 0.01; done; $Commands")
        [System.Diagnostics.Process]::Start($info)
    }

}

AfterAll {
    Assert-NothingLeft $HeldAtStart
}

Describe 'Get-BpfSignalEvent' -Skip:(-not $IsRoot) {
    AfterEach {
        foreach ($process in $Children) { if (-not $process.HasExited) { $process.Kill(); $process.WaitForExit() } }
        $Children.Clear()
    }

    It 'reports SIGTERM from /bin/kill with its sender, target, result and delivery' {
        $child = Start-Child 'exec sleep 30'
        $null = Send-WhenTracing "/bin/kill -s TERM $($child.Id)"
        $events = @(Get-BpfSignalEvent -TargetProcessId $child.Id -Duration 00:00:05 -Count 1)

        $events.Count | Should -Be 1
        $e = $events[0]
        $e.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfSignalEvent'
        $e.Signal | Should -Be 15
        $e.SignalName | Should -Be 'SIGTERM'
        $e.SenderCommand | Should -Be 'kill'
        $e.SenderCommandLine | Should -Be "/bin/kill -s TERM $($child.Id)"
        $e.TargetProcessId | Should -Be $child.Id
        $e.TargetCommand | Should -Be 'sleep'
        $e.ResultName | Should -Be 'Delivered'
        $e.CodeName | Should -Be 'SI_USER'
        $e.DeliveredAt | Should -Not -BeNullOrEmpty
        $e.DeliveryLatency | Should -BeLessThan ([timespan]::FromSeconds(1))
        $child.WaitForExit(5000) | Should -BeTrue

        # Times keep their fraction of a second through Export-Csv, and stay DateTime in the pipeline.
        $e.DeliveredAt | Should -BeOfType [datetime]
        $e.DeliveredAt | Should -BeGreaterOrEqual $e.Timestamp
        $e | Export-Csv "$TestDrive/signal.csv"
        $back = Import-Csv "$TestDrive/signal.csv"
        $back.Timestamp | Should -BeExactly $e.Timestamp.ToString('o')
        $back.DeliveredAt | Should -BeExactly $e.DeliveredAt.ToString('o')
        [double]$back.DeliveryLatencyMicroseconds | Should -Be $e.DeliveryLatency.TotalMicroseconds
        ($e | ConvertTo-Json | ConvertFrom-Json).DeliveryLatencyMicroseconds | Should -Be $e.DeliveryLatency.TotalMicroseconds
    }

    It 'reports SIGUSR1 to a child that ignores it as ignored and never delivered' {
        $child = Start-Child "trap '' USR1; exec sleep 30"
        $null = Send-WhenTracing "kill -USR1 $($child.Id)"
        $e = Get-BpfSignalEvent -TargetProcessId $child.Id -Duration 00:00:05 -Count 1

        $e.SignalName | Should -Be 'SIGUSR1'
        $e.Result | Should -Be 1
        $e.ResultName | Should -Be 'Ignored'
        $e.DeliveredAt | Should -BeNullOrEmpty
        $child.HasExited | Should -BeFalse
    }

    It 'reports SIGKILL, and a queued real-time signal with its value' {
        $child = Start-Child "trap 'exit 3' RTMIN+3; while :; do sleep 0.05; done" -ReadyComm 'bash'
        Wait-SignalMask $child.Id SigCgt 37
        $null = Send-WhenTracing "/bin/kill -q 77 -s RTMIN+3 $($child.Id)"
        $rt = Get-BpfSignalEvent -TargetProcessId $child.Id -Signal SIGRTMIN+3 -Duration 00:00:05 -Count 1
        $rt.Signal | Should -Be 37
        $rt.SignalName | Should -Be 'SIGRTMIN+3'
        $rt.Value | Should -Be 77
        $rt.CodeName | Should -Be 'SI_QUEUE'
        $rt.DeliveredAt | Should -Not -BeNullOrEmpty

        $victim = Start-Child 'exec sleep 30'
        $null = Send-WhenTracing "kill -KILL $($victim.Id)"
        $kill = Get-BpfSignalEvent -TargetProcessId $victim.Id -Signal KILL -Duration 00:00:05 -Count 1
        $kill.SignalName | Should -Be 'SIGKILL'
        $kill.TargetProcessId | Should -Be $victim.Id
        $kill.DeliveredAt | Should -Not -BeNullOrEmpty
        $victim.WaitForExit(5000) | Should -BeTrue
    }

    It 'filters in the kernel: -Signal takes names, short names and numbers; -FailedOnly keeps what was not queued' {
        $child = Start-Child "trap '' USR1 USR2; exec sleep 30"
        $null = Send-WhenTracing "kill -USR1 $($child.Id); kill -USR2 $($child.Id); kill -HUP $($child.Id)"
        $events = @(Get-BpfSignalEvent -TargetProcessId $child.Id -Signal USR2, 1, SIGTERM -Duration 00:00:03 -Count 2)
        $events.SignalName | Should -Be @('SIGUSR2', 'SIGHUP')

        $other = Start-Child "trap '' USR1; exec sleep 30"
        $null = Send-WhenTracing "kill -USR1 $($other.Id); kill -TERM $($other.Id)"
        $failed = @(Get-BpfSignalEvent -TargetProcessId $other.Id -FailedOnly -Duration 00:00:03)
        $failed.Count | Should -Be 1
        $failed[0].SignalName | Should -Be 'SIGUSR1'
    }

    It 'stops at -Count, at -Duration and on a downstream stop, and detaches every time' {
        $child = Start-Child 'exec sleep 30'
        $sender = Send-WhenTracing "for i in 1 2 3 4 5; do kill -WINCH $($child.Id); sleep 0.05; done"
        $first = @(Get-BpfSignalEvent -TargetProcessId $child.Id -Duration 00:00:10 | Select-Object -First 2) # the downstream stop ends it; the time only bounds a failure
        $first.Count | Should -Be 2
        $first.SignalName | Should -Be @('SIGWINCH', 'SIGWINCH')
        Get-OurProgram | Should -BeNullOrEmpty

        $sender.WaitForExit()

        @(Get-BpfSignalEvent -TargetProcessId $child.Id -Duration 00:00:00.300).Count | Should -Be 0
        Get-OurProgram | Should -BeNullOrEmpty
    }

    It 'holds -Duration under a slow consumer: the signals it has not taken when the time is up are counted' {
        # 50,000 ignored SIGUSR1 a process sends itself (each one event, never delivered); the pipeline takes
        # one a millisecond, so most are still waiting when the two seconds are up.
        $sender = Send-WhenTracing "exec /usr/bin/python3 -c 'import os, signal, time
signal.signal(signal.SIGUSR1, signal.SIG_IGN)
for i in range(50000): os.kill(os.getpid(), signal.SIGUSR1)
time.sleep(30)'"
        $Children.Add($sender)
        $n = 0
        $clock = [System.Diagnostics.Stopwatch]::new()
        Get-BpfSignalEvent -Signal SIGUSR1 -ProcessId $sender.Id -Duration 00:00:02 -WarningVariable warnings -WarningAction SilentlyContinue |
            ForEach-Object { if ($n++ -eq 0) { $clock.Start() }; Start-Sleep -Milliseconds 1 }
        $clock.Stop()
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 3 -Because 'the trace ends within a second of -Duration (timed from its first event)'
        $n | Should -BeGreaterThan 0
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match "^(\d+) events were not delivered because the trace's time \(-Duration\) was up"
        $n + [int] ([regex]::Match($warnings[0].Message, '^\d+').Value) | Should -Be 50000
    }

    It 'detaches from the kernel when Ctrl-C stops it' {
        # The tracer's own process says what it still holds once Ctrl-C has stopped the cmdlet (its exit would
        # free everything anyway): a finally block runs after the stopped pipeline, and writes to a file.
        $left = [System.IO.Path]::GetTempFileName()
        $tracer = Start-Pwsh "try { Get-BpfSignalEvent } finally { [System.IO.File]::WriteAllText('$left', @([System.IO.Directory]::GetFiles(`"/proc/`$PID/fd`") | Where-Object { ([System.IO.FileInfo]::new(`$_).LinkTarget) -like 'anon_inode:bpf*' }).Count) }"
        $Children.Add($tracer)
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while (@([System.IO.Directory]::GetFiles("/proc/$($tracer.Id)/fd") | Where-Object {
                    ([System.IO.FileInfo]::new($_).LinkTarget) -like 'anon_inode:bpf?link' }).Count -lt 3) {
            if ([datetime]::UtcNow -gt $deadline) { throw 'the tracer never attached' }
            [System.Threading.Thread]::Sleep(50)
        }
        & kill -INT $tracer.Id
        $tracer.WaitForExit(10000) | Should -BeTrue
        $tracer.ExitCode | Should -Be 1   # what pwsh -Command returns when Ctrl-C stopped it
        Get-Content $left | Should -Be '0' -Because 'no BPF program, map or link stays open in the tracer after Ctrl-C'
        Remove-Item $left
    }

    It 'keeps its properties through remoting serialization' {
        $child = Start-Child "trap '' USR2; exec sleep 30"
        $null = Send-WhenTracing "kill -USR2 $($child.Id)"
        $e = Get-BpfSignalEvent -TargetProcessId $child.Id -Duration 00:00:05 -Count 1
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($e))

        $copy.PSObject.TypeNames | Should -Contain 'Deserialized.EbpfPS.BpfSignalEvent'
        $copy.Signal | Should -Be 12
        $copy.SignalName | Should -Be 'SIGUSR2'
        $copy.TargetProcessId | Should -Be $child.Id
        $copy.ResultName | Should -Be 'Ignored'
        $copy.Timestamp | Should -Be $e.Timestamp
    }

    It 'prints as a table with the default view, every column in 80 characters' {
        $child = Start-Child "trap '' USR2; exec sleep 30"
        $null = Send-WhenTracing "kill -USR2 $($child.Id)"
        $text = Get-BpfSignalEvent -TargetProcessId $child.Id -Duration 00:00:05 -Count 1 | Out-String -Width 80
        $lines = $text -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Time\s+Signal\s+FromPid From\s+ToPid To\s+Result\s+Delay\(us\)$'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $text | Should -Match "SIGUSR2\s+\d+\s+bash\s+$($child.Id)\s+sleep\s+Ignored"
    }
}

Describe 'Get-BpfSignalEvent input errors' {
    It 'rejects an unknown signal with UnknownSignal and a hint' {
        $err = { Get-BpfSignalEvent -Signal SIGFOO -Count 1 } | Should -Throw -ErrorId 'UnknownSignal,EbpfPS.Commands.GetBpfSignalEventCommand' -PassThru
        $err.Exception.Message | Should -BeLike "*'SIGFOO' is not a Linux signal*"
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*kill -l*'
    }

    It 'rejects a negative count and a zero duration' {
        { Get-BpfSignalEvent -Count -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,EbpfPS.Commands.GetBpfSignalEventCommand'
        { Get-BpfSignalEvent -Duration 0 } | Should -Throw -ErrorId 'InvalidDuration,EbpfPS.Commands.GetBpfSignalEventCommand'
    }

    It 'tells an unprivileged user what it needs' -Skip:(-not $IsRoot) {
        # Run pwsh as nobody: a real user without capabilities.
        $pwsh = Get-PwshArgument '$ErrorView = "NormalView"; Get-BpfSignalEvent -Count 1'   # NormalView prints the error id
        $output = & setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp DOTNET_CLI_HOME=/tmp @pwsh 2>&1
        $LASTEXITCODE | Should -Be 1
        ($output -join "`n") | Should -Match 'BpfPermissionDenied'
        ($output -join "`n") | Should -Match 'CAP_BPF'
    }
}

Describe 'After Get-BpfSignalEvent' -Skip:(-not $IsRoot) {
    It 'leaves no EbpfPS program in the kernel' {
        Get-OurProgram | Should -BeNullOrEmpty
    }
}
