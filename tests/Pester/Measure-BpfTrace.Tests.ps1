#Requires -Version 7.4
# Measure-BpfTrace on the real kernel: each test starts a child that makes a known number of calls (of known
# sizes, lengths, errors) once the measurement is attached, and compares the counts, sums and histogram
# buckets the kernel kept with exactly those; where bpftrace is installed, also with its count().

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
    $script:HasBpftrace = [bool](Get-Command bpftrace -ErrorAction SilentlyContinue)
    $script:HasCgroup2 = [bool](Get-Cgroup2Mount)
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram)
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $Children = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    $ProgramIds = [System.IO.Path]::GetTempFileName()
    . "$PSScriptRoot/Support/Children.ps1"
    . "$PSScriptRoot/Support/Pwsh.ps1"

    # A child that runs the Python code once this process holds the raw sys_exit link (or the syscall's own).
    function Start-PythonWhenAttached([string] $Syscall, [string] $Code) {
        Start-WhenAttached (SyscallExit $Syscall) "exec python3 -c '$Code'"
    }

    function Get-Row($Measurements, [int] $ProcessId) { @($Measurements | Where-Object ProcessId -EQ $ProcessId) }
}

AfterAll {
    Stop-Children
    [System.IO.File]::Delete($ProgramIds)
    Assert-NothingLeft $HeldAtStart
}

Describe 'Measure-BpfTrace -Syscall' -Skip:(-not $IsRoot) {
    AfterEach { Stop-Children }

    It 'counts the 1234 getppid calls of a child under its process id and command' {
        $child = Start-PythonWhenAttached getppid "import os`nfor _ in range(1234): os.getppid()"
        $all = @(Measure-BpfTrace -Syscall getppid -By ProcessId, Command -Duration 3)

        $row = Get-Row $all $child.Id | Where-Object Command -EQ python3
        $row.Count | Should -Be 1234
        $row.Key | Should -Be "$($child.Id), python3"
        $row.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfMeasurement#Count' -Because 'counts alone have a view of their own, the key wide'
        $row.PSObject.TypeNames | Should -Contain 'EbpfPS.BpfMeasurement'
        $row.Sum | Should -BeNullOrEmpty -Because 'no value was measured'
        $row.Interval.TotalSeconds | Should -BeGreaterOrEqual 3
        $row.IntervalSeconds | Should -Be $row.Interval.TotalSeconds
        ($row | ConvertTo-Json | ConvertFrom-Json).IntervalSeconds | Should -Be $row.IntervalSeconds -Because 'JSON gets the interval as one number'
        $all | Select-Object -ExpandProperty ProcessId | Should -Not -Contain $PID -Because 'the measuring process is left out'
    }

    It 'sums the bytes a child writes with -Sum <Value>' -ForEach @(@{ Value = 'ReturnValue' }, @{ Value = 'count' }) {
        $child = Start-PythonWhenAttached write "import os`nfd = os.open(`"/dev/null`", os.O_WRONLY)`nfor n in range(100, 1001, 100): os.write(fd, b`"x`" * n)"
        $row = Measure-BpfTrace -Syscall write -ProcessId $child.Id -By Command -Sum $Value -Duration 3 | Where-Object Command -EQ python3

        $row.Count | Should -Be 10
        $row.Sum | Should -Be 5500
        $row.Minimum | Should -Be 100
        $row.Maximum | Should -Be 1000
        $row.Average | Should -Be 550
        $row.Value | Should -Be $Value
    }

    It 'puts sleeps of 5 ms and 20 ms into their power-of-two buckets, and draws them within 80 columns' {
        $child = Start-PythonWhenAttached clock_nanosleep "import time`nfor _ in range(5): time.sleep(0.005)`nfor _ in range(3): time.sleep(0.02)"
        $row = Measure-BpfTrace -Syscall clock_nanosleep -ProcessId $child.Id -Histogram Duration -Duration 3

        $row.Count | Should -Be 8
        $row.Value | Should -Be 'Duration (ns)'
        ($row.Histogram | Where-Object LowerBound -EQ 4MB).Count | Should -Be 5 -Because 'a 5 ms sleep takes 4,194,304 to 8,388,607 ns'
        ($row.Histogram | Where-Object LowerBound -EQ 16MB).Count | Should -Be 3 -Because 'a 20 ms sleep takes 16,777,216 to 33,554,431 ns'
        ($row.Histogram | Measure-Object Count -Sum).Sum | Should -Be 8
        $row.Histogram[0].Range | Should -Be '[4M, 8M)'
        $row.Histogram[-1].Range | Should -Be '[16M, 32M)'
        # (Python sleeps until a deadline it computed before the call: the call itself may take a little less than 5 ms)
        $row.Minimum | Should -BeGreaterOrEqual 4MB
        $row.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfMeasurement#Histogram'

        $lines = @(($row | Out-String -Width 80) -split "`n")
        $lines | Where-Object { $_ -match '^\[4M, 8M\)\s+5 \|@+\s*\|$' } | Should -HaveCount 1
        $lines | Where-Object { $_ -match '^\[16M, 32M\)\s+3 \|@+\s*\|$' } | Should -HaveCount 1
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'puts the same sleeps into linear buckets of 10 ms with -Linear' {
        $child = Start-PythonWhenAttached clock_nanosleep "import time`nfor _ in range(5): time.sleep(0.005)`nfor _ in range(3): time.sleep(0.02)"
        $row = Measure-BpfTrace -Syscall clock_nanosleep -ProcessId $child.Id -Histogram Duration -Linear 0, 40000000, 10000000 -Duration 3

        $row.Histogram.Range | Should -Be '[0, 10000000)', '[10000000, 20000000)', '[20000000, 30000000)'
        $row.Histogram | ForEach-Object Count | Should -Be 5, 0, 3
        ($row | ConvertTo-Csv | ConvertFrom-Csv).Histogram | Should -Be '[0, 10000000): 5; [10000000, 20000000): 0; [20000000, 30000000): 3'
    }

    It 'counts every call of a child once across intervals, each interval on its own' {
        $child = Start-PythonWhenAttached getppid "import os, time`nfor i in range(3000):`n    os.getppid()`n    if i % 100 == 0: time.sleep(0.08)"
        $intervals = @(Measure-BpfTrace -Syscall getppid -ProcessId $child.Id -By Command -Interval 1 -Count 5)

        $mine = @($intervals | Where-Object Command -EQ python3)
        ($mine | Measure-Object Count -Sum).Sum | Should -Be 3000
        $mine.Count | Should -BeGreaterThan 1 -Because 'the child runs for more than two seconds'
        $mine | ForEach-Object { $_.Interval.TotalSeconds | Should -BeLessThan 1.5 }
    }

    It 'counts from the start of the trace in each interval with -Cumulative, and stops at Select-Object -First' {
        # 500 calls at once, then none: every snapshot from the start after them holds all 500, where a reset one
        # would have no row (python may take a while to start: up to 20 snapshots)
        $child = Start-PythonWhenAttached getppid "import os, time`nfor i in range(500): os.getppid()`ntime.sleep(30)"
        $first, $second = @(Measure-BpfTrace -Syscall getppid -ProcessId $child.Id -By Command -Interval 0.5 -Cumulative -Count 20 |
            Where-Object { $_.Command -eq 'python3' -and $_.Count -eq 500 } | Select-Object -First 2)

        $second | Should -Not -BeNullOrEmpty -Because 'two snapshots hold the 500 calls'
        $second.Interval | Should -BeGreaterThan $first.Interval
        Get-OurProgram | Where-Object { $_ -like '*bpf_link*' } | Should -BeNullOrEmpty -Because 'Select-Object -First detaches the measurement'
    }

    It 'ends at Ctrl-C and leaves nothing attached' {
        # The measuring process says what it still holds once Ctrl-C has stopped the cmdlet: a finally block runs
        # after the stopped pipeline, and writes to a file.
        $left = [System.IO.Path]::GetTempFileName()
        $measuring = Start-Pwsh "try { Measure-BpfTrace -Syscall getppid -By ProcessId -Duration 60 } finally { [System.IO.File]::WriteAllText('$left', @([System.IO.Directory]::GetFiles(`"/proc/`$PID/fd`") | Where-Object { ([System.IO.FileInfo]::new(`$_).LinkTarget) -like 'anon_inode:bpf*' }).Count) }"
        $Children.Add($measuring)
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while (-not @([System.IO.Directory]::GetFiles("/proc/$($measuring.Id)/fd") | Where-Object { ([System.IO.FileInfo]::new($_).LinkTarget) -like 'anon_inode:bpf?link' })) {
            if ([datetime]::UtcNow -gt $deadline) { throw 'the measurement never attached' }
            [System.Threading.Thread]::Sleep(50)
        }
        & kill -INT $measuring.Id
        $measuring.WaitForExit(10000) | Should -BeTrue -Because 'Ctrl-C ends a measurement of 60 s at once'
        Get-Content $left | Should -Be '0' -Because 'no BPF program, map or link stays open after Ctrl-C'
        Remove-Item $left
    }

    It 'attaches <Attached> when measuring <Case>' -ForEach @(
        @{ Case = 'what the exit knows'; Measure = @{ By = 'ProcessId', 'ErrorName' }; Attached = 'sys_exit' }
        @{ Case = 'durations'; Measure = @{ Histogram = 'Duration' }; Attached = 'sys_enter', 'sys_exit' }
        @{ Case = 'by an argument'; Measure = @{ By = 'ProcessId', 'fd' }; Attached = 'sys_enter', 'sys_exit' }
    ) {
        $child = Start-PythonWhenAttached write "import os, time`nfor _ in range(1000):`n    os.write(1, b`"`")`n    time.sleep(0.01)"
        $held = Measure-BpfTrace -Syscall write -ProcessId $child.Id @Measure -Interval 0.3 | Select-Object -First 1 | ForEach-Object {
            $lines = foreach ($fd in [System.IO.Directory]::GetFiles("/proc/$PID/fdinfo")) { try { [System.IO.File]::ReadAllLines($fd) } catch { } } # (some close meanwhile)
            $lines | Where-Object { $_ -match '^tp_name:\s*(sys_\w+)' } | ForEach-Object { $Matches[1] }
        }
        @($held | Sort-Object) | Should -Be $Attached
    }

    It 'counts the failed opens of a child by command and error name with -FailedOnly' {
        # ENOTDIR: a file taken for a directory, which Python's own start-up (ENOENT for files it probes) never gets.
        $child = Start-PythonWhenAttached openat "for i in range(7):`n    try: open(f`"/etc/hostname/{i}`")`n    except OSError: pass`nfor _ in range(2): open(`"/etc/hostname`").close()"
        $rows = @(Measure-BpfTrace -Syscall openat -ProcessId $child.Id -FailedOnly -By Command, ErrorName -Duration 3)

        $notDirectory = $rows | Where-Object { $_.Command -eq 'python3' -and $_.ErrorName -eq 'ENOTDIR' }
        $notDirectory.Count | Should -Be 7
        @($rows | Where-Object ErrorName -EQ '') | Should -BeNullOrEmpty -Because 'the successful opens are filtered in the kernel'
    }

    It 'counts a child''s opens by the file name it opened, not by the name''s address' {
        $child = Start-PythonWhenAttached openat "for _ in range(11): open(`"/etc/hostname`").close()`nfor _ in range(3):`n    try: open(`"/etc/ebpfps-missing-$PID`")`n    except OSError: pass"
        $rows = @(Measure-BpfTrace -Syscall openat -ProcessId $child.Id -By filename, ErrorName -Duration 3)

        ($rows | Where-Object filename -EQ /etc/hostname).Count | Should -Be 11
        $missing = $rows | Where-Object filename -EQ "/etc/ebpfps-missing-$PID"
        $missing.Count | Should -Be 3
        $missing.ErrorName | Should -Be ENOENT
        $missing.Key | Should -Be "/etc/ebpfps-missing-$PID, ENOENT"
        ($missing | Out-String -Width 80) | Should -Match "(?m)^/etc/ebpfps-missing-$PID, ENOENT +3$" -Because 'the key is wide where only counts are shown'
    }

    It 'counts a child''s calls by its user, CPU and cgroup' -Skip:(-not $HasCgroup2) {
        $name = "ebpfps-measure-$PID"
        $cgroup = Join-Path (Get-Cgroup2Mount) $name
        $null = New-Item -ItemType Directory $cgroup -Force
        $cpu = [Environment]::ProcessorCount - 1
        try {
            $child = Start-WhenAttached (SyscallExit getppid) "echo `$`$ > $cgroup/cgroup.procs; exec setpriv --reuid 65534 --regid 65534 --clear-groups taskset -c $cpu python3 -c 'import os`nfor _ in range(321): os.getppid()'"
            $rows = @(Measure-BpfTrace -Syscall getppid -ProcessId $child.Id -By UserId, Cpu, Cgroup -Duration 3)

            $rows | Should -HaveCount 1
            $rows[0].Count | Should -Be 321
            $rows[0].UserId | Should -Be 65534
            $rows[0].Cpu | Should -Be $cpu
            $rows[0].Cgroup | Should -Be "/$name"
        }
        finally {
            Stop-Children
            Start-Sleep -Milliseconds 100
            [System.IO.Directory]::Delete($cgroup) # cgroupfs removes directories with rmdir only
        }
    }

    It 'counts up to -MaxKeys keys and warns how many events did not fit' {
        $child = Start-PythonWhenAttached getpgid "import os`nfor p in range(1, 7):`n    try: os.getpgid(p)`n    except OSError: pass"
        $rows = @(Measure-BpfTrace -Syscall getpgid -ProcessId $child.Id -By pid -MaxKeys 2 -Duration 3 -WarningVariable warnings -WarningAction SilentlyContinue)

        $rows | Should -HaveCount 2
        ($rows | Measure-Object Count -Sum).Sum | Should -Be 2
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match '^4 events were not counted'
    }

    It 'gives the same count as bpftrace''s count()' -Skip:(-not $HasBpftrace) {
        $child = Start-WhenAttached (SyscallExit getppid) "sleep 2; exec python3 -c 'import os`nfor _ in range(4321): os.getppid()'"
        $info = [System.Diagnostics.ProcessStartInfo]::new('bpftrace')
        foreach ($argument in '-e', "tracepoint:syscalls:sys_exit_getppid /pid == $($child.Id)/ { @ = count(); } interval:s:5 { exit(); }") { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $bpftrace = [System.Diagnostics.Process]::Start($info)
        $Children.Add($bpftrace)
        $rows = @(Measure-BpfTrace -Syscall getppid -ProcessId $child.Id -By Command -Duration 4)
        $printed = $bpftrace.StandardOutput.ReadToEnd()

        ($rows | Where-Object Command -EQ python3).Count | Should -Be 4321
        $printed -match '@: (\d+)' | Should -BeTrue -Because "bpftrace printed: $printed"
        [int] $Matches[1] | Should -Be ($rows | Measure-Object Count -Sum).Sum -Because 'bpftrace counts the same calls of that process (its shell''s too)'
    }
}

Describe 'Measure-BpfTrace beside bpftrace' -Skip:(-not $IsRoot -or -not $HasBpftrace) {
    AfterEach { Stop-Children }

    It 'draws the same buckets as bpftrace''s hist() of a child''s write sizes' {
        $child = Start-WhenAttached (SyscallExit write) "sleep 2; exec python3 -c 'import os`nfd = os.open(`"/dev/null`", os.O_WRONLY)`nfor n in range(100, 1001, 100): os.write(fd, b`"x`" * n)'"
        $info = [System.Diagnostics.ProcessStartInfo]::new('bpftrace')
        foreach ($argument in '-e', "tracepoint:syscalls:sys_exit_write /pid == $($child.Id) && comm == `"python3`"/ { @ = hist(args->ret); } interval:s:5 { exit(); }") { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $bpftrace = [System.Diagnostics.Process]::Start($info)
        $Children.Add($bpftrace)
        $row = Measure-BpfTrace -Syscall write -ProcessId $child.Id -Command python3 -Histogram ReturnValue -Duration 4
        $printed = $bpftrace.StandardOutput.ReadToEnd()

        $theirs = @([regex]::Matches($printed, '(?m)^(\[[^\r\n|]*?[)\]])\s+(\d+)\s+\|') | ForEach-Object { "$($_.Groups[1].Value) $($_.Groups[2].Value)" })
        $ours = @($row.Histogram | ForEach-Object { "$($_.Range) $($_.Count)" })
        $theirs | Should -Not -BeNullOrEmpty -Because "bpftrace printed: $printed"
        $ours | Should -Be $theirs
        $ours | Should -Be '[64, 128) 1', '[128, 256) 1', '[256, 512) 3', '[512, 1K) 5' # 100; 200; 300 to 500; 600 to 1000
    }
}

Describe 'Measure-BpfTrace -Tracepoint' -Skip:(-not $IsRoot) {
    AfterEach { Stop-Children }

    It 'counts the execs of a child''s children by command' {
        $child = Start-WhenAttached sched_process_exec "for i in 1 2 3 4 5; do /bin/true; done; /bin/echo > /dev/null"
        $rows = @(Measure-BpfTrace -Tracepoint sched:sched_process_exec -ProcessId $child.Id -IncludeChildren -By Command -Duration 3)

        ($rows | Where-Object Command -EQ true).Count | Should -Be 5
        ($rows | Where-Object Command -EQ echo).Count | Should -Be 1
    }

    It 'counts and sums a child''s signals by the tracepoint''s sig field' {
        $child = Start-WhenAttached signal_generate "trap : USR1 USR2; for i in 1 2 3; do kill -USR1 `$`$; done; kill -USR2 `$`$; kill -USR2 `$`$"
        $rows = @(Measure-BpfTrace -Tracepoint signal:signal_generate -ProcessId $child.Id -By sig -Sum sig -Duration 3)

        ($rows | Where-Object sig -EQ 10).Count | Should -Be 3 -Because 'SIGUSR1 is 10'
        ($rows | Where-Object sig -EQ 12).Count | Should -Be 2 -Because 'SIGUSR2 is 12'
        ($rows | Where-Object sig -EQ 12).Sum | Should -Be 24
    }

    It 'counts each tracepoint a wildcard matched under its name with -By Tracepoint' {
        $child = Start-WhenAttached signal_deliver "trap : USR1; for i in 1 2 3; do kill -USR1 `$`$; done"
        $rows = @(Measure-BpfTrace -Tracepoint 'signal:signal_*' -ProcessId $child.Id -By Tracepoint, sig -Duration 3)

        # (bash's SIGCHLD of the children it ran before comes too: sig 17)
        ($rows | Where-Object { $_.Tracepoint -eq 'signal:signal_generate' -and $_.sig -eq 10 }).Count | Should -Be 3
        ($rows | Where-Object { $_.Tracepoint -eq 'signal:signal_deliver' -and $_.sig -eq 10 }).Count | Should -Be 3 -Because 'bash handles each USR1'
    }

    It 'counts a child''s children''s execs by the file name of varying length (__data_loc) they ran' {
        $child = Start-WhenAttached sched_process_exec "for i in 1 2 3 4 5; do /bin/true; done; /bin/echo > /dev/null"
        $rows = @(Measure-BpfTrace -Tracepoint sched:sched_process_exec -ProcessId $child.Id -IncludeChildren -By filename -Duration 3)

        ($rows | Where-Object filename -EQ /bin/true).Count | Should -Be 5
        ($rows | Where-Object filename -EQ /bin/echo).Count | Should -Be 1
    }
}

Describe 'Measure-BpfTrace -Exec' -Skip:(-not $IsRoot) {
    AfterEach { Stop-Children }

    It 'counts a child''s execs by it as their parent, and the failed one by its error' {
        # (the child's own grep and sed, which wait for the trace, are its execs too: counted by command apart)
        $child = Start-WhenAttached 'sys_exit_execve', 'sys_exit_execveat' "for i in 1 2 3 4; do /bin/true; done; ./ebpfps-missing-program 2>/dev/null; exit 0"
        $rows = @(Measure-BpfTrace -Exec -By ParentProcessId, Command, ErrorName -Average Duration -Duration 3 | Where-Object ParentProcessId -EQ $child.Id)

        $true4 = $rows | Where-Object { $_.Command -eq 'true' -and $_.ErrorName -eq '' }
        $true4.Count | Should -Be 4
        $true4.Minimum | Should -BeGreaterThan 0 -Because 'an exec takes time'
        ($rows | Where-Object ErrorName -EQ ENOENT).Count | Should -Be 1
    }
}

Describe 'Measure-BpfTrace -KernelFunction' -Skip:(-not $IsRoot) {
    BeforeAll {
        $HasKprobes = [System.IO.Directory]::Exists('/sys/bus/event_source/devices/kprobe') -or [System.IO.File]::Exists('/sys/kernel/tracing/kprobe_events')
        $HasFentry = [bool](bpftool feature probe kernel 2>$null | Where-Object { $_ -match 'program_type tracing is available' })
    }

    It 'names what the kernel lacks where neither kprobes nor fentry work' {
        if ($HasKprobes -or $HasFentry) { Set-ItResult -Skipped -Because 'this kernel hooks functions (the counting itself is tested by xunit''s AggregationKernelTests in the kernel matrix)' }
        $err = { Measure-BpfTrace -KernelFunction do_unlinkat -Duration 1 } | Should -Throw -ErrorId 'KernelFunctionTracingNotSupported,EbpfPS.Commands.MeasureBpfTraceCommand' -PassThru
        $err.Exception.Message | Should -Match 'kprobes'
    }

    It 'refuses an argument the prototype does not have with UnknownMeasureField' {
        $err = { Measure-BpfTrace -KernelFunction do_unlinkat -By colour -Duration 1 } | Should -Throw -ErrorId 'UnknownMeasureField,EbpfPS.Commands.MeasureBpfTraceCommand' -PassThru
        $err.Exception.Message | Should -Match 'int do_unlinkat\(int dfd, struct filename \* name\)'
    }
}

Describe 'Measure-BpfTrace -UserFunction' -Skip:(-not $IsRoot) {
    AfterEach { Stop-Children }

    It 'counts a child''s calls of libc functions by the function a wildcard matched, and their durations' {
        $cookies = @(Get-BpfFeature -Name BpfCookies | Where-Object Supported).Count -gt 0
        if (-not $cookies) { Set-ItResult -Skipped -Because 'several functions in one trace need BPF cookies (5.15+)' }
        $child = Start-WhenUprobed "exec python3 -c 'import os`nfor _ in range(7): os.getppid()`nfor _ in range(3): os.getpgid(0)'"
        $rows = @(Measure-BpfTrace -UserFunction 'libc:getp[gp]id' -ProcessId $child.Id -Command python3 -By Function -Average Duration -Duration 5)

        ($rows | Where-Object Function -EQ getppid).Count | Should -Be 7
        ($rows | Where-Object Function -EQ getpgid).Count | Should -Be 3
        $rows | ForEach-Object { $_.Value | Should -Be 'Duration (ns)'; $_.Minimum | Should -BeGreaterThan 0 }
    }

    It 'counts by an argument register and by the return value' {
        $child = Start-WhenUprobed "exec python3 -c 'import os`nfor sig in (0, 0, 0, 10, 10): os.kill(os.getpid(), sig) if sig == 0 else None`nos.kill(os.getppid(), 0)'"
        $rows = @(Measure-BpfTrace -UserFunction libc:kill -ProcessId $child.Id -Command python3 -By arg0, ReturnValue -Duration 5)

        ($rows | Where-Object { $_.arg0 -eq $child.Id -and $_.ReturnValue -eq 0 }).Count | Should -Be 3
        ($rows | Where-Object { $_.arg0 -eq $PID -and $_.ReturnValue -eq 0 }).Count | Should -Be 1
    }

    It 'counts by the string -ArgumentType declares <Key>' -ForEach @(
        @{ Key = 'an argument: getenv''s name'; By = 'name' }
        @{ Key = 'a return value: what getenv returns'; By = 'ReturnValue' }
    ) {
        $name = "EBPFPS_$([guid]::NewGuid().ToString('N'))"
        $child = Start-WhenUprobed "exec python3 -c 'import ctypes
libc = ctypes.CDLL(None)
libc.setenv(b`"$name`", b`"value $name`", 1)
for _ in range(5): libc.getenv(b`"$name`")
for _ in range(2): libc.getenv(b`"${name}_UNSET`")'"
        $rows = @(Measure-BpfTrace -UserFunction libc:getenv -ArgumentType 'char *getenv(const char *name)' -ProcessId $child.Id -By $By -Duration 5)

        if ($By -eq 'name') {
            ($rows | Where-Object name -EQ $name).Count | Should -Be 5
            ($rows | Where-Object name -EQ "${name}_UNSET").Count | Should -Be 2
        }
        else {
            ($rows | Where-Object ReturnValue -EQ "value $name").Count | Should -Be 5
            ($rows | Where-Object ReturnValue -EQ '').Count | Should -BeGreaterOrEqual 2 -Because 'NULL, which points to no text, counts as empty (python asks for more unset variables as it starts)'
        }
    }
}

Describe 'Measure-BpfTrace -By KernelStack, UserStack' -Skip:(-not $IsRoot) {
    BeforeAll {
        # main -> ebpfps_outer -> ebpfps_inner -> syscall(SYS_getppid) three times, then five seconds of sleep
        $StackTarget = "$([System.IO.Path]::GetTempPath())ebpfps-measure-stacks-$PID"
        Build-FixtureProgram stack-target $StackTarget
    }
    AfterAll { Remove-Item $StackTarget -ErrorAction Ignore }
    AfterEach { Stop-Children }

    It 'counts a child''s three getppid calls under the one user stack that made them, with the process it belongs to' {
        $child = Start-WhenAttached (SyscallExit getppid) "exec $StackTarget"
        $rows = @(Measure-BpfTrace -Syscall getppid -ProcessId $child.Id -By UserStack -Duration 3)

        $rows | Should -HaveCount 1
        $rows[0].Count | Should -Be 3
        $rows[0].UserStack | Should -Match '(^|;)main;ebpfps_outer;syscall$' -Because 'folded outermost first, as Start-BpfTrace -Stack folds it'
    }

    It 'names the library frames of a process that exited long before the counts were read' {
        $child = Start-WhenAttached (SyscallExit getppid) "exec $StackTarget at-once"
        $rows = @(Measure-BpfTrace -Syscall getppid -ProcessId $child.Id -By UserStack -Duration 3)

        $child.WaitForExit(0) | Should -BeTrue
        $rows | Should -HaveCount 1
        $rows[0].Count | Should -Be 3
        # taken by build id, the frames are found in libc after the process: its syscall(), and the unexported function
        # that calls main by its file (the program's own frames need its command's name, which -By UserStack lacks)
        $rows[0].UserStack | Should -Match '^\[libc\.so\.6\];.*;syscall$'
    }

    It 'counts by the kernel stack and the command together' {
        $child = Start-WhenAttached (SyscallExit getppid) "exec $StackTarget"
        $rows = @(Measure-BpfTrace -Syscall getppid -ProcessId $child.Id -By Command, KernelStack -Duration 3)

        ($rows | Measure-Object Count -Sum).Sum | Should -Be 3
        $rows.Command | Sort-Object -Unique | Should -Be ([System.IO.Path]::GetFileName($StackTarget).Substring(0, 15))
        $rows | ForEach-Object { $_.KernelStack | Should -Match '^entry_SYSCALL_64\w*_\[k\];(.*;)?do_syscall_64_\[k\]' }
    }

    It 'refuses a stack key with -Exec, whose records take none' {
        { Measure-BpfTrace -Exec -By KernelStack -Duration 1 } | Should -Throw -ErrorId 'UnknownMeasureField,EbpfPS.Commands.MeasureBpfTraceCommand'
    }
}

Describe 'Measure-BpfTrace input errors' -Skip:(-not $IsRoot) {
    It 'refuses <Case> with <ErrorId>' -ForEach @(
        @{ Case = 'no -Duration or -Interval'; ErrorId = 'MeasureDurationRequired'; Command = { Measure-BpfTrace -Syscall read } }
        @{ Case = 'an unknown key'; ErrorId = 'UnknownMeasureField'; Command = { Measure-BpfTrace -Syscall read -By Colour -Duration 1 } }
        @{ Case = 'an argument not at the same place in each syscall'; ErrorId = 'UnknownMeasureField'; Command = { Measure-BpfTrace -Syscall read, openat -By fd -Duration 1 } }
        @{ Case = 'two values'; ErrorId = 'MeasureValueAmbiguous'; Command = { Measure-BpfTrace -Syscall read -Sum Duration -Maximum ReturnValue -Duration 1 } }
        @{ Case = 'five keys'; ErrorId = 'MeasureKeysTooMany'; Command = { Measure-BpfTrace -Syscall read -By ProcessId, ThreadId, Command, Cpu, UserId -Duration 1 } }
        @{ Case = 'two text keys'; ErrorId = 'MeasureKeysTooMany'; Command = { Measure-BpfTrace -Tracepoint sched:sched_process_exec -By filename, filename -Duration 1 } }
        @{ Case = '-Linear without -Histogram'; ErrorId = 'InvalidLinearBuckets'; Command = { Measure-BpfTrace -Syscall read -Linear 0, 10, 1 -Duration 1 } }
        @{ Case = '-Linear with a maximum below its minimum'; ErrorId = 'InvalidLinearBuckets'; Command = { Measure-BpfTrace -Syscall read -Histogram Duration -Linear 10, 0, 1 -Duration 1 } }
        @{ Case = 'a zero interval'; ErrorId = 'InvalidDuration'; Command = { Measure-BpfTrace -Syscall read -Interval 0 } }
        @{ Case = 'an unknown syscall'; ErrorId = 'SyscallNotFound'; Command = { Measure-BpfTrace -Syscall nosuchcall -Duration 1 } }
        @{ Case = 'an exec by its filename'; ErrorId = 'UnknownMeasureField'; Command = { Measure-BpfTrace -Exec -By Filename -Duration 1 } }
    ) {
        $err = $Command | Should -Throw -ErrorId "$ErrorId,EbpfPS.Commands.MeasureBpfTraceCommand" -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}
