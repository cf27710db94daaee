#Requires -Version 7.4
# Every example of the documentation runs as written and prints what it says: the "### Example N" code of
# en-US/*.md and each statement of the powershell blocks of README.md and about_EbpfPS.md (found by
# Support/Examples.ps1, so a new example is run without editing this file, and fails until the table
# below says what it must print). Each runs in a fresh runspace with the module imported, or in a new pwsh
# where it needs a console (prompts, -WhatIf) or the network namespace of the XDP examples, with a time
# limit. Meanwhile the test causes what the example looks for (signals, execs, opens, TCP connections,
# bpf_printk lines, packets) and then asserts on exactly that: the pid it signalled, the path it opened.
#
# The table: one entry per example, keyed as Get-DocumentationExample names it. Its fields:
#   Assert    { param($r, $ctx) } Should on what the example wrote: $r.Output (objects), $r.Text (them at 80
#             columns, or the child pwsh's console output), $r.Errors, $r.Warnings, $r.Check (objects of
#             Check), $r.Variable('name') (a variable the example set); $ctx is the example's context.
#   Setup     { param($ctx) } before the example: the state it assumes (maps, filters, processes).
#   Activity  { param($ctx) } repeated every 200 ms while the example runs: the events it waits for.
#   CtrlC     the example runs until Ctrl-C: the test stops it as soon as Assert holds.
#   Replace   @{ 'text' = 'text or { value }' } applied to the code: only to shorten a long -Duration or
#             Start-Sleep, or for an id the test cannot choose; each says so.
#   Variables @{ name = { value } } variables the example takes from the session, as the text says.
#   Child     run in a new pwsh (a console: prompts, -WhatIf); Answer: what to type at its prompts.
#   Net       run in a new pwsh in a network namespace of its own with eth0, eth1 and wlan0 (veth pairs), its
#             sysfs (as ip netns exec mounts it) and a bpffs of its own, so filters are the example's alone and
#             go with the namespace; Prelude and
#             Check: code run there before and after the example; Environment: its variables.
#   Skip      why the example cannot run here (a string, or { param($ctx) } that returns one or nothing).
#   Cleanup   { param($ctx) } after the assertion, always.
#   TimeLimit seconds before a running example fails (default 30).

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    . "$PSScriptRoot/Support/Examples.ps1"
    $script:IsRoot = Test-BpfPrivilege
    $script:Examples = @(Get-DocumentationExample ([System.IO.Path]::GetFullPath("$PSScriptRoot/../..")))
    # EBPFPS_EXAMPLE='Start-BpfTrace.md*' runs only the examples whose keys are like it, while you write one.
    if ($env:EBPFPS_EXAMPLE) { $Examples = @($Examples | Where-Object Key -Like $env:EBPFPS_EXAMPLE) }
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    . "$PSScriptRoot/Support/Pwsh.ps1"
    . "$PSScriptRoot/Support/Examples.ps1"
    . "$PSScriptRoot/Support/Sshd.ps1"
    Import-Module $ModuleManifest -Force
    $Repo = [System.IO.Path]::GetFullPath("$PSScriptRoot/../..")
    # Import-Module EbpfPS by name finds the module under test, as it finds an installed one.
    $env:PSModulePath = [System.IO.Path]::GetDirectoryName([System.IO.Path]::GetDirectoryName($ModuleManifest)) + ':' + $env:PSModulePath
    $Python = '/usr/bin/python3'
    $Work = New-Item -ItemType Directory ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "ebpfps-examples-$([guid]::NewGuid().ToString('N'))"))
    $Started = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    $Pins = [System.Collections.Generic.List[string]]::new()

    # Can this kernel hook functions? Asked of the kernel, not of EbpfPS (as Start-BpfTrace.Tests.ps1 does).
    $HasKprobes = [System.IO.Directory]::Exists('/sys/bus/event_source/devices/kprobe') -or
        [System.IO.File]::Exists('/sys/kernel/tracing/kprobe_events') -or [System.IO.File]::Exists('/sys/kernel/debug/tracing/kprobe_events')
    $HasFentry = [bool](bpftool feature probe kernel 2>$null | Where-Object { $_ -match 'program_type tracing is available' })
    $NoFunctionTracing = if (-not ($HasKprobes -or $HasFentry)) { 'this kernel has neither kprobes (CONFIG_KPROBES) nor the tracing program type for fentry' }

    # Copies of programs under names of their own, so that their events are told apart by command name.
    $Bin = New-Item -ItemType Directory "$Work/bin"
    foreach ($copy in @{ nginx = '/bin/sleep'; 'ebpfps-sleep' = '/bin/sleep'; 'ebpfps-sh' = '/bin/bash'; 'ebpfps-true' = '/bin/true' }.GetEnumerator()) {
        Copy-Item $copy.Value "$Bin/$($copy.Key)"
    }

    function Start-Program([string] $FileName, [string[]] $Arguments) {
        $info = [System.Diagnostics.ProcessStartInfo]::new($FileName)
        foreach ($argument in $Arguments) { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($info)
        $Started.Add($process)
        $process
    }

    # A process that sleeps, under a name of its own; bash runs it with -Prefix first (trap '' USR1: ignore).
    function Start-Sleeper([string] $Name = 'ebpfps-sleep', [string] $Prefix = '') {
        Start-Program '/bin/bash' '-c', "$Prefix exec '$Bin/$Name' 60"
    }

    function Send-Signal([int] $ProcessId, [string] $Signal) { & /bin/kill -s $Signal $ProcessId 2>$null }

    # Execs of $Bin/ebpfps-true with -Marker as its argument, and of a missing ./missing-MARKER, by the shell ebpfps-sh.
    function Invoke-Exec([string] $Marker, [int] $Times = 5) {
        $sh = Start-Program "$Bin/ebpfps-sh" '-c', "for i in `$(seq $Times); do '$Bin/ebpfps-true' $Marker; done; ./missing-$Marker 2>/dev/null; exit 0"
        $sh.WaitForExit()
        $sh
    }

    # openat(2) of a path that does not exist, -Times times, by a python process; returns the process.
    function Open-MissingFile([string] $Path, [int] $Times = 20) {
        $p = Start-Program $Python '-c', "import sys`nfor _ in range($Times):`n  try: open(sys.argv[1])`n  except OSError: pass", $Path
        $p.WaitForExit()
        $p
    }

    # A TCP connection from a python process to 127.0.0.1:$Port (refused where nothing listens).
    function Connect-Tcp([int] $Port) {
        $p = Start-Program $Python '-c', "import socket`ns = socket.socket()`ntry: s.connect(('127.0.0.1', $Port))`nexcept OSError: pass", ''
        $p.WaitForExit()
        $p
    }

    # bpf_printk of $Text, by a bpftrace program's BEGIN probe (as Get-BpfTraceLog.Tests.ps1 does).
    function Invoke-BpfPrintk([string] $Text) {
        $p = Start-Program bpftrace '-e', "BEGIN { debugf(`"$Text`"); exit(); }"
        $null = $p.WaitForExit(30000)
    }

    # Process 4242, which the examples watch: it writes and calls getppid all the time. The kernel gives the
    # next pid after ns_last_pid, unless another process takes it first: so a few tries.
    function Start-Process4242 {
        $loop = "import os, time`nwhile True:`n  for _ in range(50): os.getppid()`n  os.write(1, bytes(1))`n  time.sleep(0.02)"
        for ($try = 0; $try -lt 20 -and -not [System.IO.Directory]::Exists('/proc/4242'); $try++) {
            [System.IO.File]::WriteAllText('/proc/sys/kernel/ns_last_pid', '4241')
            $p = Start-Program '/bin/bash' '-c', "exec $Python -c '$loop' >/dev/null"
            if ($p.Id -eq 4242) { return $p }
            $p.Kill()
        }
    }

    # The veth pairs of the XDP examples: eth0, eth1 and wlan0 in a receiver namespace, their peers x0, x1, x2
    # in a sender namespace; eth0 has the addresses the examples filter, x0 the senders, neighbours static.
    $Receiver = "ebpfps-ex-$PID-r"; $Sender = "ebpfps-ex-$PID-s"
    $ReceiverAddresses = '203.0.113.1/24', '10.20.0.1/16', '2001:db8:bad::1/48', '2001:db8:1::1/64'
    $SenderAddresses = '203.0.113.7/24', '203.0.113.9/24', '10.20.0.5/16', '2001:db8:bad::7/48', '2001:db8:1::7/64'
    function Invoke-Ip([string] $Arguments) {
        $output = & bash -c "ip $Arguments 2>&1"
        if ($LASTEXITCODE -ne 0) { throw "ip $Arguments failed: $output" }
        $output
    }
    function New-TestNetwork {
        Remove-TestNetwork
        Invoke-Ip "netns add $Sender"; Invoke-Ip "netns add $Receiver"
        foreach ($pair in @(@('x0', 'eth0'), @('x1', 'eth1'), @('x2', 'wlan0'))) {
            Invoke-Ip "link add $($pair[0]) netns $Sender type veth peer name $($pair[1]) netns $Receiver"
            Invoke-Ip "-n $Sender link set $($pair[0]) up"; Invoke-Ip "-n $Receiver link set $($pair[1]) up"
        }
        foreach ($a in $ReceiverAddresses) { Invoke-Ip "-n $Receiver addr add $a dev eth0 nodad" }
        foreach ($a in $SenderAddresses) { Invoke-Ip "-n $Sender addr add $a dev x0 nodad" }
        $mac = @{}
        foreach ($side in @(@($Sender, 'x0'), @($Receiver, 'eth0'))) {
            $mac[$side[0]] = [regex]::Match((Invoke-Ip "-n $($side[0]) link show $($side[1])") -join ' ', 'link/ether (\S+)').Groups[1].Value
        }
        foreach ($a in $ReceiverAddresses) { Invoke-Ip "-n $Sender neigh replace $($a.Split('/')[0]) lladdr $($mac[$Receiver]) dev x0 nud permanent" }
        foreach ($a in $SenderAddresses) { Invoke-Ip "-n $Receiver neigh replace $($a.Split('/')[0]) lladdr $($mac[$Sender]) dev eth0 nud permanent" }
    }
    function Remove-TestNetwork {
        foreach ($ns in $Sender, $Receiver) { if ([System.IO.File]::Exists("/run/netns/$ns")) { & ip netns del $ns } }
    }

    # The state the map and introspection examples take for granted: Start-BpfTrace -Path of
    # fixtures/examples.bpf.c as a job (program my_prog, maps counts, target_pids, flows, ...) counting the
    # getppid calls of process 4242, its blocklist pinned at /sys/fs/bpf/blocklist, and a map without BTF
    # that "a tool" left at /sys/fs/bpf/tc/globals/blocked_ips. Pins that exist already are not touched.
    function Get-JobMap([string] $Name) { Get-BpfMap -Id $MyMapIds | Where-Object Name -EQ $Name }

    if (Test-BpfPrivilege) {
        $Process4242 = Start-Process4242
        Build-BpfObject "$PSScriptRoot/fixtures/examples.bpf.c" "$Work/examples.bpf.o"
        $programs = @(Get-BpfProgram -Name my_prog -ErrorAction SilentlyContinue).Id
        $maps = @(Get-BpfMap).Id
        $MyJob = Start-BpfTrace -Path "$Work/examples.bpf.o" -Set @{ target_pid = 4242 } -AsJob
        $MyProgramId = @(Get-BpfProgram -Name my_prog | Where-Object Id -NotIn $programs).Id[0]
        $MyMapIds = @(Get-BpfMap | Where-Object Id -NotIn $maps).Id
        if (-not [System.IO.File]::Exists('/sys/fs/bpf/blocklist')) {
            & bpftool map pin id (Get-JobMap blocklist).Id /sys/fs/bpf/blocklist
            $Pins.Add('/sys/fs/bpf/blocklist')
        }
        if (-not [System.IO.Directory]::Exists('/sys/fs/bpf/tc')) {
            $null = New-Item -ItemType Directory /sys/fs/bpf/tc/globals
            $Pins.Add('/sys/fs/bpf/tc')
            & bpftool map create /sys/fs/bpf/tc/globals/blocked_ips type hash key 4 value 8 entries 16 name blocked_ips
            & bpftool map update pinned /sys/fs/bpf/tc/globals/blocked_ips key 203 0 113 7 value 1 0 0 0 0 0 0 0
        }
    }

    # The hosts of the remoting examples (web1, web2, db1...) are this machine: an sshd of the test's own on
    # the loopback, where EbpfPS loads by name. Fleet examples get ssh options that send every host name there.
    $Fleet = @{ Sshd = $null } # started by the first example that needs it
    function Get-FleetOptions {
        if (-not $Fleet.Sshd) { $Fleet.Sshd = Start-TestSshd -ModulePath ([System.IO.Path]::GetDirectoryName([System.IO.Path]::GetDirectoryName($ModuleManifest))) }
        $options = $Fleet.Sshd.Options.Clone()
        $options.HostName = '127.0.0.1'
        @{ 'Invoke-Command:Options' = $options }
    }

    # Runs one example as its table entry says; returns what it wrote.
    function Invoke-Example([hashtable] $Example, [hashtable] $E, [hashtable] $Context) {
        $code = $Example.Code
        foreach ($old in $E.Replace.Keys) {
            if (-not $code.Contains($old)) { throw "The table replaces '$old', which the example no longer has." }
            $new = $E.Replace[$old]
            $code = $code.Replace($old, $(if ($new -is [scriptblock]) { & $new $Context } else { $new }))
        }
        $limit = [datetime]::UtcNow.AddSeconds($(if ($E.TimeLimit) { $E.TimeLimit } else { 30 }))
        $run = if ($E.Child -or $E.Net) { Start-ChildExample $code $E $Context } else { Start-RunspaceExample $code $E $Context }
        $result = $null
        try {
            while (-not $run.IsCompleted()) {
                if ($E.Activity) { & $E.Activity $Context }
                if ($E.CtrlC -and (Test-Expectation $E ($run.Result()) $Context)) { $run.Stop(); break }
                if ([datetime]::UtcNow -gt $limit) { $run.Stop(); throw "The example did not end within its time limit. It wrote: $($run.Result().Text)" }
                [System.Threading.Thread]::Sleep(200)
            }
            $result = $run.Finish()
        }
        finally { if (-not $result) { $run.Dispose() } }
        $result
    }

    function Test-Expectation([hashtable] $E, $Result, [hashtable] $Context) {
        try { $null = & $E.Assert $Result $Context; $true } catch { $false }
    }

    # What an example wrote, with its objects at 80 columns as the console would show them.
    function New-ExampleResult($Output, $Text, $Errors, $Warnings, $Check, [scriptblock] $Variable) {
        $objects = @($Output | Where-Object { $null -ne $_ })
        if ($null -eq $Text) { $Text = ($objects | Out-String -Width 80) }
        [pscustomobject]@{ Output = $objects; Text = $Text; Errors = @($Errors); Warnings = @($Warnings); Check = @($Check) } |
            Add-Member -MemberType ScriptMethod -Name Variable -Value $Variable -PassThru
    }

    # What a stream holds so far, by index: enumerating it would wait for the end of an example that runs until Ctrl-C.
    function Get-Written($Stream) {
        for ($i = 0; $i -lt $Stream.Count; $i++) { $Stream[$i] }
    }

    function Start-RunspaceExample([string] $Code, [hashtable] $E, [hashtable] $Context) {
        $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        # an example that imports the module itself gets a session without it, as a user's new session is
        if ($Code -notmatch '\bImport-Module\b') { $state.ImportPSModule([string[]] @($ModuleManifest)) }
        $runspace = [runspacefactory]::CreateRunspace($state)
        $runspace.Open()
        $runspace.SessionStateProxy.Path.SetLocation($Context.Dir) | Out-Null
        foreach ($name in $E.Variables.Keys) { $runspace.SessionStateProxy.SetVariable($name, (& $E.Variables[$name] $Context)) }
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        $null = $ps.AddScript($Code)
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]] $null, $output)
        $run = [pscustomobject]@{ PowerShell = $ps; Runspace = $runspace; Handle = $handle; Output = $output; Failure = $null }
        $run | Add-Member ScriptMethod IsCompleted { $this.Handle.IsCompleted }
        $run | Add-Member ScriptMethod Stop { $this.PowerShell.Stop() }
        $run | Add-Member ScriptMethod Result {
            $rs = $this.Runspace
            $streams = $this.PowerShell.Streams
            New-ExampleResult (Get-Written $this.Output) $null (@(Get-Written $streams.Error) + @($this.Failure)) (Get-Written $streams.Warning) @() { param($n) $rs.SessionStateProxy.GetVariable($n) }.GetNewClosure()
        }
        $run | Add-Member ScriptMethod Finish {
            try { $null = $this.PowerShell.EndInvoke($this.Handle) }
            catch [System.Management.Automation.PipelineStoppedException] { }
            catch { $this.Failure = $_ }
            $this.Result() | Add-Member NoteProperty Run $this -PassThru
        }
        $run | Add-Member ScriptMethod Dispose {
            # Jobs the example left running stop with their runspace: their traces detach.
            $this.PowerShell.Commands.Clear()
            $null = $this.PowerShell.AddScript('Get-Job | Stop-Job -PassThru | Remove-Job -Force').Invoke()
            $this.PowerShell.Dispose(); $this.Runspace.Dispose()
        }
        $run
    }

    function Start-ChildExample([string] $Code, [hashtable] $E, [hashtable] $Context) {
        $check = "$($Context.Dir)/check.xml"
        $script = @"
`$PSStyle.OutputRendering = 'PlainText'
Set-Location '$($Context.Dir)'
. '$PSScriptRoot/Support/Examples.ps1'
`$Sender = '$Sender'; `$Receiver = '$Receiver'
$(if ($E.Net) { "mount -t sysfs sysfs /sys; mount -t bpf bpf /sys/fs/bpf" })
$($E.Prelude)
$Code
$(if ($E.Check) { "`$null = . { $($E.Check) } | Export-Clixml -Depth 4 '$check'" })
"@
        $program, $arguments = Get-PwshArgument $script
        if (-not $E.Answer) { $arguments = @($arguments[0..($arguments.Count - 3)]) + '-NonInteractive' + $arguments[-2..-1] }
        if ($E.Net) { $arguments = @("--net=/run/netns/$Receiver", 'unshare', '--mount', '--propagation', 'private', $program) + $arguments; $program = 'nsenter' }
        $info = [System.Diagnostics.ProcessStartInfo]::new($program)
        foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.RedirectStandardInput = $true
        $null = $info.Environment.Remove('SSH_CONNECTION')
        foreach ($name in $E.Environment.Keys) { $info.Environment[$name] = $E.Environment[$name] }
        $process = [System.Diagnostics.Process]::Start($info)
        if ($E.Answer) { $process.StandardInput.Write($E.Answer) }
        $process.StandardInput.Close()
        $run = [pscustomobject]@{ Process = $process; Out = $process.StandardOutput.ReadToEndAsync(); Err = $process.StandardError.ReadToEndAsync(); CheckPath = $check }
        $run | Add-Member ScriptMethod IsCompleted { $this.Process.HasExited }
        $run | Add-Member ScriptMethod Stop { $this.Process.Kill($true) }
        $run | Add-Member ScriptMethod Result { New-ExampleResult @() '' @() @() @() { } }
        $run | Add-Member ScriptMethod Finish {
            $this.Process.WaitForExit()
            $checked = if ([System.IO.File]::Exists($this.CheckPath)) { Import-Clixml $this.CheckPath }
            $errors = @($this.Err.Result -split '\r?\n' | Where-Object { $_ })
            New-ExampleResult @() $this.Out.Result $errors @() $checked { }
        }
        $run | Add-Member ScriptMethod Dispose { if (-not $this.Process.HasExited) { $this.Process.Kill($true) } }
        $run
    }

    # The table. Kept in one place: Examples.Tests.ps1's own expectations.
    . "$PSScriptRoot/Examples.Expectations.ps1"
}

AfterAll {
    if ($MyJob) { $MyJob | Stop-Job; $MyJob | Remove-Job }
    Stop-TestSshd $Fleet.Sshd
    foreach ($p in $Started) { if (-not $p.HasExited) { $p.Kill($true) } }
    foreach ($pin in $Pins) { Remove-Item -Recurse -Force $pin -ErrorAction SilentlyContinue }
    Remove-TestNetwork
    if ($Work) { Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue }
}

Describe 'The example <Key>' -ForEach $Examples -Skip:(-not $IsRoot) {
    It 'prints what its text says' {
        $E = $Expectations[$Key]
        if (-not $E) {
            throw "No expectation for the example '$Key' ($Title). Add an entry to tests/Pester/Examples.Expectations.ps1 that says what it must print, and how the test causes it."
        }
        $ctx = @{ Dir = (New-Item -ItemType Directory "$Work/$([guid]::NewGuid().ToString('N'))").FullName; Marker = "ebpfps-ex-$([guid]::NewGuid().ToString('N').Substring(0, 10))" }
        $reason = if ($E.Skip -is [scriptblock]) { & $E.Skip $ctx } else { $E.Skip }
        if ($reason) { Set-ItResult -Skipped -Because $reason; return }
        try {
            if ($E.Net) { New-TestNetwork }
            if ($E.Setup) { & $E.Setup $ctx }
            $r = Invoke-Example $_ $E $ctx
            try { & $E.Assert $r $ctx }
            catch { throw "$($_.Exception.Message)`n--- the example wrote:`n$($r.Text)`n--- errors:`n$($r.Errors -join "`n")`n--- warnings:`n$($r.Warnings -join "`n")" }
            finally { if ($r.Run) { $r.Run.Dispose() } }
        }
        finally {
            if ($E.Cleanup) { & $E.Cleanup $ctx }
            if ($E.Net) { Remove-TestNetwork }
        }
    }
}
