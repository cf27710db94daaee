#Requires -Version 7.4
# A user's object beyond one program a hook: tail calls through a program array its initialiser fills, a map shared
# between loads by its pin (LIBBPF_PIN_BY_NAME), and perf_event programs sampling CPU clocks at -Frequency, traced
# (Start-BpfTrace -Path) and registered (Register-BpfProgram). Each test causes the calls it counts in a child of its own
# and checks that nothing of its programs stays loaded.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
    # the fixture shared-counter's map, pinned by libbpf by its name
    $script:SharedPinTaken = [System.IO.File]::Exists('/sys/fs/bpf/ebpfps_shared_calls')
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    . "$PSScriptRoot/Support/Attach.ps1"
    . "$PSScriptRoot/Support/Pwsh.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $Work = [System.IO.Directory]::CreateTempSubdirectory('ebpfps-objects-').FullName
    $Name = "ebpfps-objects-$PID"
    $TailCalls = Build-Fixture tail-call-chain
    $Shared = Build-Fixture shared-counter
    $SharedPin = '/sys/fs/bpf/ebpfps_shared_calls'
    $Sampler = Build-Fixture perf-sample-count

    # A child that calls getppid(2) $Times times once it reads a line. /usr/bin/python3, not a version manager's shim
    # (a shell that calls getppid itself before it execs python in the same pid).
    function Start-GetppidChild([int] $Times) {
        $info = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add("import os, sys; sys.stdin.readline(); [os.getppid() for _ in range($Times)]")
        $info.RedirectStandardInput = $true
        [System.Diagnostics.Process]::Start($info)
    }

    # Lets the child make its calls and waits until it has.
    function Complete-Child([System.Diagnostics.Process] $Child) {
        $Child.StandardInput.WriteLine('go')
        $Child.WaitForExit(10000) | Should -BeTrue
        $Child.ExitCode | Should -Be 0
    }

    function Remove-TestRegistrations {
        Get-BpfRegistration -Name "$Name*" | Unregister-BpfProgram -Confirm:$false
    }
}

AfterAll {
    if (-not $SharedPinTaken) { Remove-Item $SharedPin -ErrorAction SilentlyContinue }
    Get-Job | Where-Object PSJobTypeName -eq BpfTraceJob | Remove-Job -Force
    Remove-TestRegistrations
    [System.IO.Directory]::Delete($Work, $true)
    Assert-NothingLeft $HeldAtStart
}

Describe 'Tail calls of a user''s object' -Skip:(-not $IsRoot) {
    AfterEach {
        Get-Job | Where-Object PSJobTypeName -eq BpfTraceJob | Remove-Job -Force
        Remove-TestRegistrations
    }

    It 'Start-BpfTrace -Path runs a chain of three programs in order for each of a child''s calls, and attaches only its entry' {
        $child = Start-GetppidChild 5
        $job = Start-BpfTrace -Path $TailCalls -Set @{ target_pid = $child.Id } -AsJob
        $programs = @(Get-BpfProgram | Where-Object Id -in (Get-OurProgramId))
        Complete-Child $child
        $events = Receive-Until $job 15
        $reached = @(Read-BpfMap -Trace $job -Name reached)
        $job | Stop-Job

        $programs.Name | Sort-Object | Should -Be @('step_one', 'step_three', 'step_two') -Because 'the targets are loaded too'
        ($programs | Where-Object Name -eq step_one).AttachedTo | Should -Be @('tracepoint sys_enter_getppid')
        ($programs | Where-Object Name -ne step_one).AttachedTo | Should -BeNullOrEmpty -Because 'a tail call''s target runs from the program array only'
        @($events | ForEach-Object { "$($_.call).$($_.step)" }) | Should -Be @(foreach ($call in 1..5) { foreach ($step in 1..3) { "$call.$step" } })
        $events.pid | Sort-Object -Unique | Should -Be $child.Id
        $reached.Value | Should -Be @(0, 5, 5, 5) -Because 'each of the 5 calls reached step 2 right after step 1, and step 3 right after step 2'
        Get-LoadedProgramId $programs.Id | Should -BeNullOrEmpty -Because 'the end of the trace unloads the targets as well as the entry'
    }

    It 'a stopped pipeline (Select-Object -First, as Ctrl-C) ends the chain''s trace with none of its programs left loaded' {
        $info = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add("import os, time`nfor _ in range(1000): os.getppid(); time.sleep(0.01)")
        $child = [System.Diagnostics.Process]::Start($info)
        try {
            $ids = $null
            $events = @(Start-BpfTrace -Path $TailCalls -Set @{ target_pid = $child.Id } -Duration 00:00:10 |
                    ForEach-Object { if (-not $ids) { $ids = @(Get-OurProgramId) }; $_ } | Select-Object -First 4)
        }
        finally { $child.Kill(); $child.Dispose() }

        $events.step | Should -Be 1, 2, 3, 1
        $ids.Count | Should -Be 3 -Because 'the entry and its two targets were loaded while it ran'
        Get-LoadedProgramId $ids | Should -BeNullOrEmpty
    }

    It 'Register-BpfProgram pins the program array and its targets, which keep working after the registering pwsh exits' {
        $child = Start-GetppidChild 4
        $registered = Invoke-OtherPwsh "Register-BpfProgram -Path '$TailCalls' -Name $Name -Set @{ target_pid = $($child.Id) } | ConvertTo-Json -Compress" | ConvertFrom-Json
        Complete-Child $child
        $reached = @(Read-BpfMap -Path "$($registered.PinPath)/maps/reached")
        Unregister-BpfProgram -Name $Name -Confirm:$false

        $registered.Programs | Should -Be @('step_one', 'step_three', 'step_two')
        $registered.Attachments | Should -Be @('step_one -> tracepoint sys_enter_getppid') -Because 'the targets are pinned, not attached'
        $registered.Maps | Should -Contain 'steps'
        $reached.Value | Should -Be @(0, 4, 4, 4) -Because 'the pinned program array kept its targets once the pwsh that loaded them exited'
        $registered.PinPath | Should -Not -Exist
        Get-LoadedProgramId $registered.ProgramIds | Should -BeNullOrEmpty
        Get-BpfMap | Where-Object Id -in $registered.MapIds | Should -BeNullOrEmpty -Because 'unregistering leaves no program array behind'
    }

    It 'refuses a program whose section names no hook when no program array holds it, and leaves nothing loaded' {
        $object = Build-Source 'tail-call-unfilled' @'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } jump SEC(".maps");
SEC("tp/syscalls/sys_enter_getppid")
int entry(void *ctx) { bpf_tail_call(ctx, &jump, 0); return 0; }
SEC("tp")
int left_out(void *ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
'@
        $held = @(Get-OurProgram)
        $e = { Start-BpfTrace -Path $object -Duration 00:00:02 } | Should -Throw -ErrorId 'BpfAttachTargetMissing,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.Exception.Message | Should -BeLike "*'left_out' (SEC(`"tp`")) of 'tail-call-unfilled' names no hook*no program array*"
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*.values = { `[0`] = (void `*)&left_out }*'
        Assert-NothingLeft $held
    }
}

Describe 'A map shared by its pin (LIBBPF_PIN_BY_NAME)' -Skip:(-not $IsRoot -or $SharedPinTaken) {
    BeforeAll {
        # Traces the object while a child calls getppid $Times times: the shared count as the trace reads it.
        function Measure-SharedCount([string] $Object, [int] $Times) {
            $child = Start-GetppidChild $Times
            $job = Start-BpfTrace -Path $Object -Set @{ target_pid = $child.Id } -AsJob
            try {
                Complete-Child $child
                (Read-BpfMap -Trace $job -Name ebpfps_shared_calls).Value
            }
            finally { $job | Remove-Job -Force }
        }
    }

    AfterEach {
        Remove-TestRegistrations
        Remove-Item $SharedPin -ErrorAction SilentlyContinue
    }

    It 'two traces of the object, one after the other, count in the same map, which outlives them at /sys/fs/bpf' {
        Measure-SharedCount $Shared 3 | Should -Be 3
        $SharedPin | Should -Exist -Because 'the end of a trace leaves the object''s own pin'
        (Read-BpfMap -Path $SharedPin).Value | Should -Be 3
        Measure-SharedCount $Shared 4 | Should -Be 7 -Because 'the second load reused the pinned map: the first''s 3 calls and its own 4'
        (Read-BpfMap -Path $SharedPin).Value | Should -Be 7
    }

    It 'a registration shares the map too, and Unregister-BpfProgram removes only the registration''s own pins' {
        $child = Start-GetppidChild 2
        $registered = Invoke-OtherPwsh "Register-BpfProgram -Path '$Shared' -Name $Name -Set @{ target_pid = $($child.Id) } | ConvertTo-Json -Compress" | ConvertFrom-Json
        Complete-Child $child
        Unregister-BpfProgram -Name $Name -Confirm:$false

        $registered.Maps | Should -Contain 'ebpfps_shared_calls'
        $registered.PinPath | Should -Not -Exist
        Get-LoadedProgramId $registered.ProgramIds | Should -BeNullOrEmpty
        (Read-BpfMap -Path $SharedPin).Value | Should -Be 2 -Because 'the map the object shares by name stays pinned, with the registration''s count'
        Measure-SharedCount $Shared 1 | Should -Be 3
    }

    It 'refuses an object whose map of that name is declared otherwise than the pinned one, and loads nothing' {
        Measure-SharedCount $Shared 1 | Should -Be 1
        $object = Build-Source 'shared-counter-resized' ((Get-Content -Raw "$PSScriptRoot/fixtures/shared-counter.bpf.c").Replace('__uint(max_entries, 1);', '__uint(max_entries, 2);'))
        $held = @(Get-OurProgram)
        $e = { Start-BpfTrace -Path $object -Set @{ target_pid = $PID } -Duration 00:00:02 } |
            Should -Throw -ErrorId 'BpfPinnedMapMismatch,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.Exception.Message | Should -BeLike "*'ebpfps_shared_calls' of 'shared-counter-resized' is shared by its pin $SharedPin*max_entries 1 there, 2 in the object."
        $e.ErrorDetails.RecommendedAction | Should -BeLike "*Remove-Item $SharedPin*"
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        { Register-BpfProgram -Path $object -Name $Name -ErrorAction Stop } | Should -Throw -ErrorId 'BpfPinnedMapMismatch,EbpfPS.Commands.RegisterBpfProgramCommand'
        "/sys/fs/bpf/ebpfps/registered/$Name" | Should -Not -Exist
        Assert-NothingLeft $held
        (Read-BpfMap -Path $SharedPin).Value | Should -Be 1 -Because 'the pinned map is left as it was'
    }
}

Describe 'perf_event programs of a user''s object' -Skip:(-not $IsRoot) {
    BeforeAll {
        $Online = @(Get-Content /sys/devices/system/cpu/online | ForEach-Object { foreach ($part in $_ -split ',') { $a, $b = $part -split '-'; [int]$a..[int]($b ?? $a) } })

        # A child busy on CPU 0 for 2 s: its pid and the CPU time it had, which is when the CPU clock can find it. It is
        # born on CPU 0, forked by a shell that taskset put there (a process that set its own affinity, or taskset's own
        # pid, would have run on another CPU first).
        $busy = Join-Path $Work 'busy.py'
        Set-Content $busy "import os, time`nend = time.monotonic() + 2`nwhile time.monotonic() < end: pass`nt = os.times(); print(os.getpid(), t.user + t.system)"
        function Invoke-BusyChild {
            $pid_, $cpu = (taskset -c 0 /bin/sh -c "/usr/bin/python3 $busy; true") -split ' '
            [pscustomobject]@{ ProcessId = [int] $pid_; CpuSeconds = [double] $cpu }
        }

        # The samples counted of a process (0 when it has none).
        function Get-SampleCount($Entries, [int] $ProcessId) { [int] ($Entries | Where-Object Key -eq $ProcessId).Value }

        function Get-SamplerLink { Get-BpfLink -Type perf_event | Where-Object ProgramId -in (Get-OurProgramId) }
    }

    AfterEach {
        Get-Job | Where-Object PSJobTypeName -eq BpfTraceJob | Remove-Job -Force
        Remove-TestRegistrations
    }

    It 'counts the samples of a busy child at -Frequency on every CPU, and none of a sleeping process' {
        $sleeper = Start-Process sleep 30 -PassThru
        try {
            $job = Start-BpfTrace -Path $Sampler -Frequency 99 -AsJob
            $links = @(Get-SamplerLink)
            $programIds = @(Get-OurProgramId)
            $busy = Invoke-BusyChild
            $entries = Read-BpfMap -Trace $job -Name samples
            $job | Stop-Job
        }
        finally { $sleeper.Kill() }

        $links.Count | Should -Be $Online.Count -Because 'one CPU clock event a CPU'
        $busy.CpuSeconds | Should -BeGreaterThan 0.5
        $expected = 99 * $busy.CpuSeconds
        Get-SampleCount $entries $busy.ProcessId | Should -BeGreaterOrEqual ([math]::Floor(0.5 * $expected))
        Get-SampleCount $entries $busy.ProcessId | Should -BeLessOrEqual ([math]::Ceiling(1.1 * $expected)) -Because "99 Hz for the child's $($busy.CpuSeconds) s on a CPU"
        Get-SampleCount $entries $sleeper.Id | Should -Be 0 -Because 'a sleeping process is on no CPU when the clock ticks'
        Get-LoadedProgramId $programIds | Should -BeNullOrEmpty
    }

    It 'samples only the CPUs of -Cpu' {
        if ($Online.Count -lt 2 -or 0 -notin $Online) { Set-ItResult -Skipped -Because 'it needs CPU 0 and another online CPU' ; return }
        $other = $Online | Where-Object { $_ -ne 0 } | Select-Object -First 1
        $job = Start-BpfTrace -Path $Sampler -Cpu $other -AsJob
        $links = @(Get-SamplerLink)
        $busy = Invoke-BusyChild
        $entries = Read-BpfMap -Trace $job -Name samples
        $job | Stop-Job

        $links.Count | Should -Be 1
        Get-SampleCount $entries $busy.ProcessId | Should -Be 0 -Because "the child ran on CPU 0 only, and only CPU $other was sampled"
    }

    It 'Register-BpfProgram pins a link a CPU that keeps sampling after the registering pwsh exits, and Unregister takes them all' {
        $registered = Invoke-OtherPwsh "Register-BpfProgram -Path '$Sampler' -Name $Name -Frequency 99 | ConvertTo-Json -Compress" | ConvertFrom-Json
        $busy = Invoke-BusyChild
        $entries = Read-BpfMap -Path "$($registered.PinPath)/maps/samples"
        Unregister-BpfProgram -Name $Name -Confirm:$false

        $registered.LinkIds.Count | Should -Be $Online.Count
        $registered.Attachments[0] | Should -BeLike 'count_samples_0 -> *'
        Get-SampleCount $entries $busy.ProcessId | Should -BeGreaterOrEqual ([math]::Floor(0.5 * 99 * $busy.CpuSeconds)) -Because 'the pinned links hold their perf events without the pwsh that opened them'
        Get-SampleCount $entries $busy.ProcessId | Should -BeLessOrEqual ([math]::Ceiling(1.1 * 99 * $busy.CpuSeconds))
        $registered.PinPath | Should -Not -Exist
        Get-BpfLink | Where-Object Id -in $registered.LinkIds | Should -BeNullOrEmpty
        Get-LoadedProgramId $registered.ProgramIds | Should -BeNullOrEmpty
    }

    It 'a registration made in this session keeps none of its perf events open here' {
        $held = @(Get-OurProgram)
        $registered = Register-BpfProgram -Path $Sampler -Name $Name
        Assert-NothingLeft $held # the pins hold the links, and the links their events
        @(Get-BpfLink | Where-Object Id -in $registered.LinkIds).Count | Should -Be $Online.Count
    }

    It 'refuses a CPU that is not online before loading anything, and warns when no program samples' {
        $held = @(Get-OurProgram)
        $e = { Start-BpfTrace -Path $Sampler -Cpu 8191 -Duration 00:00:02 } | Should -Throw -ErrorId 'UnknownCpu,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*-Cpu*'
        { Register-BpfProgram -Path $Sampler -Name $Name -Cpu 8191 -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownCpu,EbpfPS.Commands.RegisterBpfProgramCommand'
        Assert-NothingLeft $held
        Start-BpfTrace -Path $Shared -Frequency 999 -Duration 00:00:00.1 -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -BeLike "*No program of 'shared-counter' samples CPU clock events*"
        Remove-Item $SharedPin -ErrorAction SilentlyContinue
    }
}
