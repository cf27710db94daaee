#Requires -Version 7.4
# Start-BpfTrace -AsJob: the trace runs in the background as a PowerShell job.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
}

AfterAll {
    Assert-NothingLeft $HeldAtStart
}

Describe 'Start-BpfTrace -AsJob' -Skip:(-not $IsRoot) {
    BeforeEach {
        # A child that calls getppid(2) five times once it reads a line.
        $info = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add('import os, sys; sys.stdin.readline(); [os.getppid() for _ in range(5)]')
        $info.RedirectStandardInput = $true
        $child = [System.Diagnostics.Process]::Start($info)
    }

    AfterEach {
        Get-Job | Where-Object PSJobTypeName -eq BpfTraceJob | Remove-Job -Force
        if (-not $child.HasExited) { $child.Kill() }
    }

    It 'traces in the background: Receive-Job gets exactly the events, Stop-Job detaches, Remove-Job frees' {
        $job = Start-BpfTrace -Syscall getppid -ProcessId $child.Id -AsJob
        $job.PSJobTypeName | Should -Be 'BpfTraceJob'
        $job.State | Should -Be 'Running'
        $job.Trace.MapNames | Should -Contain 'in_flight'
        (Get-Job -Id $job.Id).Id | Should -Be $job.Id

        $child.StandardInput.WriteLine('go')
        $child.WaitForExit(5000) | Should -BeTrue
        $events = [System.Collections.Generic.List[object]]::new()
        $deadline = [datetime]::UtcNow.AddSeconds(5)
        while ($events.Count -lt 5 -and [datetime]::UtcNow -lt $deadline) {
            foreach ($e in @(Receive-Job $job)) { $events.Add($e) }
            [System.Threading.Thread]::Sleep(50)
        }
        $events.Count | Should -Be 5
        foreach ($e in $events) {
            $e.PSObject.TypeNames | Should -Contain 'EbpfPS.BpfSyscallEvent'
            $e.Syscall | Should -Be 'getppid'
            $e.ProcessId | Should -Be $child.Id
            $e.ReturnValue | Should -Be $PID
        }

        Get-OurProgram | Should -Not -BeNullOrEmpty   # the check sees a running trace...
        $job | Stop-Job
        $job.State | Should -Be 'Stopped'
        $job.Trace.IsRunning | Should -BeFalse
        Get-OurProgram | Should -BeNullOrEmpty       # ...and nothing once it is stopped
        $job | Remove-Job
        Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'completes by itself after -Count events' {
        $job = Start-BpfTrace -Syscall getppid -ProcessId $child.Id -Count 2 -AsJob
        $child.StandardInput.WriteLine('go')
        $job | Wait-Job -Timeout 10 | Out-Null
        $job.State | Should -Be 'Completed'
        @(Receive-Job $job).Count | Should -Be 2
        Get-OurProgram | Should -BeNullOrEmpty
    }

    It 'completes within a second of -Duration under a burst, every event handed over or counted' {
        $info = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add('import os, sys, time; sys.stdin.readline(); [os.getppid() for _ in range(200000)]; time.sleep(30)')
        $info.RedirectStandardInput = $true
        $burst = [System.Diagnostics.Process]::Start($info)
        try {
            # (the burst takes a quarter of a second alone, several under a loaded CI run: the duration leaves room)
            $job = Start-BpfTrace -Syscall getppid -ProcessId $burst.Id -Duration 00:00:05 -AsJob
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $burst.StandardInput.WriteLine('go')
            $job | Wait-Job -Timeout 15 | Out-Null
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 6
            $job.State | Should -Be 'Completed'
            # The job takes events as fast as they come: the first 100,000 wait for Receive-Job, the rest are
            # dropped and counted; none is undelivered for lack of time here, and none lost.
            $job.EventCount | Should -Be 200000
            $job.DroppedCount | Should -Be 100000
            $job.LostCount | Should -Be 0
            @(Receive-Job $job -WarningAction SilentlyContinue).Count | Should -Be 100000
        }
        finally { $burst.Kill() }
    }

    It 'reports a failure to start at once, not in the job' {
        { Start-BpfTrace -Syscall ebpfps_no_such_call -AsJob } | Should -Throw -ErrorId 'SyscallNotFound,EbpfPS.Commands.StartBpfTraceCommand'
        @(Get-Job | Where-Object PSJobTypeName -eq BpfTraceJob).Count | Should -Be 0
    }
}
