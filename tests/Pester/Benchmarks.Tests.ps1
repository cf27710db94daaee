#Requires -Version 7.4
# Every benchmark the README names, run in its short mode (--short: few frames, entries or events, one run)
# so that none of them can rot: each exits 0, prints its result lines with numbers where numbers belong,
# and leaves nothing behind (pins, namespaces, interfaces, iptables rules, programs, maps, processes).
# It runs the executables build.ps1 built (bench/*/bin/<configuration>); the README's `dotnet run -c
# Release` builds the same code in Release. About 30 s here, bounded to 100 s a benchmark.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    $Bench = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../bench")

    # Runs a benchmark's executable (the newest build of it) with its arguments; returns its exit code,
    # its output lines and its process id. Killed, and the test failed, past the time limit.
    function Invoke-Benchmark([string] $Name, [string[]] $Arguments, [hashtable] $Environment = @{}) {
        $exe = Get-ChildItem "$Bench/$Name/bin/*/net*/EbpfPS.Bench.$Name" -File | Sort-Object LastWriteTime -Descending | Select-Object -First 1
        if (-not $exe) { throw "bench/$Name is not built: run build.ps1 first." }
        $start = [System.Diagnostics.ProcessStartInfo]::new($exe.FullName)
        foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
        foreach ($k in $Environment.Keys) { $start.Environment[$k] = $Environment[$k] }
        $start.RedirectStandardOutput = $true; $start.RedirectStandardError = $true
        $start.WorkingDirectory = [System.IO.Path]::GetTempPath()
        $process = [System.Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        if (-not $process.WaitForExit(100000)) {
            $process.Kill($true)
            throw "bench/$Name did not end within 100 s: $($stdout.Result)"
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Lines    = @($stdout.Result -split "`n" | ForEach-Object TrimEnd)
            Errors   = $stderr.Result
            Id       = $process.Id
        }
    }

    # What a benchmark could leave behind, as lines to compare before and after.
    function Get-BenchLeftover {
        if ([System.IO.Directory]::Exists('/sys/fs/bpf/ebpfps')) {
            [System.IO.Directory]::GetDirectories('/sys/fs/bpf/ebpfps', 'xbench*') | ForEach-Object { "pin $_" }
        }
        if ([System.IO.Directory]::Exists('/run/netns')) {
            [System.IO.Directory]::GetFiles('/run/netns', 'ebpfps-bench-*') | ForEach-Object { "namespace $_" }
        }
        [System.IO.Directory]::GetDirectories('/sys/class/net', 'xbench-*') | ForEach-Object { "interface $_" }
        # Program names are cut at 15 characters: ebpfps_bench_se(nd), ..._dr(op), ..._pa(ss); MapRead's map,
        # EventDelivery's perf-buffer object.
        (& bpftool prog show -j | ConvertFrom-Json) | Where-Object { $_.name -like 'ebpfps_bench*' -or $_.name -eq 'getppid_enter' } |
            ForEach-Object { "program $($_.id) $($_.name)" }
        (& bpftool map show -j | ConvertFrom-Json) | Where-Object { $_.name -eq 'bench_flows' } | ForEach-Object { "map $($_.id) $($_.name)" }
        # The rules live in the benchmark's namespaces; this makes sure none was added to the host's.
        if (Get-Command iptables-save -ErrorAction Ignore) {
            & iptables-save 2>$null | Where-Object { $_ -match '--dport 9 -j DROP' } | ForEach-Object { "iptables $_" }
        }
    }

    # Processes EventDelivery starts that outlived it: its load generator (/tmp/ebpfps-loadgen) and the
    # bpftrace scripts it runs against the generator (by their probe, read only).
    function Get-BenchProcess {
        foreach ($dir in [System.IO.Directory]::GetDirectories('/proc', '[0-9]*')) {
            $cmdline = try { [System.IO.File]::ReadAllText("$dir/cmdline").Replace([char]0, ' ') } catch { continue }
            if ($cmdline -like '*ebpfps-loadgen*' -or ($cmdline -like 'bpftrace*' -and $cmdline -match '(sys_enter_getppid|signal_generate) /pid == \d+')) {
                "$([System.IO.Path]::GetFileName($dir)) $cmdline"
            }
        }
    }

    # A markdown table row whose cells after the first $Skip are all numbers (with units), or "-".
    $NumberCell = '^\s*[≈]?[\d,.]+\s*(x|ms|µs|us|MB|B|KB|%)?( \(rest [\d,]+\))?\s*$|^\s*pace [\d.]+x\s*$|^\s*-\s*$|^\s*NA\s*$'
}

AfterAll {
    Assert-NothingLeft $HeldAtStart
}

Describe 'Benchmarks in short mode' -Skip:(-not $IsRoot) {
    BeforeEach {
        $Before = @(Get-BenchLeftover)
    }

    It 'bench/XdpDropRate: the rate of every dropper, the ratios, and nothing left behind' {
        $run = Invoke-Benchmark XdpDropRate '--short'
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $run.Lines | Should -Contain 'Ratios of frames per second (higher is faster):'
        $droppers = @('minimal XDP_DROP program', 'EbpfPS filter, 1 rule: Drop Udp', 'EbpfPS filter, 64 rules, every lookup')
        if (Get-Command iptables -ErrorAction Ignore) { $droppers += 'iptables DROP (raw PREROUTING)', 'iptables DROP (filter INPUT)' }
        else { $run.Lines | Should -Contain 'iptables comparison skipped: iptables is not installed (not on PATH); tools/setup.sh installs it (apt-get install -y iptables).' }
        foreach ($dropper in $droppers) {
            # Mpps, ns/frame, min-max, dropped %, received %: all numbers; the frames were dropped.
            $row = $run.Lines | Where-Object { $_ -match "^$([regex]::Escape($dropper)) +\d" }
            $shape = '^.{40} +\d+\.\d\d +\d+\.\d +\d+\.\d\d-\d+\.\d\d +(\d+\.\d)% +\d+\.\d%$'
            $row | Should -Match $shape -Because "the row of $dropper"
            [double] [regex]::Match($row, $shape).Groups[1].Value | Should -BeGreaterThan 99 -Because "$dropper drops what it gets"
        }
        foreach ($filter in $droppers -like 'EbpfPS*') {
            @($run.Lines -match "^  $([regex]::Escape($filter)): \d+\.\d\d x minimal XDP_DROP program").Count | Should -Be 1
        }
        @(Get-BenchLeftover) | Should -Be $Before
    }

    It 'bench/XdpDropRate without iptables: says why the comparison is skipped, measures the rest' {
        # A PATH with ip and without iptables (Debian keeps both in /usr/sbin).
        $noIptables = Join-Path ([System.IO.Path]::GetTempPath()) "ebpfps-bench-path-$PID"
        $null = New-Item -ItemType Directory -Force $noIptables
        try {
            $null = New-Item -ItemType SymbolicLink -Force -Path "$noIptables/ip" -Target (Get-Command ip).Source
            $run = Invoke-Benchmark XdpDropRate '--short' @{ PATH = "${noIptables}:/usr/bin:/bin" }
        }
        finally { Remove-Item -Recurse -Force $noIptables }
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $run.Lines[0] | Should -Be 'iptables comparison skipped: iptables is not installed (not on PATH); tools/setup.sh installs it (apt-get install -y iptables).'
        @($run.Lines -match '^iptables DROP').Count | Should -Be 0
        @($run.Lines -match '^  EbpfPS filter, 1 rule: Drop Udp: \d+\.\d\d x minimal XDP_DROP program$').Count | Should -Be 1
        @(Get-BenchLeftover) | Should -Be $Before
    }

    It 'bench/XdpDropRate removes what a killed run left (pins, namespaces) when it starts' {
        # A run killed while the droppers are up: its pins and namespaces stay.
        $exe = (Get-ChildItem "$Bench/XdpDropRate/bin/*/net*/EbpfPS.Bench.XdpDropRate" -File | Sort-Object LastWriteTime -Descending)[0].FullName
        $start = [System.Diagnostics.ProcessStartInfo]::new($exe, '3000000 50')
        $start.RedirectStandardError = $true; $start.RedirectStandardOutput = $true
        $killed = [System.Diagnostics.Process]::Start($start)
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not [System.IO.Directory]::Exists('/sys/fs/bpf/ebpfps/xbench-r2') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Start-Sleep -Milliseconds 300
        $killed.Kill(); $killed.WaitForExit()
        @(Get-BenchLeftover) -like 'pin *' | Should -Not -BeNullOrEmpty -Because 'SIGKILL gives no chance to clean up'
        @(Get-BenchLeftover) -like 'namespace *' | Should -Not -BeNullOrEmpty

        $run = Invoke-Benchmark XdpDropRate '--short'
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        @(Get-BenchLeftover) | Should -Be $Before
    }

    It 'bench/XdpDropRate stopped by SIGTERM mid-run exits 130 and removes everything' {
        $exe = (Get-ChildItem "$Bench/XdpDropRate/bin/*/net*/EbpfPS.Bench.XdpDropRate" -File | Sort-Object LastWriteTime -Descending)[0].FullName
        $start = [System.Diagnostics.ProcessStartInfo]::new($exe, '3000000 50')
        $start.RedirectStandardError = $true; $start.RedirectStandardOutput = $true
        $process = [System.Diagnostics.Process]::Start($start)
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not [System.IO.Directory]::Exists('/sys/fs/bpf/ebpfps/xbench-r2') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Start-Sleep -Milliseconds 500
        & kill -TERM $process.Id
        $process.WaitForExit(30000) | Should -BeTrue
        $process.ExitCode | Should -Be 130
        $process.StandardError.ReadToEnd() | Should -Match 'XdpDropRate: stopped'
        @(Get-BenchLeftover) | Should -Be $Before
    }

    It 'bench/MapRead: a timed row for each way of reading the map' {
        $run = Invoke-Benchmark MapRead '--short'
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $run.Lines[0] | Should -Match '^Filled map \d+ with 1,000 entries of 4\+40 bytes in [\d,]+ ms'
        $rows = @($run.Lines | Where-Object { $_ -match '^\| (bpftool|engine|Read-BpfMap)' })
        $rows.Count | Should -Be 7
        foreach ($row in $rows) {
            $cells = $row.Trim('|').Split('|')
            $cells[1..3] | ForEach-Object { $_ | Should -Match $NumberCell -Because $row }
        }
        @(Get-BenchLeftover) | Should -Be $Before
    }

    It 'bench/EventDelivery (tools/bench-events.sh, EBPFPS_BENCH_SHORT=1): every row with numbers, every child process gone' {
        $run = Invoke-Benchmark EventDelivery @() @{ EBPFPS_BENCH_SHORT = '1' }
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $rows = @($run.Lines | Where-Object { $_ -match '^\| ' -and $_ -notmatch '^\| Consumer' })
        # The engine, the -Path object, the PowerShell and Measure-BpfTrace rows, and bpftrace's where it is installed (setup.sh does).
        $rows.Count | Should -Be $(if (Test-Path /usr/bin/bpftrace) { 25 } else { 20 })
        foreach ($row in $rows) {
            # Consumer and workload, then generated ... peak memory; a consumer may hold a '|' (a pipeline).
            $cells = @($row.Trim('|') -split ' \| ')
            $cells[-8..-1] | ForEach-Object { $_ | Should -Match $NumberCell -Because $row }
        }
        @($run.Lines | Where-Object { $_ -like '| EbpfPS engine, batched | getppid x2k | 2,000 |*' }).Count | Should -Be 1
        @(Get-BenchProcess) | Should -BeNullOrEmpty
        @(Get-BenchLeftover) | Should -Be $Before
    }

    It 'bench/Decoders: a cost per event and allocations for each decoder' {
        $run = Invoke-Benchmark Decoders '--short'
        $run.ExitCode | Should -Be 0 -Because ($run.Lines -join "`n")
        $rows = @($run.Lines | Where-Object { $_ -match "^\| '" })
        $rows.Count | Should -Be 5
        foreach ($row in $rows) {
            $cells = $row.Trim('|').Split('|')
            $cells[1] | Should -Match '^\s*[\d,.]+ (ns|us|μs|µs|ms)\s*$' -Because $row
            $cells[3] | Should -Match '^\s*[\d,.]+ (B|KB)\s*$' -Because $row
        }
        [System.IO.Directory]::GetDirectories([System.IO.Path]::GetTempPath(), "ebpfps-bench-decoders-$($run.Id)") | Should -BeNullOrEmpty
        @(Get-BenchLeftover) | Should -Be $Before
    }
}
