# Shared by the suites that load BPF programs: dot-source it in BeforeDiscovery and BeforeAll.

# Root, or at least CAP_SYS_ADMIN (bit 21 of CapEff): what loading BPF programs needs.
function Test-BpfPrivilege {
    $status = [System.IO.File]::ReadAllLines('/proc/self/status')
    $capEff = $status | Where-Object { $_ -like 'CapEff:*' }
    $privileged = ([Convert]::ToUInt64($capEff.Split(':')[1].Trim(), 16) -band (1 -shl 21)) -ne 0
    # As root the kernel tests must run: a skip for want of privileges would hide them (tools/test.sh fails on this line).
    if (-not $privileged -and ($status | Where-Object { $_ -like 'Uid:*' }).Split("`t")[1] -eq '0') {
        Write-Host 'pester: run as root, yet kernel tests skipped for want of privileges (no CAP_SYS_ADMIN)'
    }
    $privileged
}

# What this process still holds of the kernel: descriptors of BPF programs, maps, links and BTF, perf events
# (tracepoint attachments) and trace_pipe. Only our own: other processes tracing on the same kernel do not
# count. (Not epoll instances: pwsh opens its own, for jobs, sockets and child processes, that stay open.)
function Get-OurProgram {
    foreach ($fd in [System.IO.Directory]::GetFiles("/proc/$PID/fd")) {
        $target = try { [System.IO.FileInfo]::new($fd).LinkTarget } catch { $null }
        if ($target -like 'anon_inode:bpf*' -or $target -in 'anon_inode:btf', 'anon_inode:[perf_event]' -or $target -like '*/trace_pipe') {
            "$fd -> $target"
        }
    }
}

# The ids of the BPF programs this process holds, by their descriptors or their links' (fdinfo's prog_id).
function Get-OurProgramId {
    @(foreach ($file in [System.IO.Directory]::GetFiles("/proc/$PID/fdinfo")) {
            $info = try { [System.IO.File]::ReadAllText($file) } catch { continue } # closed meanwhile
            if ($info -match '(?m)^prog_id:\s+(\d+)') { [uint] $Matches[1] }
        }) | Sort-Object -Unique
}

# Those of $Id that the kernel still has. It frees released programs after an RCU grace period: give it a moment.
function Get-LoadedProgramId([uint[]] $Id) {
    $deadline = [datetime]::UtcNow.AddSeconds(3)
    do {
        $left = @($Id | Where-Object { $null = & bpftool prog show id $_ 2>&1; $LASTEXITCODE -eq 0 })
        if ($left.Count -eq 0) { break }
        [System.Threading.Thread]::Sleep(20)
    } while ([datetime]::UtcNow -lt $deadline)
    $left
}

# The leak check of a whole test file: what it holds at its end (AfterAll) that it did not at its start
# (BeforeAll, $Before = Get-OurProgram) fails it. A closing reader thread gets a moment first.
function Assert-NothingLeft([string[]] $Before) {
    $left = @()
    foreach ($attempt in 1..20) {
        $remaining = [System.Collections.Generic.List[string]]::new([string[]]@($Before | ForEach-Object { ($_ -split ' -> ')[1] }))
        $left = @(Get-OurProgram | ForEach-Object { ($_ -split ' -> ')[1] } | Where-Object { -not $remaining.Remove($_) })
        if ($left.Count -eq 0) { return }
        [System.GC]::Collect(); [System.GC]::WaitForPendingFinalizers()
        [System.Threading.Thread]::Sleep(50)
    }
    $left | Should -BeNullOrEmpty -Because 'a test file must close every kernel object it opened'
}

# A test's BPF object: $Source (a .bpf.c of tests/Pester/fixtures) compiled to $Output, as a user would compile it.
function Build-BpfObject([string] $Source, [string] $Output) {
    $repo = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../..")
    & clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I "$repo/bpf/vmlinux/x86_64" -c $Source -o $Output
    if ($LASTEXITCODE) { throw "clang could not compile $Source" }
}

# Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified beside v1), or nothing.
function Get-Cgroup2Mount {
    foreach ($line in [System.IO.File]::ReadAllLines('/proc/self/mountinfo')) {
        $fields = $line -split ' '
        if ($fields[[array]::IndexOf($fields, '-') + 1] -eq 'cgroup2') { return $fields[4] }
    }
}

# Compiles tests/Pester/fixtures/NAME.c to $Path unoptimised and with frame pointers, so that its functions keep their
# names and its stacks unwind.
function Build-FixtureProgram([string] $Name, [string] $Path) {
    & cc -O0 -g -fno-omit-frame-pointer -o $Path "$PSScriptRoot/../fixtures/$Name.c"
    if ($LASTEXITCODE) { throw "cc could not compile fixtures/$Name.c" }
}
