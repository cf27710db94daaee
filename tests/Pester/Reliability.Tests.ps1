#Requires -Version 7.4
# Reliability, tagged so that it can be run alone and longer: `tests/Invoke-PesterSuites.ps1 -Tag Reliability`
# with EBPFPS_SOAK_CYCLES (default 40, what CI runs: ~35 s) and EBPFPS_CORRUPT_OBJECTS (default 40).
# - a soak: traces started and stopped in every way, the process's descriptors, threads and memory flat;
# - Ctrl-C at random moments of a trace's start-up, in a pwsh of its own: it ends, promptly, and attaches no more
#   (the delays come from a seed that is printed; EBPFPS_RELIABILITY_SEED repeats them);
# - a corpus of damaged objects (truncated, bytes flipped) and bad inputs (a FIFO, a device, a sparse file, wrong
#   -Set values): each refused with an error id, a category and a recommendation, nothing left loaded.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
    $script:Seed = [int]($env:EBPFPS_RELIABILITY_SEED ?? (Get-Random -Maximum 1000000))
    Write-Host "Reliability: Ctrl-C delays drawn from seed $Seed (EBPFPS_RELIABILITY_SEED=$Seed draws them again)"
    $random = [System.Random]::new($Seed)
    $script:SyscallDelays = foreach ($i in 1..9) { @{ Delay = $random.Next(0, 400); Seed = $Seed } }
    $script:PathDelays = foreach ($i in 1..3) { @{ Delay = $random.Next(0, 30); Seed = $Seed } }
    $script:ExecDelays = foreach ($i in 1..3) { @{ Delay = $random.Next(0, 150); Seed = $Seed } }
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    . "$PSScriptRoot/Support/Pwsh.ps1"
    $HeldAtStart = @(Get-OurProgram)
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
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

    # What the descriptors of process $ProcessId refer to (anon_inode:bpf-map, anon_inode:[perf_event], ...).
    function Get-DescriptorTarget([int] $ProcessId) {
        $fds = try { [System.IO.Directory]::GetFiles("/proc/$ProcessId/fd") } catch { @() } # it may have ended
        foreach ($fd in $fds) { try { [System.IO.FileInfo]::new($fd).LinkTarget } catch { } }
    }

    # kill(2) itself: starting /bin/kill takes longer than some start-ups. Called once here so that its first call
    # (the runtime binds it then) does not delay a signal.
    Add-Type -Namespace EbpfPSTests -Name Libc -MemberDefinition '[System.Runtime.InteropServices.DllImport("libc")] public static extern int kill(int pid, int sig);'
    $null = [EbpfPSTests.Libc]::kill($PID, 0)

    # Runs $Command in a pwsh of its own and sends it Ctrl-C (SIGINT) $Delay ms after it first holds a descriptor of
    # $Trigger. Returns the most descriptors of $Watch it held from the signal on; throws unless it ends within 10 s.
    function Invoke-CtrlCAt([string] $Command, [string] $Trigger, [int] $Delay, [string[]] $Watch) {
        $tracer = Start-Pwsh $Command
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60) # pwsh's own start-up, then the trace's
            $most = 0; $signalled = $false
            while (-not $tracer.HasExited) {
                $targets = @(Get-DescriptorTarget $tracer.Id)
                if (-not $signalled -and $targets -contains $Trigger) {
                    [System.Threading.Thread]::Sleep($Delay)
                    $null = [EbpfPSTests.Libc]::kill($tracer.Id, 2) # SIGINT
                    $signalled = $true
                    $deadline = [datetime]::UtcNow.AddSeconds(10)
                }
                if ($signalled) { $most = [Math]::Max($most, @($targets | Where-Object { $_ -in $Watch }).Count) }
                if ([datetime]::UtcNow -gt $deadline) { throw "the trace did not end within 10 s of $(if ($signalled) { 'Ctrl-C' } else { 'its start' })" }
                [System.Threading.Thread]::Sleep(1)
            }
            if (-not $signalled) { throw "the trace ended before it held $Trigger`: $($tracer.StandardOutput.ReadToEnd())" }
            $most
        }
        finally { if (-not $tracer.HasExited) { $tracer.Kill(); $tracer.WaitForExit() } }
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

    It 'ends promptly when Ctrl-C comes at a moment of a trace''s start-up (<Delay> ms in, seed <Seed>)' -ForEach $SyscallDelays {
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

    It 'attaches nothing of -Path when Ctrl-C comes while it loads (<Delay> ms after its first map, seed <Seed>)' -ForEach $PathDelays {
        # A program on each syscall's entry tracepoint, all writing one global (a map, created first). The verifier
        # walks each program's loop for a few milliseconds: the load takes a second or so, attaching them all a
        # quarter of a second (less than pwsh takes to act on a SIGINT: that check is not observable from here),
        # detaching them some 25 ms each.
        $names = @([System.IO.Directory]::GetDirectories('/sys/kernel/tracing/events/syscalls', 'sys_enter_*') | ForEach-Object { [System.IO.Path]::GetFileName($_) } | Sort-Object)
        $many = Join-Path $Work 'many.bpf.o'
        if (-not [System.IO.File]::Exists($many)) {
            $source = @('#define SEC(name) __attribute__((section(name), used))', 'char LICENSE[] SEC("license") = "GPL";', 'int hits;') +
                @(for ($i = 0; $i -lt $names.Count; $i++) { "SEC(`"tp/syscalls/$($names[$i])`") int p$i(void *ctx) { int x = hits; for (int i = 0; i < 1000; i++) x = x * 31 + i; hits = x; return 0; }" })
            [System.IO.File]::WriteAllLines("$Work/many.bpf.c", $source)
            & clang -O2 -g -target bpf -c "$Work/many.bpf.c" -o $many
        }
        # before: all of them were attached after Ctrl-C, then detached
        Invoke-CtrlCAt "Start-BpfTrace -Path '$many' -Duration 00:01:00 | Out-Null" 'anon_inode:bpf-map' $Delay 'anon_inode:[perf_event]' |
            Should -Be 0 -Because 'Ctrl-C during the load is seen before the first attachment'
    }

    It 'ends promptly when Ctrl-C comes while -Exec starts (<Delay> ms after its first map, seed <Seed>)' -ForEach $ExecDelays {
        # Whether it then attached nothing depends on the signal's beating the load (some 100 ms), so only the end is asserted.
        $null = Invoke-CtrlCAt 'Start-BpfTrace -Exec -Duration 00:01:00 | Out-Null' 'anon_inode:bpf-map' $Delay 'anon_inode:[perf_event]'
    }

    It 'refuses <Case> with <Id> and a recommendation, leaving nothing loaded' -ForEach @(
        @{ Case = 'a FIFO'; File = 'FIFO'; Id = 'BpfObjectNotAFile'; Category = 'InvalidArgument' } # before: blocked for ever
        @{ Case = 'a character device'; File = '/dev/zero'; Id = 'BpfObjectNotAFile'; Category = 'InvalidArgument' } # before: read until out of memory
        @{ Case = 'a directory'; File = '/tmp'; Id = 'BpfObjectNotAFile'; Category = 'InvalidArgument' }
        @{ Case = 'an 8 GB sparse file'; File = 'SPARSE'; Id = 'BpfObjectTooLarge'; Category = 'LimitsExceeded' } # before: "file not found"
        @{ File = 'OBJECT'; Case = '-Set with $null'; Set = @{ target_pid = $null }; Id = 'BpfGlobalValueInvalid'; Category = 'InvalidArgument' } # before: accepted
        @{ File = 'OBJECT'; Case = '-Set of a global the object lacks'; Set = @{ no_such_global = 1 }; Id = 'BpfGlobalNotFound'; Category = 'InvalidArgument' }
        @{ File = 'OBJECT'; Case = '-Set of a map'; Set = @{ counts = 1 }; Id = 'BpfGlobalNotFound'; Category = 'InvalidArgument' }
        @{ File = 'OBJECT'; Case = '-Set of -1 for a __u32'; Set = @{ target_pid = -1 }; Id = 'BpfGlobalValueInvalid'; Category = 'InvalidArgument' }
        @{ File = 'OBJECT'; Case = '-Set of 2^32 for a __u32'; Set = @{ target_pid = 4294967296 }; Id = 'BpfGlobalValueInvalid'; Category = 'InvalidArgument' }
        @{ File = 'OBJECT'; Case = '-Set of text for a number'; Set = @{ target_pid = 'abc' }; Id = 'BpfGlobalValueInvalid'; Category = 'InvalidArgument' }
        @{ File = 'OBJECT'; Case = '-Set of a list for a number'; Set = @{ target_pid = 1, 2 }; Id = 'BpfGlobalValueInvalid'; Category = 'InvalidArgument' }
    ) {
        $target = if ($File -eq 'FIFO') {
            $fifo = Join-Path $Work 'fifo'
            if (-not [System.IO.File]::Exists($fifo)) { & mkfifo $fifo }
            $fifo
        }
        elseif ($File -eq 'SPARSE') {
            $sparse = Join-Path $Work 'sparse.bpf.o'
            $stream = [System.IO.File]::Create($sparse); $stream.SetLength(8GB); $stream.Dispose() # no blocks written
            $sparse
        }
        elseif ($File -eq 'OBJECT') { # the user's object, which has `const volatile __u32 target_pid` and a map named counts
            $object = Join-Path $Work 'counter-set.bpf.o'
            if (-not [System.IO.File]::Exists($object)) { Build-BpfObject "$PSScriptRoot/fixtures/getppid-counter.bpf.c" $object }
            $object
        }
        else { $File }
        $parameters = @{ Path = $target; Duration = '00:00:01'; ErrorAction = 'Stop' }
        if ($Set) { $parameters.Set = $Set }
        $e = { Start-BpfTrace @parameters } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be "$Id,EbpfPS.Commands.StartBpfTraceCommand" -Because $e.Exception.Message
        $e.CategoryInfo.Category | Should -Be $Category
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-OurProgram | Should -BeNullOrEmpty -Because 'a refused input leaves nothing loaded'
    }

    It 'refuses every damaged object with an error id, a category and a recommendation, leaving nothing loaded' {
        $source = Join-Path $Work 'counter.bpf.o'
        Build-BpfObject "$PSScriptRoot/fixtures/getppid-counter.bpf.c" $source
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
