#Requires -Version 7.4
# Get-BpfTraceLog on the real kernel. Each test writes its own lines into the trace log (bpf_printk from a
# bpftrace program, or trace_marker) with a marker no other line has, and asserts on exactly those lines.
# Lines written before the cmdlet starts are read with -IncludeBacklog.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    . "$PSScriptRoot/Support/Pwsh.ps1"

    function New-Marker { "ebpfps-pester-$([guid]::NewGuid().ToString('N').Substring(0, 12))" }

    # A line in the trace log written by this process (Event tracing_mark_write).
    function Write-TraceMarker([string] $Text) {
        [System.IO.File]::WriteAllText('/sys/kernel/tracing/trace_marker', $Text)
    }

    # Runs bpftrace once: its BEGIN probe calls bpf_printk (debugf) in bpftrace's own process.
    function Invoke-BpfPrintk([string] $Text) {
        $info = [System.Diagnostics.ProcessStartInfo]::new('bpftrace')
        $info.ArgumentList.Add('-e')
        $info.ArgumentList.Add("BEGIN { debugf(`"$Text`"); exit(); }")
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true # its warnings (debugf is for debugging, RLIMIT_MEMLOCK) are not ours
        $process = [System.Diagnostics.Process]::Start($info)
        if (-not $process.WaitForExit(30000)) { $process.Kill(); throw 'bpftrace did not finish' }
        $process
    }
}

AfterAll {
    Assert-NothingLeft $HeldAtStart
}

Describe 'Get-BpfTraceLog' -Skip:(-not $IsRoot) {
    It 'returns the bpf_printk line of a program with its process, command, CPU and message' {
        Get-Command bpftrace -CommandType Application -ErrorAction Ignore | Should -Not -BeNullOrEmpty -Because 'tools/setup.sh installs bpftrace, the program that prints here'
        $marker = New-Marker
        $before = [datetime]::Now
        $bpftrace = Invoke-BpfPrintk "$marker printed"
        $entries = @(Get-BpfTraceLog -IncludeBacklog -Filter "*$marker*" -Duration 00:00:03)

        $entries.Count | Should -Be 1
        $e = $entries[0]
        $e.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfTraceLogEntry'
        $e.Message | Should -Be "$marker printed"
        $e.Event | Should -Be 'bpf_trace_printk'
        $e.ProcessId | Should -Be $bpftrace.Id
        $e.ThreadId | Should -Be $bpftrace.Id
        $e.Command | Should -Be 'bpftrace'
        $e.Cpu | Should -BeLessThan ([Environment]::ProcessorCount)
        $e.Flags | Should -Match '^[.dDbX][.nNpPlLbB][.hHsSzZ][.\da-f][.\da-f]$'
        $e.Timestamp | Should -BeGreaterThan $before
        $e.Timestamp | Should -BeLessThan $bpftrace.ExitTime
        $e.Line | Should -BeLike "*: bpf_trace_printk: $marker printed"
    }

    It 'shows other writers only with -IncludeAll, and finds the process of the writing thread' {
        $hidden = New-Marker
        Write-TraceMarker $hidden
        @(Get-BpfTraceLog -IncludeBacklog -Filter "*$hidden*" -Duration 00:00:00.500).Count | Should -Be 0

        $shown = New-Marker
        Write-TraceMarker $shown
        $e = Get-BpfTraceLog -IncludeBacklog -IncludeAll -Filter "*$shown*" -Count 1 -Duration 00:00:03
        $e.Event | Should -Be 'tracing_mark_write'
        $e.Message | Should -Be $shown
        $e.ProcessId | Should -Be $PID
    }

    It 'filters on -ProcessId and on -Filter as a case-insensitive wildcard' {
        $marker = New-Marker
        Write-TraceMarker "$marker other"
        Write-TraceMarker "$marker MINE"
        $e = @(Get-BpfTraceLog -IncludeBacklog -IncludeAll -ProcessId 1, $PID -Filter "$marker mine" -Duration 00:00:01)
        $e.Count | Should -Be 1
        $e[0].Message | Should -Be "$marker MINE"

        $other = New-Marker
        Write-TraceMarker $other
        @(Get-BpfTraceLog -IncludeBacklog -IncludeAll -ProcessId 1 -Filter "*$other*" -Duration 00:00:00.500).Count | Should -Be 0
    }

    It 'stops at -Count, on a downstream stop and at -Duration' {
        $marker = New-Marker
        1..3 | ForEach-Object { Write-TraceMarker "$marker $_" }
        @(Get-BpfTraceLog -IncludeBacklog -IncludeAll -Filter "$marker *" -Duration 00:00:10 | Select-Object -First 2).Message | Should -Be @("$marker 1", "$marker 2")

        1..3 | ForEach-Object { Write-TraceMarker "$marker again $_" }
        @(Get-BpfTraceLog -IncludeBacklog -IncludeAll -Filter "$marker again *" -Count 1).Count | Should -Be 1

        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        @(Get-BpfTraceLog -Filter 'ebpfps-pester-nothing-matches*' -Duration 00:00:00.300).Count | Should -Be 0
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'skips the lines that waited from before it started, unless -IncludeBacklog' {
        $marker = New-Marker
        Write-TraceMarker "$marker stale"
        $info = [System.Diagnostics.ProcessStartInfo]::new('bash')
        foreach ($a in '-c', "sleep 1; printf '$marker fresh' > /sys/kernel/tracing/trace_marker") { $info.ArgumentList.Add($a) }
        $writer = [System.Diagnostics.Process]::Start($info)
        $e = @(Get-BpfTraceLog -IncludeAll -Filter "$marker *" -Count 1 -Duration 00:00:10)
        $writer.WaitForExit()
        $e.Message | Should -Be "$marker fresh"

        Write-TraceMarker "$marker waiting"
        (Get-BpfTraceLog -IncludeAll -IncludeBacklog -Filter "$marker *" -Count 1 -Duration 00:00:03).Message | Should -Be "$marker waiting"
    }

    It 'reads in the background with -AsJob' {
        $marker = New-Marker
        $job = Get-BpfTraceLog -IncludeAll -Filter "*$marker*" -Count 1 -AsJob
        try {
            Write-TraceMarker $marker
            $job | Wait-Job -Timeout 10 | Out-Null
            $job.State | Should -Be 'Completed'
            (Receive-Job $job).Message | Should -Be $marker
        }
        finally {
            $job | Remove-Job -Force
        }
    }

    It 'stops reading when Ctrl-C stops it' {
        $reader = Start-Pwsh 'Get-BpfTraceLog'
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (-not ((& bash -c "ls -l /proc/$($reader.Id)/fd 2>/dev/null") -match 'trace_pipe')) {
                if ([datetime]::UtcNow -gt $deadline) { throw 'the reader never opened trace_pipe' }
                [System.Threading.Thread]::Sleep(50)
            }
            & kill -INT $reader.Id
            $reader.WaitForExit(5000) | Should -BeTrue
            $reader.ExitCode | Should -Be 1   # what pwsh -Command returns when Ctrl-C stopped it
        }
        finally {
            if (-not $reader.HasExited) { $reader.Kill() }
        }
    }

    It 'keeps its properties through remoting serialization' {
        $marker = New-Marker
        Write-TraceMarker $marker
        $e = Get-BpfTraceLog -IncludeBacklog -IncludeAll -Filter $marker -Count 1 -Duration 00:00:03
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($e))

        $copy.PSObject.TypeNames | Should -Contain 'Deserialized.EbpfPS.BpfTraceLogEntry'
        $copy.Message | Should -Be $marker
        $copy.ProcessId | Should -Be $PID
        $copy.Timestamp | Should -Be $e.Timestamp
    }

    It 'prints as a table with the default view' {
        $marker = New-Marker
        Write-TraceMarker $marker
        $text = Get-BpfTraceLog -IncludeBacklog -IncludeAll -Filter $marker -Count 1 -Duration 00:00:03 | Out-String
        $text | Should -Match 'Time\s+Cpu\s+ProcessId\s+Command\s+Message'
        $text | Should -Match "\d\d:\d\d:\d\d\.\d{6}\s+\d+\s+$PID\s+\S.*\s$marker"
    }
}

Describe 'Get-BpfTraceLog input errors' {
    It 'rejects a count below 1, a zero duration, a negative process id and an empty filter' {
        { Get-BpfTraceLog -Count 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,EbpfPS.Commands.GetBpfTraceLogCommand'
        { Get-BpfTraceLog -Duration 0 } | Should -Throw -ErrorId 'InvalidDuration,EbpfPS.Commands.GetBpfTraceLogCommand'
        { Get-BpfTraceLog -ProcessId -5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,EbpfPS.Commands.GetBpfTraceLogCommand'
        { Get-BpfTraceLog -Filter '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,EbpfPS.Commands.GetBpfTraceLogCommand'
    }

    It 'tells an unprivileged user that reading the trace log needs root' -Skip:(-not $IsRoot) {
        $pwsh = Get-PwshArgument '$ErrorView = "NormalView"; Get-BpfTraceLog -Count 1'   # NormalView prints the error id
        $output = & setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp DOTNET_CLI_HOME=/tmp @pwsh 2>&1
        $LASTEXITCODE | Should -Be 1
        ($output -join "`n") | Should -Match 'BpfPermissionDenied'
        ($output -join "`n") | Should -Match 'root'
    }
}
