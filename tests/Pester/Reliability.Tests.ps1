#Requires -Version 7.4
# Reliability, tagged so that it can be run alone and longer: `tests/Invoke-PesterSuites.ps1 -Tag Reliability`
# with EBPFPS_SOAK_CYCLES (default 40, what CI runs: ~35 s) and EBPFPS_CORRUPT_OBJECTS (default 40).
# - a soak: traces started and stopped in every way, the process's descriptors, threads and memory flat;
# - Ctrl-C at random moments of a trace's start-up, in a pwsh of its own: it ends, promptly;
# - a corpus of damaged objects (truncated, bytes flipped): each refused with an error id, a category and a
#   recommendation, nothing left loaded.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    . "$PSScriptRoot/Support/Pwsh.ps1"
    $HeldAtStart = @(Get-OurProgram)
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $Repo = [System.IO.Path]::GetFullPath("$PSScriptRoot/../..")
    $Work = [System.IO.Directory]::CreateTempSubdirectory('ebpfps-reliability-').FullName
    $Cycles = [int]($env:EBPFPS_SOAK_CYCLES ?? 40)
    $Corrupt = [int]($env:EBPFPS_CORRUPT_OBJECTS ?? 40)

    function Get-Footprint {
        [System.GC]::Collect(); [System.GC]::WaitForPendingFinalizers(); [System.GC]::Collect()
        $process = [System.Diagnostics.Process]::GetCurrentProcess()
        [pscustomobject]@{
            # the runtime maps assemblies it loads late (System.Net.*.dll) as descriptors too: those are not ours
            Descriptors = @([System.IO.Directory]::GetFiles("/proc/$PID/fd") | Where-Object {
                    -not ($(try { [System.IO.FileInfo]::new($_).LinkTarget } catch { '' }) -like '*.dll') }).Count
            Threads     = $process.Threads.Count
            ManagedMB   = [System.GC]::GetTotalMemory($true) / 1MB
        }
    }

    # One cycle: each way a trace starts and ends (time, count, downstream stop, job, an error at attach).
    function Invoke-Cycle {
        $null = Start-BpfTrace -Syscall getppid -ProcessId $PID -Duration 00:00:00.050
        $null = Get-BpfSignalEvent -TargetProcessId $PID -Duration 00:00:00.050
        $null = Start-BpfTrace -Tracepoint sched:sched_process_exit -ProcessId $PID -Duration 00:00:00.050 | Select-Object -First 1
        $job = Start-BpfTrace -Exec -ProcessId $PID -AsJob
        $job | Stop-Job -PassThru | Remove-Job
        try { Start-BpfTrace -Syscall nosuchsyscall -Count 1 } catch { }
    }
}

AfterAll {
    [System.IO.Directory]::Delete($Work, $true)
    Assert-NothingLeft $HeldAtStart
}

Describe 'Reliability' -Tag Reliability -Skip:(-not $IsRoot) {
    It 'starts and stops traces every way, over and over, with descriptors, threads and memory flat' {
        foreach ($i in 1..10) { Invoke-Cycle } # warm-up: code compiled, pools filled
        $before = Get-Footprint
        foreach ($i in 1..$Cycles) { Invoke-Cycle }
        $after = Get-Footprint

        $after.Descriptors | Should -Be $before.Descriptors -Because "$Cycles cycles must close what they open"
        $after.Threads | Should -BeLessOrEqual ($before.Threads + 2) -Because 'every reader thread ends with its trace'
        $after.ManagedMB | Should -BeLessOrEqual ($before.ManagedMB + 20) -Because 'nothing of a finished trace stays reachable'
        Get-OurProgram | Should -BeNullOrEmpty
    }

    It 'ends promptly when Ctrl-C comes at a moment of a trace''s start-up (<Delay> ms in)' -ForEach @(
        foreach ($delay in 0, 20, 40, 60, 80, 120, 160, 250, 400) { @{ Delay = $delay } }
    ) {
        # the child says when its trace starts (after pwsh's own start-up, which is not ours to test)
        $ready = [System.IO.Path]::GetTempFileName()
        $tracer = Start-Pwsh "[System.IO.File]::WriteAllText('$ready', 'starting'); Start-BpfTrace -Syscall openat, getppid -Duration 00:01:00 | Out-Null"
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while ([System.IO.File]::ReadAllText($ready) -ne 'starting' -and [datetime]::UtcNow -lt $deadline) { [System.Threading.Thread]::Sleep(5) }
            [System.Threading.Thread]::Sleep($Delay)
            & kill -INT $tracer.Id
            $tracer.WaitForExit(10000) | Should -BeTrue -Because 'Ctrl-C ends a trace whatever it is doing'
        }
        finally { if (-not $tracer.HasExited) { $tracer.Kill() }; [System.IO.File]::Delete($ready) }
    }

    It 'refuses every damaged object with an error id, a category and a recommendation, leaving nothing loaded' {
        $source = Join-Path $Work 'counter.bpf.o'
        & clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I "$Repo/bpf/vmlinux/x86_64" -c "$PSScriptRoot/fixtures/getppid-counter.bpf.c" -o $source
        $bytes = [System.IO.File]::ReadAllBytes($source)
        $random = [System.Random]::new(20261206)
        $damaged = foreach ($i in 1..$Corrupt) {
            $copy = [byte[]]$bytes.Clone()
            if ($i % 2) { $copy = $copy[0..($random.Next(1, $copy.Length - 1))] } # truncated
            else { foreach ($flip in 1..8) { $copy[$random.Next(64, $copy.Length)] = [byte]$random.Next(256) } } # bytes flipped
            $path = Join-Path $Work "damaged-$i.bpf.o"
            [System.IO.File]::WriteAllBytes($path, $copy)
            $path
        }
        $outcomes = foreach ($path in $damaged) {
            try {
                # a flipped byte may leave the object loadable: then it must run and stop like any other
                $null = Start-BpfTrace -Path $path -Set @{ target_pid = $PID } -Duration 00:00:00.100 -ErrorAction Stop
                'ran'
            }
            catch {
                $_.FullyQualifiedErrorId | Should -Match '^\w+,EbpfPS\.Commands\.StartBpfTraceCommand$' -Because "$path"
                $_.CategoryInfo.Category | Should -Not -Be 'NotSpecified' -Because "$path gave $($_.FullyQualifiedErrorId)"
                $_.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty -Because "$path gave $($_.FullyQualifiedErrorId): $($_.Exception.Message)"
                $_.FullyQualifiedErrorId.Split(',')[0]
            }
            Get-OurProgram | Should -BeNullOrEmpty -Because "$path must leave nothing behind"
        }
        @($outcomes | Where-Object { $_ -ne 'ran' }).Count | Should -BeGreaterThan ($Corrupt / 2) -Because 'truncated objects cannot load'
    }
}
