#Requires -Version 7.4
# Start-BpfTrace -Path: the user's own object, compiled here with clang as a user would.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    . "$PSScriptRoot/Support/Attach.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $Repo = [System.IO.Path]::GetFullPath("$PSScriptRoot/../..")
    $Work = [System.IO.Directory]::CreateTempSubdirectory('ebpfps-path-').FullName

    # A child that calls getppid(2) $Times times once it reads a line. /usr/bin/python3, not a version
    # manager's shim: a shim is a shell that calls getppid itself before it execs python in the same pid.
    function Start-GetppidChild([int] $Times) {
        $info = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add("import os, sys; sys.stdin.readline(); [os.getppid() for _ in range($Times)]")
        $info.RedirectStandardInput = $true
        [System.Diagnostics.Process]::Start($info)
    }

    $Counter = Build-Fixture getppid-counter
    $PerfNumbered = Build-Fixture getppid-perf
}

AfterAll {
    Get-Job | Where-Object PSJobTypeName -eq BpfTraceJob | Remove-Job -Force
    [System.IO.Directory]::Delete($Work, $true)
    Assert-NothingLeft $HeldAtStart
}

Describe 'Start-BpfTrace -Path' -Skip:(-not $IsRoot) {
    AfterEach {
        Get-Job | Where-Object PSJobTypeName -eq BpfTraceJob | Remove-Job -Force
    }

    It 'runs the object with its .rodata filter set, decodes its ring buffer by BTF and reads its map while it runs' {
        $child = Start-GetppidChild 3
        $job = Start-BpfTrace -Path $Counter -Set @{ target_pid = $child.Id } -AsJob
        $child.StandardInput.WriteLine('go')
        $child.WaitForExit(5000) | Should -BeTrue
        $events = Receive-Until $job 3

        $events.Count | Should -Be 3
        $events[0].PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfObjectEvent'
        @($events | ForEach-Object { $_.count }) | Should -Be @(1, 2, 3)  # .count alone would be the array's Count
        $events[0].pid | Should -Be $child.Id
        $events[0].comm | Should -Be 'python3'
        $events.phase | Should -Be @('PHASE_FIRST', 'PHASE_LATER', 'PHASE_LATER')
        $events[2].pair.low | Should -Be 7
        $events[2].pair.high | Should -Be 0xbeef
        $events[2].values | Should -Be @([uint64]$child.Id, [uint64]0xfeedfacecafe)

        $job.Trace.MapNames | Should -Contain 'counts'
        $entry = Read-BpfMap -Trace $job -Name counts
        $entry.Key | Should -Be $child.Id
        $entry.Value | Should -Be 3

        $job | Stop-Job
        $job.State | Should -Be 'Stopped'
    }

    It 'streams in the foreground and stops at -Count' {
        # This child waits by itself until this process holds a BPF link (its own descriptors, not a program name
        # that another process may load too), then calls getppid(2) five times.
        $info = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add(@"
import glob, os, time
def attached():
    for f in glob.glob('/proc/$PID/fdinfo/*'):
        try: text = open(f).read()
        except OSError: continue
        if 'link_type:' in text and 'prog_id:' in text: return True
    return False
while not attached(): time.sleep(0.02)
[os.getppid() for _ in range(5)]
"@)
        $child = [System.Diagnostics.Process]::Start($info)
        $events = @(Start-BpfTrace -Path $Counter -Set @{ target_pid = $child.Id } -Count 2 -Duration 00:00:10)
        @($events | ForEach-Object { $_.count }) | Should -Be @(1, 2)
        if (-not $child.WaitForExit(5000)) { $child.Kill() }
    }

    It 'reports what a full perf buffer lost, once, at the end' {
        # The child calls getppid once, then 50,000 times while the pipeline waits on the first record for the
        # flood to end: the queue fills, the reader stops draining and the 4KB perf buffers overflow. A perf
        # buffer tells its losses with the next record it takes, so once the pipeline has drained a while (1,000
        # events, or 3 s when fewer than that got through, as on a loaded machine) the child makes 50 calls more,
        # 100 ms apart: the reader may not have emptied the buffer yet when the first comes (a CI run lost a single
        # last call so). Records are numbered. The child stays on one CPU: each CPU has a perf buffer of its own, and one
        # it left would never tell what it lost after its last record. The pipeline works through the queue and
        # a buffer's worth (~27,000 events) before the last record: 30 s leave a slow machine time for that.
        $info = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add("import os, select, sys, time`nos.sched_setaffinity(0, {min(os.sched_getaffinity(0))})`nsys.stdin.readline(); os.getppid(); time.sleep(0.5)`n[os.getppid() for _ in range(50000)]`nprint('flooded', flush=True)`nselect.select([sys.stdin], [], [], 3)`nfor _ in range(50): os.getppid(); time.sleep(0.1)")
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $child = [System.Diagnostics.Process]::Start($info)
        $n = 0
        Start-BpfTrace -Path $PerfNumbered -Set @{ target_pid = $child.Id } -BufferSize 4KB -Duration 00:00:30 -WarningVariable warnings -OutVariable received -WarningAction SilentlyContinue |
            ForEach-Object -Begin { $child.StandardInput.WriteLine('go') } -Process {
                if ($n -eq 0) { $null = $child.StandardOutput.ReadLine() }   # the flood is over
                if ($n -eq 1000) { $child.StandardInput.WriteLine('again') } # the buffers have room again
                $n++
            }

        $warnings.Count | Should -Be 1
        "$($warnings[0])" -match '^(\d+) events were lost' | Should -BeTrue -Because "the warning says how many: $($warnings[0])"
        $lost = [int]$Matches[1]
        $lost | Should -BeGreaterThan 0
        # Every record up to the last one delivered is received or counted as lost (what a perf buffer lost after
        # its last record it never tells).
        $last = ($received | ForEach-Object seq | Measure-Object -Maximum).Maximum
        $received.Count + $lost | Should -Be ($last + 1)
        $last | Should -BeGreaterOrEqual 50000
        $child.WaitForExit(5000) | Should -BeTrue
    }

    It 'writes -ProcessId into the object''s process id global (target_pid here)' {
        $child = Start-GetppidChild 2
        $other = Start-GetppidChild 2
        $job = Start-BpfTrace -Path $Counter -ProcessId $child.Id -AsJob
        $other.StandardInput.WriteLine('go')
        $child.StandardInput.WriteLine('go')
        $child.WaitForExit(5000), $other.WaitForExit(5000) | Should -Be $true, $true
        $events = Receive-Until $job 2

        $events.pid | Should -Be @($child.Id, $child.Id)
        $job | Stop-Job
    }
}

Describe 'Start-BpfTrace -Path errors' -Skip:(-not $IsRoot) {
    It 'refuses -ProcessId that the object cannot take, and several ids' {
        $rejected = Build-Source rejected (Get-Content -Raw "$Repo/tests/EbpfPS.Tests/Fixtures/rejected.bpf.c")
        $err = { Start-BpfTrace -Path $rejected -ProcessId $PID -Count 1 } |
            Should -Throw -ErrorId 'ProcessIdGlobalNotFound,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*targ_tgid*'
        { Start-BpfTrace -Path $Counter -ProcessId $PID -Set @{ target_pid = 1 } -Count 1 } |
            Should -Throw -ErrorId 'ProcessIdGlobalSetTwice,EbpfPS.Commands.StartBpfTraceCommand'
        { Start-BpfTrace -Path $Counter -ProcessId 1, 2 -Count 1 } |
            Should -Throw -ErrorId 'ProcessIdNotSingle,EbpfPS.Commands.StartBpfTraceCommand'
    }

    It 'shows the verifier log when the kernel rejects a program' {
        $rejected = Build-Source rejected (Get-Content -Raw "$Repo/tests/EbpfPS.Tests/Fixtures/rejected.bpf.c")
        $err = { Start-BpfTrace -Path $rejected -Count 1 } | Should -Throw -ErrorId 'BpfVerifierRejected,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $err.ErrorDetails.Message | Should -Match "invalid mem access 'map_value_or_null'"
    }

    It 'names the globals that exist when -Set names one that does not' {
        $err = { Start-BpfTrace -Path $Counter -Set @{ no_such_global = 1 } -Count 1 } | Should -Throw -ErrorId 'BpfGlobalNotFound,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match 'target_pid'
    }

    It 'refuses a value that does not fit the global''s type' {
        { Start-BpfTrace -Path $Counter -Set @{ target_pid = -1 } -Count 1 } | Should -Throw -ErrorId 'BpfGlobalValueInvalid,EbpfPS.Commands.StartBpfTraceCommand'
    }

    It 'refuses a file that is no BPF object, and a missing file' {
        $garbage = Join-Path $Work 'garbage.o'
        [System.IO.File]::WriteAllText($garbage, 'not an ELF file')
        $e = { Start-BpfTrace -Path $garbage -Count 1 } | Should -Throw -ErrorId 'BpfObjectInvalid,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.Exception.Message | Should -BeLike "*garbage.o' is not a BPF object*"
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*clang -g -O2 -target bpf*'
        # an ELF file that is not a BPF object: libbpf's own error code, said in words
        $e = { Start-BpfTrace -Path /usr/bin/true -Count 1 } | Should -Throw -ErrorId 'BpfObjectInvalid,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'libbpf error 40\d\d'
        $e.Exception.Message | Should -Not -Match 'Unknown error'
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*clang*'
        { Start-BpfTrace -Path (Join-Path $Work 'missing.o') -Count 1 } | Should -Throw -ErrorId 'BpfObjectFileNotFound,EbpfPS.Commands.StartBpfTraceCommand'
    }

    It 'refuses <Case> with <Id> before reading it' -ForEach @(
        @{ Case = 'a directory'; Make = { param($p) $null = New-Item -ItemType Directory $p }; Id = 'BpfObjectNotAFile'; Category = 'InvalidArgument'; Says = '*is a directory*' }
        @{ Case = 'a FIFO'; Make = { param($p) & mkfifo $p }; Id = 'BpfObjectNotAFile'; Category = 'InvalidArgument'; Says = '*is a FIFO*' }
        @{ Case = 'a device'; Device = '/dev/zero'; Id = 'BpfObjectNotAFile'; Category = 'InvalidArgument'; Says = '*is a character device*' }
        @{ Case = 'an 8 GB sparse file'; Make = { param($p) & truncate -s 8G $p }; Id = 'BpfObjectTooLarge'; Category = 'LimitsExceeded'; Says = '*8,589,934,592 bytes*64 MB*' }
        @{ Case = 'an empty file'; Make = { param($p) $null = New-Item -ItemType File $p }; Id = 'BpfObjectInvalid'; Category = 'InvalidArgument'; Says = '*the file is empty*' }
    ) {
        # before: a FIFO blocked forever, /dev/zero read until OutOfMemory, a directory said "access denied"
        # (not $Path: the suite runner's own -Path would show through where a case has none)
        $target = if ($Device) { $Device } else { Join-Path $Work "input-$($Case -replace '\W', '-')" }
        if ($Make) { & $Make $target }
        $e = { Start-BpfTrace -Path $target -Count 1 } | Should -Throw -ErrorId "$Id,EbpfPS.Commands.StartBpfTraceCommand" -PassThru
        $e.CategoryInfo.Category | Should -Be $Category
        $e.Exception.Message | Should -BeLike $Says
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*clang*'
    }

    It 'refuses -Set with $null, and a string with no room for its NUL' {
        $object = Build-Source label @'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
const volatile char label[8] = "";
const volatile __u32 target_pid = 0;
SEC("tracepoint/syscalls/sys_enter_getppid")
int label_getppid(void *ctx) { if (target_pid) bpf_printk("%s", label); return 0; }
char LICENSE[] SEC("license") = "GPL";
'@
        $held = @(Get-OurProgram)
        # before: both were accepted, $null silently as 0 and 8 characters without their NUL
        $e = { Start-BpfTrace -Path $object -Set @{ target_pid = $null } -Count 1 } | Should -Throw -ErrorId 'BpfGlobalValueInvalid,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -BeLike "*no value (`$null) for 'target_pid'*"
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*leave it out of -Set*'
        $e = { Start-BpfTrace -Path $object -Set @{ label = 'abcdefgh' } -Count 1 } | Should -Throw -ErrorId 'BpfGlobalValueInvalid,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.Exception.Message | Should -Match 'char\[8\] holds 7 and the NUL that ends it'
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        # seven fit
        $job = Start-BpfTrace -Path $object -Set @{ label = 'abcdefg' } -AsJob
        try { $job.State | Should -Be 'Running' } finally { $job | Remove-Job -Force }
        Assert-NothingLeft $held # of the refused traces and of the job
    }

    It 'warns that an object with no programs will bring no events' {
        $object = Build-Source empty @'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } nothing SEC(".maps");
char LICENSE[] SEC("license") = "GPL";
'@
        $events = Start-BpfTrace -Path $object -Duration 00:00:00.2 -WarningVariable warnings -WarningAction SilentlyContinue
        $events | Should -BeNullOrEmpty
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*empty.bpf.o' holds no programs*no events will come*"
    }

    It 'leaves nothing loaded after all of that' {
        # this process holds no program, map, link or perf event of any refused or ended trace
        Assert-NothingLeft $HeldAtStart
    }
}
