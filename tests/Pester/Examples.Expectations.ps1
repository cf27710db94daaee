# What each example of the documentation must print, and how the test causes it: the table of
# tests/Pester/Examples.Tests.ps1 (its header describes the fields), dot-sourced there in BeforeAll.
# Entries shared by examples that run the same command are defined first.

$No4242 = { if (-not $Process4242) { 'process id 4242 is taken by another process, so the test cannot be it' } }
$NotOurBlocklist = { if ('/sys/fs/bpf/blocklist' -notin $Pins) { '/sys/fs/bpf/blocklist existed before the test: it is not the test''s to change' } }
$NotOurTc = { if ('/sys/fs/bpf/tc' -notin $Pins) { '/sys/fs/bpf/tc existed before the test: it is not the test''s to change' } }
$Victims = { param($ctx) $ctx.Victims = [System.Collections.Generic.List[int]]::new() }
$KillVictim = { param($ctx) $v = Start-Sleeper; $ctx.Victims.Add($v.Id); Send-Signal $v.Id KILL }
$Listen = { param($ctx) $ctx.Listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $ctx.Listener.Start(); $ctx.Port = $ctx.Listener.LocalEndpoint.Port }
$StopListening = { param($ctx) if ($ctx.Listener) { $ctx.Listener.Stop() } }
$Missing = { param($ctx) $ctx.Path = "$($ctx.Dir)/$($ctx.Marker).conf" }
$OpenMissing = { param($ctx) $null = Open-MissingFile $ctx.Path }
$ExecPids = { param($ctx) $ctx.Shells = [System.Collections.Generic.List[int]]::new() }
$Exec = { param($ctx) $ctx.Shells.Add((Invoke-Exec $ctx.Marker 10).Id) }
$UnlinkFile = { param($ctx) $null = Start-Program $Python '-c', "import os`np = os.path.join('$($ctx.Dir)', 'gone')`nopen(p, 'w').close()`nos.unlink(p)", '' }
$IgnoringSleeper = { param($ctx) $ctx.Sleeper = Start-Sleeper -Prefix "trap '' USR1;" }
$SignalSleeper = { param($ctx) Send-Signal $ctx.Sleeper.Id USR1; $ctx.Sent++ }
# A python child per tick that looks up an address of its own (127.X.Y.N, no DNS needed) a number of times.
$Lookups = { param($ctx) $ctx.Net = "127.$(Get-Random -Maximum 256).$(Get-Random -Maximum 256)"; $ctx.Addresses = [System.Collections.Generic.List[string]]::new() }
$LookUp = { param($ctx, [int] $Times)
    $address = "$($ctx.Net).$($ctx.Addresses.Count + 1)"
    $ctx.Addresses.Add($address)
    $null = Start-Program $Python '-c', "import socket`nfor _ in range($Times): socket.getaddrinfo('$address', 8080)", ''
}
$LinkOut = { param($ctx) $null = New-Item -ItemType SymbolicLink "$($ctx.Dir)/out" -Target "$Repo/out" }
# The cgroup app of the cgroup examples, under the cgroup v2 mount, made by the test and removed after it; and the
# registration deny of the registration examples (connect4-refuse.bpf.c refusing port 8080 to that cgroup).
$AppCgroup = { (Get-Cgroup2Mount) + '/app' }
$NoAppCgroup = { if (-not (Get-Cgroup2Mount)) { 'no cgroup v2 is mounted' } elseif ([System.IO.Directory]::Exists((& $AppCgroup))) { 'the cgroup app existed before the test: it is not the test''s to use' } elseif ([System.IO.Directory]::Exists('/sys/fs/bpf/ebpfps/registered/deny')) { 'a registration deny exists: it is not the test''s' } }
$MakeApp = { param($ctx) $null = [System.IO.Directory]::CreateDirectory((& $AppCgroup)) }
$AppAttached = { [bool] (Get-BpfLink -Type cgroup | Where-Object Target -eq (& $AppCgroup)) }
# Runs python3 $Code (socket imported) to its end in a child moved into the cgroup app, which waits until it is there.
$RunInApp = { param([string] $Code)
    $child = Start-Program $Python '-c', "import socket, time`nwhile not open('/proc/self/cgroup').read().strip().endswith('/app'): time.sleep(0.01)`n$Code", ''
    [System.IO.File]::WriteAllText("$(& $AppCgroup)/cgroup.procs", "$($child.Id)")
    $null = $child.WaitForExit(5000)
}
$DenySource = { param($ctx)
    Copy-Item "$PSScriptRoot/fixtures/connect4-refuse.bpf.c" "$($ctx.Dir)/deny.bpf.c"
    $null = New-Item -ItemType SymbolicLink "$($ctx.Dir)/bpf" -Target "$Repo/bpf"
}
$RegisterDeny = { param($ctx)
    & $MakeApp $ctx
    Build-BpfObject "$PSScriptRoot/fixtures/connect4-refuse.bpf.c" "$($ctx.Dir)/deny.bpf.o"
    $null = Register-BpfProgram -Path "$($ctx.Dir)/deny.bpf.o" -Cgroup app -Name deny -Set @{ refused_port = 8080 }
}
$RemoveDenyAndApp = { param($ctx)
    if ([System.IO.Directory]::Exists('/sys/fs/bpf/ebpfps/registered/deny')) { Unregister-BpfProgram -Name deny -Confirm:$false }
    if ([System.IO.Directory]::Exists((& $AppCgroup))) { [System.IO.Directory]::Delete((& $AppCgroup)) }
}

# Measure-BpfTrace's syscount and fsync latency, in its help and in the README. Attaching to every syscall ('*')
# takes about two seconds, so the first starts its python once the measurement is surely attached.
$MeasureTop = @{
    Replace  = @{ '-Duration 10' = '-Duration 4' } # ten seconds, shortened to 4
    Setup    = { param($ctx) $ctx.Tick = 0 }
    Activity = { param($ctx) if (++$ctx.Tick -eq 15) { $ctx.Caller = Start-Program $Python '-c', "import os`nfor _ in range(200000): os.getppid()", '' } }
    Assert   = { param($r, $ctx)
        $r.Output.Count | Should -BeLessOrEqual 10
        # (between fork and exec the child still has its parent's thread name: a row of its own)
        ($r.Output | Where-Object { $_.ProcessId -eq $ctx.Caller.Id -and $_.Command -eq 'python3' }).Count | Should -BeGreaterOrEqual 200000
        $r.Text | Should -Match "$($ctx.Caller.Id), python3\s+\d{6}"
    }
}
$MeasureFsync = @{
    Replace  = @{ '-Duration 30' = '-Duration 3' } # thirty seconds, shortened to 3
    Activity = { param($ctx) $null = Start-Program $Python '-c', "import os`nf = open('$($ctx.Dir)/data', 'wb')`nfor _ in range(5):`n  f.write(b'x'); f.flush(); os.fsync(f.fileno())", '' }
    Assert   = { param($r)
        $python = $r.Output | Where-Object Command -EQ python3
        $python.Count | Should -BeGreaterOrEqual 5
        $python.Histogram.Count | Should -BeGreaterThan 0
        $r.Text | Should -Match '@\[python3\]: \d+ events\r?\nDuration \(ns\): average'
    }
}
$KillsCsv = @{
    Replace  = @{ '00:00:30' = '00:00:03' } # 30 seconds, shortened to 3
    Setup    = $Victims
    Activity = $KillVictim
    Assert   = { param($r, $ctx)
        $rows = @(Import-Csv "$($ctx.Dir)/kills.csv")
        @($rows | Where-Object { [int] $_.TargetProcessId -in $ctx.Victims }).Count | Should -BeGreaterThan 0
        $rows.SignalName | Sort-Object -Unique | Should -Be 'SIGKILL'
    }
}
$TcpEstablished = @{
    CtrlC    = $true
    Setup    = $Listen
    Activity = { param($ctx) $null = Connect-Tcp $ctx.Port }
    Assert   = { param($r, $ctx)
        $mine = @($r.Output | Where-Object { $_.dport -eq $ctx.Port -or $_.sport -eq $ctx.Port })
        @($mine | Where-Object dport -EQ $ctx.Port).OldState | Should -Contain 'TCP_SYN_SENT'  # the client's end
        @($mine | Where-Object sport -EQ $ctx.Port).OldState | Should -Contain 'TCP_SYN_RECV'  # the server's
        @($r.Output | Where-Object NewState -NE 'TCP_ESTABLISHED') | Should -BeNullOrEmpty
        $r.Text | Should -Match "127\.0\.0\.1:$($ctx.Port) "
    }
    Cleanup  = $StopListening
}
$Write4242 = @{
    Skip   = $No4242
    Assert = { param($r)
        $r.Output.Count | Should -Be 20
        $r.Output.ProcessId | Sort-Object -Unique | Should -Be 4242
        $r.Output.Syscall | Sort-Object -Unique | Should -Be 'write'
        $r.Text | Should -Match '4242 python3\s+write\s+1 fd=1, buf=0x[0-9a-f]+'
    }
}
$FunctionTrace = @{
    Skip     = { $NoFunctionTracing }
    CtrlC    = $true
    Activity = $UnlinkFile
    Assert   = { param($r, $ctx) @($r.Output | Where-Object { $_.Command -eq 'python3' -and $_.ReturnValue -eq 0 }).Count | Should -BeGreaterThan 0 }
}
$ImportModule = @{ Assert = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Output | Should -BeNullOrEmpty } }
# Remoting: every host name reaches the test's sshd (Get-FleetOptions), so each "host" traces this kernel.
$NoSshd = { if (-not (Test-Path /usr/sbin/sshd)) { 'no sshd (/usr/sbin/sshd) here to be the hosts' } }
$FleetVariables = @{ PSDefaultParameterValues = { Get-FleetOptions } }
$PackageTest = 'Package.Tests.ps1 builds the package and installs it this way, as a user of its own'

# An XDP example's check: what eth0's filter does to pings and TCP from each source, and the filter itself.
function Get-XdpCheck([string] $Extra = '') {
    "[pscustomobject]@{ Rules = @((Get-BpfXdpFilter -Interface eth0 -ErrorAction SilentlyContinue).Rules | ForEach-Object ToString); " +
    "Echo7 = Send-Ping `$Sender 203.0.113.7 203.0.113.1; Echo9 = Send-Ping `$Sender 203.0.113.9 203.0.113.1; " +
    "Pinned = Test-Path /sys/fs/bpf/ebpfps/eth0; Xdp = ((ip -d link show eth0 2>`$null) -join ' ') -match 'prog/xdp'; $Extra }"
}
$IcmpDrop = @{
    Net    = $true
    Check  = Get-XdpCheck 'Tcp = Test-TcpConnection $Sender $Receiver 203.0.113.7 203.0.113.1 8080'
    Assert = { param($r)
        $r.Errors | Should -BeNullOrEmpty
        $c = $r.Check[0]
        $c.Echo7 | Should -Be 0
        $c.Tcp | Should -BeTrue
        $c.Rules | Should -Be '1: Drop Icmp'
    }
}
$RemoveFilter = @{
    Net     = $true
    Prelude = 'Add-BpfXdpFilter -Interface eth0 -Protocol Icmp -Action Drop; $dropped = Send-Ping $Sender 203.0.113.7 203.0.113.1'
    Check   = Get-XdpCheck 'Dropped = $dropped'
    Assert  = { param($r)
        $r.Errors | Should -BeNullOrEmpty
        $c = $r.Check[0]
        $c.Dropped | Should -Be 0
        $c.Echo7 | Should -Be 3
        $c.Pinned | Should -BeFalse
        $c.Xdp | Should -BeFalse
    }
}
# Two rules on eth0, the ICMP one matched by three pings.
$TwoRules = 'Add-BpfXdpFilter -Interface eth0 -Protocol Icmp -Action Drop; Add-BpfXdpFilter -Interface eth0 -Protocol Udp -DestinationPort 5353 -Action Drop; $null = Send-Ping $Sender 203.0.113.7 203.0.113.1'

$Expectations = @{
    # README.md
    'README.md: Get-BpfSignalEvent -Duration 00:00:30 | Where-Object SignalName -eq SIGKILL | Export-Csv kills.csv' = $KillsCsv
    'README.md: Start-BpfTrace -Tracepoint sock:inet_sock_set_state | Where-Object NewState -eq TCP_ESTABLISHED' = $TcpEstablished
    'README.md: Measure-BpfTrace -Syscall ''*'' -By ProcessId, Command -Duration 10 | Select-Object -First 10' = $MeasureTop
    'README.md: Measure-BpfTrace -Syscall fsync, fdatasync -By Command -Histogram Duration -Duration 30' = $MeasureFsync
    'README.md: Start-BpfTrace -Syscall openat -Duration 00:00:10 | Where-Object ErrorName -eq ENOENT | Group-Object { $_.Arguments.filename }' = @{
        Replace  = @{ '00:00:10' = '00:00:03' } # 10 seconds, shortened to 3
        Setup    = $Missing
        Activity = $OpenMissing
        Assert   = { param($r, $ctx) ($r.Output | Where-Object Name -EQ $ctx.Path).Count | Should -BeGreaterThan 0 }
    }
    'README.md: Start-BpfTrace -Exec -Duration 00:01:00 | Group-Object ParentCommand   # Group-Object writes once the trace ends' = @{
        Replace  = @{ '00:01:00' = '00:00:03' } # a minute, shortened to 3 seconds
        Setup    = $ExecPids
        Activity = $Exec
        Assert   = { param($r) ($r.Output | Where-Object Name -EQ 'ebpfps-sh').Count | Should -BeGreaterOrEqual 10 }
    }
    'README.md: Start-BpfTrace -KernelFunction do_unlinkat -Return      # kprobe, or fentry where kprobes are absent' = $FunctionTrace
    'README.md: $job = Start-BpfTrace -Syscall write -ProcessId 4242 -AsJob; Start-Sleep 5; $job | Stop-Job; Receive-Job $job' = @{
        Skip   = $No4242
        Assert = { param($r)
            $r.Output.Count | Should -BeGreaterThan 0
            $r.Output.ProcessId | Sort-Object -Unique | Should -Be 4242
        }
    }
    'README.md: ./build.ps1                                  # builds the module into out/EbpfPS' = @{ Skip = 'the build itself: the tests run on the module it built' }
    'README.md: ./build.ps1 -Configuration Release           # the same, precompiled (ReadyToRun) for linux-x64' = @{ Skip = 'the build itself: it would replace the module under test while it is loaded' }
    'README.md: Import-Module ./out/EbpfPS/EbpfPS.psd1' = @{ Setup = $LinkOut; Assert = $ImportModule.Assert }
    'README.md: sudo pwsh -c ''Import-Module ./out/EbpfPS/EbpfPS.psd1; Get-BpfSignalEvent -Count 10''' = @{
        Skip     = { if (-not (Get-Command sudo -CommandType Application -ErrorAction SilentlyContinue)) { 'sudo is not installed here' } }
        Setup    = { param($ctx) & $LinkOut $ctx; & $IgnoringSleeper $ctx }
        Activity = $SignalSleeper
        Assert   = { param($r) @($r.Output | Where-Object { "$_" -match '\bSIG[A-Z0-9+]+\b' }).Count | Should -BeGreaterOrEqual 10 }
    }
    'README.md: ./build.ps1 -Test                            # xunit + the Pester 5 suites' = @{ Skip = 'runs every suite, this one included' }
    'README.md: ./build.ps1 -Package                         # out/EbpfPS.0.1.0.nupkg, for Install-PSResource' = @{ Skip = $PackageTest }
    'README.md: Register-PSResourceRepository -Name Local -Uri ./out -Trusted' = @{ Skip = $PackageTest }
    'README.md: Install-PSResource -Name EbpfPS -Repository Local' = @{ Skip = $PackageTest }
    'README.md: Import-Module EbpfPS' = $ImportModule
    'README.md: $fleet = ''web1'', ''web2'', ''db1''' = @{
        Skip      = $NoSshd
        Variables = $FleetVariables
        Replace   = @{ '00:01:00' = '00:00:05'; '00:00:30' = '00:00:05' } # a minute and 30 seconds, shortened to 5 seconds each
        Setup     = { param($ctx) & $Victims $ctx; & $Listen $ctx }
        Activity  = { param($ctx) & $KillVictim $ctx; $null = Connect-Tcp $ctx.Port }
        Assert    = { param($r, $ctx)
            foreach ($name in 'web1', 'web2', 'db1') { @($r.Output | Where-Object Name -Like "$name, *").Count | Should -BeGreaterThan 0 }
            $rows = @(Import-Csv "$($ctx.Dir)/connections.csv" | Where-Object dport -EQ $ctx.Port)
            $rows.PSComputerName | Sort-Object -Unique | Should -Be 'db1', 'web1', 'web2'
            $rows.NewState | Sort-Object -Unique | Should -Be 'TCP_ESTABLISHED'
        }
        Cleanup   = $StopListening
        TimeLimit = 60
    }
    'README.md: Add-BpfXdpFilter -Interface eth0 -Protocol Icmp -Action Drop' = $IcmpDrop
    'README.md: Add-BpfXdpFilter -Interface eth0 -Protocol Tcp -SourceAddress 203.0.113.0/24 -DestinationPort 22 -Action Drop' = @{
        Net    = $true
        Check  = Get-XdpCheck 'Ssh7 = Test-TcpConnection $Sender $Receiver 203.0.113.7 203.0.113.1 22; Ssh10 = Test-TcpConnection $Sender $Receiver 10.20.0.5 10.20.0.1 22'
        Assert = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $c = $r.Check[0]
            $c.Ssh7 | Should -BeFalse
            $c.Ssh10 | Should -BeTrue
            $c.Echo7 | Should -Be 3
        }
    }
    'README.md: Get-BpfXdpFilter -Interface eth0          # rules with packets and bytes per rule' = @{
        Net     = $true
        Prelude = 'Add-BpfXdpFilter -Interface eth0 -Protocol Icmp -Action Drop; $null = Send-Ping $Sender 203.0.113.7 203.0.113.1 4'
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Text | Should -Match 'eth0 .*\b1\b.*\b4\b' # one rule, four packets dropped
        }
    }
    'README.md: Remove-BpfXdpFilter -Interface eth0       # detaches, removes every pin' = $RemoveFilter
    'README.md: Get-BpfProgram; Get-BpfLink -Type xdp        # everything loaded, by anyone' = @{
        Net     = $true
        Prelude = 'Add-BpfXdpFilter -Interface eth0 -Protocol Icmp -Action Drop'
        Check   = '(Get-BpfXdpFilter -Interface eth0).LinkId'
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Text | Should -Match "\b$MyProgramId\b.*my_prog"
            $r.Text | Should -Match "(?s)Id\s+: $($r.Check[0])\s+Type\s+: xdp.*?Target\s+: eth0" # listed after the programs
        }
    }
    'README.md: Get-BpfMap -Type lpm_trie | Read-BpfMap      # entries decoded through BTF' = @{
        Setup   = { Write-BpfMap -Id (Get-JobMap blocklist).Id -Key 198.51.100.0/24 -Value 7 }
        Assert  = { param($r) ($r.Output | Where-Object { $_.MapName -eq 'blocklist' -and "$($_.Key)" -eq '198.51.100.0/24' }).Value | Should -Be 7 }
        Cleanup = { Remove-BpfMapEntry -Id (Get-JobMap blocklist).Id -Key 198.51.100.0/24 -ErrorAction SilentlyContinue }
    }
    'README.md: Read-BpfMap -Trace $job -Name counts         # a running trace''s maps' = @{
        Skip      = $No4242
        Variables = @{ job = { $MyJob } }
        Assert    = { param($r) ($r.Output | Where-Object Key -EQ 4242).Value | Should -BeGreaterThan 0 }
    }
    'README.md: Write-BpfMap -Path /sys/fs/bpf/blocklist -Key 203.0.113.0/24 -Value 1 -WhatIf' = @{
        Skip   = $NotOurBlocklist
        Child  = $true
        Assert = { param($r)
            $r.Text | Should -Match 'What if: .*203\.0\.113\.0/24'
            @(Read-BpfMap -Path /sys/fs/bpf/blocklist | Where-Object { "$($_.Key)" -eq '203.0.113.0/24' }) | Should -BeNullOrEmpty
        }
    }
    'README.md: Get-BpfFeature -Name Kprobes, Fentry         # probed, not guessed' = @{
        Assert = { param($r)
            $r.Output.Name | Should -Be 'Kprobes', 'Fentry'
            $r.Output.Supported | Should -Be $HasKprobes, $HasFentry
        }
    }

    # about_EbpfPS.md
    'about_EbpfPS.md: Import-Module EbpfPS' = $ImportModule
    'about_EbpfPS.md: Get-BpfSignalEvent -Duration 00:00:30 | Where-Object SignalName -eq SIGKILL | Export-Csv kills.csv' = $KillsCsv
    'about_EbpfPS.md: Start-BpfTrace -Tracepoint sock:inet_sock_set_state | Where-Object NewState -eq TCP_ESTABLISHED' = $TcpEstablished
    'about_EbpfPS.md: Start-BpfTrace -Syscall write -ProcessId 4242 -Count 20' = $Write4242
    'about_EbpfPS.md: Start-BpfTrace -Syscall openat -Duration 00:00:30 | Where-Object ErrorName -eq ENOENT' = @{
        Replace  = @{ '00:00:30' = '00:00:03' } # 30 seconds, shortened to 3
        Setup    = $Missing
        Activity = $OpenMissing
        Assert   = { param($r, $ctx)
            @($r.Output | Where-Object { $_.Arguments.filename -eq $ctx.Path }).Count | Should -BeGreaterThan 0
            $r.Output.ErrorName | Sort-Object -Unique | Should -Be 'ENOENT'
        }
    }
    'about_EbpfPS.md: Start-BpfTrace -Syscall openat -Duration 00:00:10 | Export-Csv opens.csv' = @{
        Replace  = @{ '00:00:10' = '00:00:03' } # ten seconds, shortened to 3
        Setup    = $Missing
        Activity = $OpenMissing
        Assert   = { param($r, $ctx)
            $mine = @(Import-Csv "$($ctx.Dir)/opens.csv" | Where-Object ArgumentText -Like "*$($ctx.Path)*")
            $mine.Count | Should -BeGreaterThan 0
            $mine[0].Timestamp | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+' # ISO 8601, with its fraction
        }
    }
    'about_EbpfPS.md: Import-Csv opens.csv | Where-Object { [datetime]$_.Timestamp -gt (Get-Date).AddSeconds(-5) } | Select-Object Timestamp, Arguments' = @{
        Setup  = { param($ctx)
            # the file the statement before writes: one row from now, one from a minute ago
            $now = [datetime]::Now
            "Timestamp,Arguments`n$($now.ToString('o')),fresh`n$($now.AddMinutes(-1).ToString('o')),stale" | Set-Content "$($ctx.Dir)/opens.csv"
        }
        Assert = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Output.Arguments | Should -Be 'fresh' }
    }
    'about_EbpfPS.md: Start-BpfTrace -Exec -Duration 00:01:00 | Group-Object ParentProcessId' = @{
        Replace  = @{ '00:01:00' = '00:00:03' } # a minute, shortened to 3 seconds
        Setup    = $ExecPids
        Activity = $Exec
        Assert   = { param($r, $ctx) @($r.Output | Where-Object { [int] $_.Name -in $ctx.Shells -and $_.Count -ge 10 }).Count | Should -BeGreaterThan 0 }
    }
    'about_EbpfPS.md: Get-BpfKernelFunction do_unlinkat' = @{
        Assert = { param($r)
            $r.Output.Name | Should -Be 'do_unlinkat'
            $r.Output.Prototype | Should -Be 'int do_unlinkat(int dfd, struct filename * name)'
        }
    }
    'about_EbpfPS.md: Start-BpfTrace -KernelFunction do_unlinkat -Return' = $FunctionTrace
    'about_EbpfPS.md: $job = Start-BpfTrace -Path ./counter.bpf.o -Set @{ target_pid = 42 } -AsJob' = @{
        Setup  = { param($ctx) Build-BpfObject "$PSScriptRoot/fixtures/getppid-counter.bpf.c" "$($ctx.Dir)/counter.bpf.o" }
        Assert = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $job = $r.Variable('job')
            $job.State | Should -Be 'Running'
            $job.Trace.MapNames | Should -Contain 'counts'
        }
    }
    'about_EbpfPS.md: try {' = @{
        Setup    = $IgnoringSleeper
        Activity = $SignalSleeper
        Assert   = { param($r)
            $r.Output.Count | Should -Be 1
            $r.Output[0].PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfSignalEvent'
        }
    }
    'about_EbpfPS.md: Invoke-Command -HostName web1, web2 -UserName root { Get-BpfSignalEvent -Duration 00:00:30 } |' = @{
        Skip      = $NoSshd
        Variables = $FleetVariables
        Replace   = @{ '00:00:30' = '00:00:05' } # 30 seconds, shortened to 5
        Setup     = $Victims
        Activity  = $KillVictim
        Assert    = { param($r, $ctx)
            $rows = @(Import-Csv "$($ctx.Dir)/kills.csv" | Where-Object { [int] $_.TargetProcessId -in $ctx.Victims })
            $rows.PSComputerName | Sort-Object -Unique | Should -Be 'web1', 'web2'
        }
        TimeLimit = 60
    }

    # Add-BpfXdpFilter
    'Add-BpfXdpFilter.md: Example 1' = $IcmpDrop
    'Add-BpfXdpFilter.md: Example 2' = @{
        Net    = $true
        Check  = Get-XdpCheck
        Assert = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Check[0].Echo9 | Should -Be 0
            $r.Check[0].Echo7 | Should -Be 3
        }
    }
    'Add-BpfXdpFilter.md: Example 3' = @{
        Net         = $true
        Environment = @{ SSH_CONNECTION = '10.20.0.5 50022 10.20.0.1 22' } # a session from the management network
        Check       = Get-XdpCheck 'Ssh9 = Test-TcpConnection $Sender $Receiver 203.0.113.9 203.0.113.1 22; Ssh10 = Test-TcpConnection $Sender $Receiver 10.20.0.5 10.20.0.1 22'
        Assert      = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Check[0].Ssh9 | Should -BeFalse
            $r.Check[0].Ssh10 | Should -BeTrue
        }
    }
    'Add-BpfXdpFilter.md: Example 4' = @{
        Net    = $true
        Check  = '[pscustomobject]@{ Bad = Send-Ping $Sender 2001:db8:bad::7 2001:db8:bad::1; Good = Send-Ping $Sender 2001:db8:1::7 2001:db8:1::1 }'
        Assert = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Text | Should -Not -Match 'WARNING'
            $r.Check[0].Bad | Should -Be 0
            $r.Check[0].Good | Should -Be 3
        }
    }
    'Add-BpfXdpFilter.md: Example 5' = @{
        Net    = $true
        Setup  = { param($ctx)
            "Protocol,SourceAddress,DestinationAddress,SourcePort,DestinationPort,Action", "Icmp,,,,,Drop", "Tcp,203.0.113.0/24,,,22,Drop", "Bogus,,,,,Drop" |
                Set-Content "$($ctx.Dir)/rules.csv"
        }
        Check  = '(Get-BpfXdpFilter -Interface eth0).Rules | ForEach-Object ToString'
        Assert = { param($r)
            ($r.Errors -join "`n") | Should -Match 'Bogus'
            $r.Text | Should -Match 'Icmp'
            $r.Text | Should -Match '203\.0\.113\.0/24'
            $r.Check | Should -Be '2: Drop Tcp from 203.0.113.0/24 to any port 22', '1: Drop Icmp'
        }
    }
    'Add-BpfXdpFilter.md: Example 6' = @{
        Net     = $true
        Prelude = $TwoRules
        Check   = '(Get-BpfXdpFilter -Interface eth1).Rules | ForEach-Object ToString'
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Check | Should -Be '1: Drop Udp to any port 5353', '2: Drop Icmp' # renumbered on eth1, most specific first
        }
    }
    'Add-BpfXdpFilter.md: Example 7' = @{
        Net    = $true
        Check  = '$f = Get-BpfXdpFilter -Interface wlan0; "$($f.Mode)"; $f.Rules | ForEach-Object ToString'
        Assert = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Check | Should -Be 'Generic', '1: Drop Udp to any port 5353'
        }
    }

    # Get-BpfFeature
    'Get-BpfFeature.md: Example 1' = @{
        Assert = { param($r)
            ($r.Output | Where-Object Name -EQ 'Kprobes').Supported | Should -Be $HasKprobes
            ($r.Output | Where-Object Name -EQ 'Fentry').Supported | Should -Be $HasFentry
            $r.Output.Category | Sort-Object -Unique | Should -Be 'Kernel'
        }
    }
    'Get-BpfFeature.md: Example 2' = @{
        Assert = { param($r)
            $r.Text | Should -Match "Name\s+: Kprobes\s+Supported\s+: $HasKprobes"
            $r.Text | Should -Match "Name\s+: Fentry\s+Supported\s+: $HasFentry"
            if (-not $HasKprobes) { $r.Text | Should -Match 'CONFIG_KPROBES' }
        }
    }
    'Get-BpfFeature.md: Example 3' = @{
        Skip      = $NoSshd
        Variables = $FleetVariables
        Assert    = { param($r)
            $missing = @(Get-BpfFeature | Where-Object Supported -NE $true).Name
            foreach ($name in 'web1', 'web2') { @($r.Output | Where-Object PSComputerName -EQ $name).Name | Should -Be $missing }
            $r.Output[0].PSObject.Properties.Name | Should -Be 'PSComputerName', 'Category', 'Name', 'Detail'
        }
        TimeLimit = 60
    }

    # Get-BpfKernelFunction
    'Get-BpfUserFunction.md: Example 1' = @{
        Assert = { param($r)
            $r.Output.Name | Should -Be 'getaddrinfo', 'malloc'
            $r.Output.Path | Should -Match '/libc\.so\.6$'
            $r.Text | Should -Match 'getaddrinfo\s+0x[0-9a-f]+ /\S+/libc\.so\.6'
        }
    }
    'Get-BpfUserFunction.md: Example 2' = @{
        Assert = { param($r) $r.Output.Name | Should -Contain 'readline'; $r.Output.Name | ForEach-Object { $_ | Should -BeLike '*readline*' } }
    }
    'Get-BpfUserFunction.md: Example 3' = @{
        Assert = { param($r) $r.Output | Should -Contain "$($r.Output[0] -replace ':.*')`:getppid"; $r.Output | ForEach-Object { $_ | Should -Match '/libc\.so\.6:getp\w*id$' } }
    }
    'Start-BpfTrace.md: Example 20' = @{
        Replace  = @{ '00:00:30' = '00:00:03' } # thirty seconds, shortened to 3
        Activity = { param($ctx) $null = Start-Program $Python '-c', "import socket`nfor _ in range(3): socket.getaddrinfo('localhost', 80)", '' }
        Assert   = { param($r)
            $lookups = @($r.Output | Where-Object Command -EQ python3)
            $lookups.Count | Should -BeGreaterOrEqual 3
            $lookups | ForEach-Object { $_.ReturnValue | Should -Be 0; $_.Duration | Should -BeGreaterThan ([TimeSpan]::Zero) }
            $r.Text | Should -Match '(?m)^Command\s+: python3\r?\nReturnValue : 0\r?\nDuration\s+: 00:00:\d\d\.\d+' # five properties: a list
        }
    }
    'Start-BpfTrace.md: Example 21' = @{
        Replace  = @{ '00:00:30' = '00:00:03' } # thirty seconds, shortened to 3
        Setup    = $Lookups
        Activity = { param($ctx) & $LookUp $ctx 3 }
        Assert   = { param($r, $ctx)
            $r.Errors | Should -BeNullOrEmpty
            $ours = @($r.Output | Where-Object Name -In $ctx.Addresses)
            $ours | Should -Not -BeNullOrEmpty
            $ours | ForEach-Object { $_.Count | Should -BeLessOrEqual 3 -Because 'each child looked its own address up three times' }
            ($ours | Where-Object Count -EQ 3) | Should -Not -BeNullOrEmpty
            $r.Text | Should -Match "(?m)^\s*3 $([regex]::Escape($ctx.Net))\.\d+\s*$"
        }
    }
    'Start-BpfTrace.md: Example 22' = @{
        Replace  = @{ '00:00:10' = '00:00:04' } # ten seconds, shortened to 4
        Setup    = { param($ctx) $ctx.Tick = 0 }
        # once attached: one python3 that fails to open a missing file five times from one line of code, and lives on
        # while its stacks are named
        Activity = { param($ctx) if (++$ctx.Tick -eq 8) { $null = Start-Program $Python '-c', "import time`nfor _ in range(5):`n  try: open('$($ctx.Dir)/missing')`n  except OSError: pass`ntime.sleep(3)", '' } }
        Assert   = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            # Debian's libc has no frame pointers: its open is the innermost frame, and python's own failed opens as
            # it starts (a site directory, a locale) may share the stack of the test's five
            $opens = @([regex]::Matches($r.Text, '(?m)^Count : (\d+)\r?\nName  : (.*?)\s*$') | Where-Object { $_.Groups[2].Value -match '(^|;)\w*open\w*$' })
            $opens | Should -Not -BeNullOrEmpty
            ($opens | ForEach-Object { [int]$_.Groups[1].Value } | Measure-Object -Sum).Sum | Should -BeGreaterOrEqual 5
        }
    }
    'Get-BpfKernelFunction.md: Example 1' = @{
        Assert = { param($r)
            $r.Output.Name | Should -Be 'do_unlinkat'
            $r.Text | Should -Match "$HasKprobes\s+$HasFentry\s+True\s+int do_unlinkat\(int dfd, struct filename \* name\)"
        }
    }
    'Get-BpfKernelFunction.md: Example 2' = @{
        Skip   = { if (-not $HasFentry) { 'fentry cannot hook any function on this kernel, so the list is empty' } }
        Assert = { param($r) $r.Output.Name | ForEach-Object { $_ | Should -BeLike 'tcp_v4_*' }; $r.Output.Name | Should -Contain 'tcp_v4_connect' }
    }
    'Get-BpfKernelFunction.md: Example 3' = @{
        Activity = $UnlinkFile
        Assert   = { param($r)
            if ($NoFunctionTracing) { $r.Warnings | Should -Be 'do_unlinkat cannot be hooked on this kernel; trace a tracepoint instead.'; $r.Output | Should -BeNullOrEmpty }
            else { $r.Output.Count | Should -Be 10; $r.Output[0].PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfKernelFunctionEvent' }
        }
    }
    'Get-BpfKernelFunction.md: Example 4' = @{ Assert = { param($r) $r.Output | Should -Be 'int tcp_v4_connect(struct sock * sk, struct sockaddr * uaddr, int addr_len)' } }
    'Get-BpfKernelFunction.md: Example 5' = @{
        Assert = { param($r)
            $r.Output[0..2].Name | Should -Be 'vfs_read', 'vfs_write', 'vfs_fsync_range'
            $r.Output[3] | Should -Be 'no_such_function'
        }
    }
    'Get-BpfKernelFunction.md: Example 6' = @{
        Assert = { param($r)
            $r.Output.Name | Should -Contain 'tcp_v4_connect'
            $r.Output.Prototype | ForEach-Object { $_ | Should -BeLike '*(struct sock `* sk*' }
        }
    }
    'Get-BpfKernelFunction.md: Example 7' = @{
        Assert = { param($r)
            $kallsyms = @([System.IO.File]::ReadLines('/proc/kallsyms') | Where-Object { $_ -match '^\S+ [tT] nft_' }).Count
            ($r.Output | Measure-Object Count -Sum).Sum | Should -BeGreaterThan 0
            ($r.Output | Measure-Object Count -Sum).Sum | Should -BeLessOrEqual $kallsyms
            $r.Output.Count | Should -Be @($r.Output.Name | Sort-Object -Unique).Count
        }
    }
    'Get-BpfKernelFunction.md: Example 8' = @{
        Skip   = { if (-not $HasKprobes) { 'no kprobes (CONFIG_KPROBES) here, so no function qualifies' } }
        Assert = { param($r) $r.Output | ForEach-Object { $_.HasBtf | Should -BeFalse; $_.Name | Should -BeLike 'do_sys_*' } }
    }

    # Get-BpfLink
    'Get-BpfLink.md: Example 1' = @{ Assert = { param($r) $r.Output.ProgramId | Should -Contain $MyProgramId } }
    'Get-BpfLink.md: Example 2' = @{
        Net     = $true
        Prelude = 'Add-BpfXdpFilter -Interface eth0 -Protocol Icmp -Action Drop'
        Check   = '(Get-BpfXdpFilter -Interface eth0).LinkId'
        Assert  = { param($r) $r.Text | Should -Match "(?m)^\s*$($r.Check[0])\s+xdp\b.*\beth0\b" }
    }
    'Get-BpfLink.md: Example 3' = @{ Assert = { param($r) $r.Output.ProgramId | Should -Be $MyProgramId } }

    # Get-BpfMap
    'Get-BpfMap.md: Example 1' = @{ Assert = { param($r) $r.Output.Id | Should -Contain (Get-JobMap flows).Id } }
    'Get-BpfMap.md: Example 2' = @{
        Skip   = $No4242
        Assert = { param($r) $r.Errors | Should -BeNullOrEmpty; ($r.Output | Where-Object { $_.MapName -eq 'counts' -and $_.Key -eq 4242 }).Value | Should -BeGreaterThan 0 }
    }
    'Get-BpfMap.md: Example 3' = @{
        Assert = { param($r)
            $r.Output.Count | Should -Be 5
            $r.Output.MemoryLockBytes | Should -Be ($r.Output.MemoryLockBytes | Sort-Object -Descending)
            $r.Output[0].MemoryLockBytes | Should -Be (Get-BpfMap | Measure-Object MemoryLockBytes -Maximum).Maximum
        }
    }
    'Get-BpfMap.md: Example 4' = @{
        Skip   = $NotOurTc
        Setup  = { & bpftool prog pin id $MyProgramId /sys/fs/bpf/tc/globals/my_prog } # a program among the maps
        Assert = { param($r) $r.Output.Name | Should -Be 'blocked_ips' }
    }

    # Get-BpfProgram
    'Get-BpfProgram.md: Example 1' = @{ Assert = { param($r) $r.Output.Id | Should -Contain $MyProgramId } }
    'Get-BpfProgram.md: Example 2' = @{
        Setup   = { param($ctx)
            $before = @(Get-BpfProgram -Name ebpfps*).Id
            $ctx.Job = Start-BpfTrace -Syscall getppid -AsJob
            $ctx.Ids = @(Get-BpfProgram -Name ebpfps* | Where-Object Id -NotIn $before).Id
        }
        Assert  = { param($r, $ctx)
            $ctx.Ids.Count | Should -BeGreaterThan 0
            foreach ($id in $ctx.Ids) { $r.Output.Id | Should -Contain $id }
            $r.Output.Name | ForEach-Object { $_ | Should -BeLike 'ebpfps*' }
        }
        Cleanup = { param($ctx) if ($ctx.Job) { $ctx.Job | Stop-Job; $ctx.Job | Remove-Job } }
    }
    'Get-BpfProgram.md: Example 3' = @{
        Replace = @{ 'Start-Sleep 10' = 'Start-Sleep 2' } # ten seconds of statistics, shortened to 2
        Setup   = { param($ctx) $ctx.Stats = [System.IO.File]::ReadAllText('/proc/sys/kernel/bpf_stats_enabled').Trim() }
        Assert  = { param($r)
            $programs = @($r.Output | Where-Object { $_ -isnot [string] })
            $programs.Count | Should -Be ([Math]::Min(5, @(Get-BpfProgram).Count)) # the five, where there are five
            $programs.RunTime | Should -Be ($programs.RunTime | Sort-Object -Descending)
            $programs[0].RunCount | Should -BeGreaterThan 0
            # the run time also as the kernel's nanoseconds (one number in JSON), read in the same call as RunTime
            $full = Get-BpfProgram -Id $programs[0].Id
            $full.RunTimeNanoseconds | Should -BeGreaterThan 0
            $full.RunTime.Ticks | Should -Be ([long][Math]::Floor($full.RunTimeNanoseconds / 100))
        }
        Cleanup = { param($ctx) & sysctl -q -w "kernel.bpf_stats_enabled=$($ctx.Stats)" }
    }
    'Get-BpfProgram.md: Example 4' = @{
        Assert = { param($r)
            ($r.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'EbpfPS.BpfMapInfo' }).Name | Should -Contain 'counts'
            ($r.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'EbpfPS.BpfLinkInfo' }).ProgramId | Should -Be $MyProgramId
        }
    }

    # Get-BpfSignalEvent
    'Get-BpfSignalEvent.md: Example 1' = @{
        Skip     = { if (Get-Process nginx -ErrorAction SilentlyContinue) { 'an nginx runs here: the example would watch it' } }
        CtrlC    = $true
        Setup    = { param($ctx)
            # One nginx, which ignores SIGTERM: the test's repeated TERM must not end it before the example
            # looks it up (a signal that is ignored is still generated, and reported).
            $ctx.Nginx = @(Start-Sleeper nginx -Prefix "trap '' TERM;")
            $deadline = [datetime]::UtcNow.AddSeconds(5)
            while (-not (Get-Process nginx -ErrorAction SilentlyContinue) -and [datetime]::UtcNow -lt $deadline) { [System.Threading.Thread]::Sleep(20) }
        }
        Activity = { param($ctx) Send-Signal $ctx.Nginx[0].Id TERM }
        Assert   = { param($r, $ctx)
            $r.Text | Should -Match "SignalName\s+: SIGTERM"
            $r.Text | Should -Match "SenderCommandLine\s+: /bin/kill -s TERM $($ctx.Nginx[0].Id)"
            $r.Text | Should -Match "TargetProcessId\s+: $($ctx.Nginx[0].Id)\s+TargetCommand\s+: nginx"
        }
    }
    'Get-BpfSignalEvent.md: Example 2' = $KillsCsv
    'Get-BpfSignalEvent.md: Example 3' = @{
        Setup    = $IgnoringSleeper
        Activity = $SignalSleeper
        Assert   = { param($r) $r.Output.Count | Should -Be 5; $r.Output | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfSignalEvent' } }
    }
    'Get-BpfSignalEvent.md: Example 4' = @{
        Replace  = @{ '00:01:00' = '00:00:03' } # a minute, shortened to 3 seconds
        Setup    = $IgnoringSleeper
        Activity = $SignalSleeper
        Assert   = { param($r) ($r.Output | Where-Object Name -EQ 'Ignored, SIGUSR1, ebpfps-sleep').Count | Should -BeGreaterThan 0 }
    }
    'Get-BpfSignalEvent.md: Example 5' = @{
        Replace  = @{ '00:02:00' = '00:00:04' } # two minutes, shortened to 4 seconds
        Setup    = { param($ctx) $ctx.Blocker = Start-Program $Python '-c', "import signal, time`nsignal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])`ntime.sleep(60)", '' }
        Activity = { param($ctx) Send-Signal $ctx.Blocker.Id TERM }
        Assert   = { param($r, $ctx)
            $mine = @($r.Output | Where-Object TargetProcessId -EQ $ctx.Blocker.Id)
            $mine.Count | Should -BeGreaterThan 0
            $mine.SignalName | Sort-Object -Unique | Should -Be 'SIGTERM'
        }
    }
    'Get-BpfSignalEvent.md: Example 6' = @{
        # The OOM killer of a memory cgroup the test makes, with a python that wants more than it allows.
        Skip     = { if (-not ([System.IO.Directory]::Exists('/sys/fs/cgroup/memory') -or [System.IO.File]::Exists('/sys/fs/cgroup/cgroup.controllers'))) { 'no memory cgroup controller here' } }
        Setup    = { param($ctx)
            & $Victims $ctx
            $v1 = [System.IO.Directory]::Exists('/sys/fs/cgroup/memory')
            $ctx.Cgroup = (New-Item -ItemType Directory $(if ($v1) { "/sys/fs/cgroup/memory/$($ctx.Marker)" } else { "/sys/fs/cgroup/$($ctx.Marker)" })).FullName
            [System.IO.File]::WriteAllText("$($ctx.Cgroup)/$(if ($v1) { 'memory.limit_in_bytes' } else { 'memory.max' })", '33554432')
        }
        Activity = { param($ctx)
            $p = Start-Program '/bin/bash' '-c', "echo `$`$ > $($ctx.Cgroup)/cgroup.procs; exec $Python -c 'x = bytearray(512 << 20)'"
            $ctx.Victims.Add($p.Id); $null = $p.WaitForExit(5000)
        }
        Assert   = { param($r, $ctx)
            $r.Output.Count | Should -Be 1
            $r.Output[0].TargetProcessId | Should -BeIn $ctx.Victims
            $r.Output[0].TargetCommand | Should -Be 'python3'
        }
        Cleanup  = { param($ctx) if ($ctx.Cgroup) { [System.IO.Directory]::Delete($ctx.Cgroup) } }
    }
    'Get-BpfSignalEvent.md: Example 7' = @{
        Skip = { $init = [System.IO.File]::ReadAllText('/proc/1/comm').Trim(); if ($init -ne 'systemd') { "process 1 here is $init, not systemd: the test cannot make it send a signal" } }
        Setup    = { param($ctx) & systemd-run --quiet --unit $ctx.Marker /bin/sleep 60 }
        Activity = { param($ctx) & systemctl stop $ctx.Marker 2>$null }
        Assert   = { param($r) @($r.Output | Where-Object SignalName -EQ 'SIGTERM').Count | Should -BeGreaterThan 0; $r.Output.SenderProcessId | Sort-Object -Unique | Should -Be 1 }
        TimeLimit = 40
    }
    'Get-BpfSignalEvent.md: Example 9' = @{
        Replace  = @{ '-Duration 2m' = '-Duration 3s' } # two minutes, shortened to 3 seconds
        Setup    = $Victims
        Activity = $KillVictim
        Assert   = { param($r, $ctx)
            @($r.Output | Where-Object SignalName -EQ 'SIGKILL').Count | Should -BeGreaterThan 0
            $r.Output.SignalName | Sort-Object -Unique | ForEach-Object { $_ | Should -BeIn 'SIGTERM', 'SIGKILL' }
        }
    }
    'Get-BpfSignalEvent.md: Example 8' = @{
        Skip      = $NoSshd
        Variables = $FleetVariables
        Replace   = @{ '00:05:00' = '00:00:05' } # five minutes, shortened to 5 seconds
        Setup     = $Victims
        Activity  = $KillVictim
        Assert    = { param($r, $ctx)
            $rows = @(Import-Csv "$($ctx.Dir)/fleet-kills.csv" | Where-Object { [int] $_.TargetProcessId -in $ctx.Victims })
            $rows.PSComputerName | Sort-Object -Unique | Should -Be 'web1', 'web2', 'web3'
            $rows[0].SenderCommandLine | Should -BeLike '/bin/kill -s KILL *'
        }
        TimeLimit = 60
    }

    # Get-BpfTraceLog: the lines come from my_prog (the test's job) in process 4242, or from bpftrace.
    'Get-BpfTraceLog.md: Example 1' = @{
        Skip   = $No4242
        CtrlC  = $true
        Assert = { param($r) @($r.Output | Where-Object { $_.ProcessId -eq 4242 -and $_.Message -eq 'my_prog: getppid by 4242' }).Count | Should -BeGreaterThan 0 }
    }
    'Get-BpfTraceLog.md: Example 2' = @{
        CtrlC     = $true
        TimeLimit = 60
        Activity  = { param($ctx) Invoke-BpfPrintk "$($ctx.Marker) hook open: allowed"; Invoke-BpfPrintk "$($ctx.Marker) hook open: denied" }
        Assert    = { param($r, $ctx)
            $r.Output.Message | Should -Contain "$($ctx.Marker) hook open: denied"
            $r.Output.Message | ForEach-Object { $_ | Should -BeLike '*hook*denied*' }
        }
    }
    'Get-BpfTraceLog.md: Example 3' = @{
        Skip    = $No4242
        Replace = @{ '00:00:10' = '00:00:03' } # ten seconds, shortened to 3
        Assert  = { param($r)
            $r.Text | Should -Match 'Command\s+: python3\s+ThreadId\s+: 4242\s+Cpu\s+: \d+\s+FlagsDescription : .*\s+Message\s+: my_prog: getppid by 4242'
        }
    }
    'Get-BpfTraceLog.md: Example 4' = @{
        Skip    = $No4242
        Replace = @{ '00:05:00' = '00:00:03' } # five minutes, shortened to 3 seconds
        Assert  = { param($r, $ctx) @(Import-Csv "$($ctx.Dir)/printk.csv" | Where-Object { $_.ProcessId -eq '4242' -and $_.Message -eq 'my_prog: getppid by 4242' }).Count | Should -BeGreaterThan 0 }
    }
    'Get-BpfTraceLog.md: Example 5' = @{
        Assert = { param($r)
            $mine = @($r.Output | Where-Object Message -EQ 'deploy starts')
            $mine.Count | Should -Be 1
            $mine[0].Event | Should -Be 'tracing_mark_write'
            $mine[0].ProcessId | Should -Be $PID
        }
    }
    'Get-BpfTraceLog.md: Example 7' = @{
        Replace  = @{ '-Duration 30' = '-Duration 2'; '-Duration 2m' = '-Duration 2' } # shortened to 2 seconds each
        Activity = { param($ctx) Invoke-BpfPrintk "$($ctx.Marker) short" }
        Assert   = { param($r, $ctx)
            @($r.Output | Where-Object Message -EQ "$($ctx.Marker) short").Count | Should -BeGreaterThan 0
            @(Import-Csv "$($ctx.Dir)/printk.csv" | Where-Object Message -EQ "$($ctx.Marker) short").Count | Should -BeGreaterThan 0
        }
    }
    'Get-BpfTraceLog.md: Example 6' = @{
        Skip    = $No4242
        Replace = @{ '00:00:30' = '00:00:03' } # 30 seconds, shortened to 3
        Assert  = { param($r) ($r.Output | Where-Object Name -EQ 'python3').Count | Should -BeGreaterThan 0 }
    }

    # Get-BpfTracepoint
    'Get-BpfTracepoint.md: Example 1' = @{
        Assert = { param($r)
            $r.Output.Name | Should -Contain 'sock:inet_sock_set_state'
            $r.Output.Name | ForEach-Object { $_ | Should -BeLike 'sock:*' }
        }
    }
    'Get-BpfTracepoint.md: Example 2' = @{ Assert = { param($r) $r.Text | Should -Match 'newstate'; $r.Text | Should -Match 'TCP_ESTABLISHED'; $r.Text | Should -Match 'saddr_v6' } }
    'Get-BpfTracepoint.md: Example 3' = @{
        Assert = { param($r)
            ($r.Output | Where-Object { $_.PSObject.Properties['Address'] }).Name | Should -Be 'saddr', 'daddr', 'saddr_v6', 'daddr_v6'
            $r.Text | Should -Match 'Key\s+: 1\s+Value\s+: TCP_ESTABLISHED'
        }
    }
    'Get-BpfTracepoint.md: Example 4' = @{
        Assert = { param($r)
            @($r.Output.Name | Where-Object { $_ -eq 'sched:sched_process_exec' }).Count | Should -Be 2 # once from each line
            $r.Output.Name | ForEach-Object { $_ | Should -BeLike '*exec*' }
        }
    }
    'Get-BpfTracepoint.md: Example 5' = @{ Assert = { param($r) $r.Output.Name | Should -Contain 'sched:sched_process_exec'; $r.Output[0].Id | Should -BeGreaterThan 0 } }
    'Get-BpfTracepoint.md: Example 6' = @{
        Assert = { param($r)
            $r.Output[0].Name | Should -Be 'sock:inet_sock_set_state'
            $r.Output[1] | Should -Be 'sched:no_such_event'
        }
    }

    # Get-BpfXdpFilter
    'Get-BpfXdpFilter.md: Example 1' = @{
        Net     = $true
        Prelude = 'Add-BpfXdpFilter -Interface eth0 -Protocol Icmp -Action Drop; Add-BpfXdpFilter -Interface eth1 -Protocol Udp -Action Drop'
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Text | Should -Match '\beth0\b'; $r.Text | Should -Match '\beth1\b' }
    }
    'Get-BpfXdpFilter.md: Example 2' = @{
        Net     = $true
        Prelude = $TwoRules
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Text | Should -Match 'Udp .*:5353 .*\b0\b'
            $r.Text | Should -Match 'Icmp .*\b3\b'
        }
    }
    'Get-BpfXdpFilter.md: Example 3' = @{
        Net     = $true
        Prelude = $TwoRules
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Text | Should -Match 'Udp'; $r.Text | Should -Not -Match 'Icmp' }
    }
    'Get-BpfXdpFilter.md: Example 4' = @{
        Net      = $true
        Replace  = @{ 'Start-Sleep 10' = 'Start-Sleep 2'; ') / 10' = ') / 2' } # ten seconds, shortened to 2
        Prelude  = 'Add-BpfXdpFilter -Interface eth0 -Protocol Icmp -Action Drop'
        Activity = { $null = Send-Ping $Sender 203.0.113.7 203.0.113.1 5 }
        Assert   = { param($r) $r.Errors | Should -BeNullOrEmpty; [double] ($r.Text.Trim() -split '\s+')[-1] | Should -BeGreaterThan 2 }
    }
    'Get-BpfXdpFilter.md: Example 5' = @{
        Net     = $true
        Prelude = $TwoRules
        Assert  = { param($r, $ctx)
            $rows = @(Import-Csv "$($ctx.Dir)/rules.csv")
            ($rows | ForEach-Object { "$($_.Protocol),$($_.DestinationPort),$($_.Action)" }) | Should -Be 'Udp,5353,Drop', 'Icmp,,Drop'
        }
    }

    # Read-BpfMap
    'Read-BpfMap.md: Example 1' = @{ Skip = $No4242; Assert = { param($r) ($r.Output | Where-Object Key -EQ 4242).Value | Should -BeGreaterThan 0 } }
    'Read-BpfMap.md: Example 2' = @{
        Skip   = $No4242
        Setup  = { param($ctx) Build-BpfObject "$PSScriptRoot/fixtures/getppid-counter.bpf.c" "$($ctx.Dir)/counter.bpf.o" }
        Assert = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Text | Should -Match '\b4242\s+[1-9]\d*' }
    }
    'Read-BpfMap.md: Example 3' = @{
        Skip   = $NotOurTc
        Assert = { param($r) $r.Output.KeyHex | Should -Be 'cb 00 71 07'; $r.Output.ValueHex | Should -Be '01 00 00 00 00 00 00 00' }
    }
    'Read-BpfMap.md: Example 4' = @{
        Setup  = { Write-BpfMap -Id (Get-JobMap cpu_stats).Id -Key 7 -Value @{ packets = 2; bytes = 100 } }
        Assert = { param($r)
            $mine = $r.Output | Where-Object { $_.MapName -eq 'cpu_stats' -and $_.Key -eq 7 }
            $mine.PerCpuValues.Count | Should -Be ([Environment]::ProcessorCount)
            $mine.Value.packets | Should -Be (2 * [Environment]::ProcessorCount)
        }
    }
    'Read-BpfMap.md: Example 5' = @{
        Replace = @{ '-Id 42' = { "-Id $((Get-JobMap flows).Id)" } } # map ids are the kernel's to give: the test's flows map
        Setup   = { Write-BpfMap -Id (Get-JobMap flows).Id -Key @{ saddr = 16777226; dport = 443; proto = 6 } -Value @{ packets = 9; comm = 'curl' } }
        Assert  = { param($r) $r.Output.Count | Should -Be 1; $r.Output[0].Value.comm | Should -Be 'curl'; $r.Output[0].Value.packets | Should -Be 9 }
    }
    'Read-BpfMap.md: Example 7' = @{
        Net     = $true
        Prelude = 'Add-BpfXdpFilter -Interface eth0 -SourceAddress 203.0.113.0/24 -Action Drop | Out-Null'
        Assert  = { param($r) $r.Text | Should -Match '203\.0\.113\.0/24 generation=1\s+@\{words=\{1, 0, 0, 0\}\}' }
    }
    'Read-BpfMap.md: Example 6' = @{
        Setup  = { param($ctx)
            $id = (Get-JobMap conn_stats).Id
            Write-BpfMap -Id $id -Key 1 -Value @{ packets = 5; last_seen = 1 }
            Write-BpfMap -Id $id -Key 2 -Value @{ packets = 6; last_seen = 2 }
            $ctx.Before = (Read-BpfMap -Id $id | Sort-Object { $_.Key } | ForEach-Object { "$($_.Key)=$($_.ValueHex)" }) -join ';'
        }
        Assert = { param($r, $ctx)
            $r.Errors | Should -BeNullOrEmpty
            $r.Output | Should -BeNullOrEmpty
            (Read-BpfMap -Id (Get-JobMap conn_stats).Id | Sort-Object { $_.Key } | ForEach-Object { "$($_.Key)=$($_.ValueHex)" }) -join ';' | Should -Be $ctx.Before
        }
    }

    # Remove-BpfMapEntry
    'Remove-BpfMapEntry.md: Example 1' = @{
        Setup  = { Write-BpfMap -Id (Get-JobMap target_pids).Id -Key 4242 -Value 1 }
        Assert = { param($r) $r.Errors | Should -BeNullOrEmpty; @(Read-BpfMap -Id (Get-JobMap target_pids).Id | Where-Object Key -EQ 4242) | Should -BeNullOrEmpty }
    }
    'Remove-BpfMapEntry.md: Example 2' = @{
        Setup  = { # last_seen is bpf_ktime_get_ns(): entry 1 ten minutes old, entry 2 fresh
            $id = (Get-JobMap conn_stats).Id
            $now = [System.Diagnostics.Stopwatch]::GetTimestamp()
            Write-BpfMap -Id $id -Key 1 -Value @{ packets = 5; last_seen = $now - 600e9 }
            Write-BpfMap -Id $id -Key 2 -Value @{ packets = 6; last_seen = $now }
        }
        Assert = { param($r) $r.Errors | Should -BeNullOrEmpty; (Read-BpfMap -Id (Get-JobMap conn_stats).Id).Key | Should -Be 2 }
    }
    'Remove-BpfMapEntry.md: Example 3' = @{
        Skip   = $NotOurBlocklist
        Child  = $true
        Answer = "y`n"
        Setup  = { Write-BpfMap -Path /sys/fs/bpf/blocklist -Key 192.0.2.0/24 -Value 1; Write-BpfMap -Path /sys/fs/bpf/blocklist -Key 198.51.100.0/24 -Value 2 }
        Assert = { param($r) $r.Text | Should -Match 'Are you sure'; @(Read-BpfMap -Path /sys/fs/bpf/blocklist) | Should -BeNullOrEmpty }
    }

    # Register-BpfProgram, Unregister-BpfProgram, Get-BpfRegistration, and Start-BpfTrace -Cgroup: the cgroup app
    'README.md: Register-BpfProgram -Path ./deny.bpf.o -Cgroup app -Name deny -Set @{ refused_port = 8080 }   # stays after exit' = @{
        Skip    = $NoAppCgroup
        Setup   = { param($ctx) & $MakeApp $ctx; Build-BpfObject "$PSScriptRoot/fixtures/connect4-refuse.bpf.c" "$($ctx.Dir)/deny.bpf.o" }
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Output.Attachments | Should -Be @("refuse_port -> cgroup_inet4_connect $(& $AppCgroup)") }
        Cleanup = $RemoveDenyAndApp
    }
    'README.md: Unregister-BpfProgram -Name deny                                                              # detaches, removes every pin' = @{
        Skip    = $NoAppCgroup
        Setup   = $RegisterDeny
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; '/sys/fs/bpf/ebpfps/registered/deny' | Should -Not -Exist }
        Cleanup = $RemoveDenyAndApp
    }
    'Register-BpfProgram.md: Example 1' = @{
        Skip    = $NoAppCgroup
        Setup   = { param($ctx) & $MakeApp $ctx; & $DenySource $ctx }
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Output.Name | Should -Be 'deny'
            $r.Output.Attachments | Should -Be @("refuse_port -> cgroup_inet4_connect $(& $AppCgroup)")
            '/sys/fs/bpf/ebpfps/registered/deny/links/refuse_port' | Should -Exist
        }
        Cleanup = $RemoveDenyAndApp
    }
    'Register-BpfProgram.md: Example 2' = @{
        Skip    = $NoAppCgroup
        Setup   = $RegisterDeny
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Text | Should -Match "Registration : deny\s+AttachedTo\s+: \{cgroup_inet4_connect .*/app\}" }
        Cleanup = $RemoveDenyAndApp
    }
    'Register-BpfProgram.md: Example 3' = @{
        Net      = $true
        Replace  = @{ 'Start-Sleep -Seconds 10' = 'Start-Sleep -Seconds 2' } # ten seconds, shortened to 2
        Setup    = { param($ctx) Build-BpfObject "$PSScriptRoot/fixtures/tc-drop-protocol.bpf.c" "$($ctx.Dir)/noping.bpf.o" }
        # another host pings eth0's side while the example waits (its replies are what the program drops), until
        # the check says quiet and waits out the last ping (-W 1) to count three of its own exactly
        Activity = { param($ctx) if (-not [System.IO.File]::Exists("$($ctx.Dir)/quiet")) { $null = Send-Ping $Sender 203.0.113.7 203.0.113.1 1 } }
        Check    = '$null = New-Item quiet; Start-Sleep -Seconds 1.5; ' +
            '$dropped = { (Read-BpfMap -Path /sys/fs/bpf/ebpfps/registered/noping/maps/packets -Key 0).Value }; $before = & $dropped; ' +
            '[pscustomobject]@{ Echo = Send-Ping $Sender 203.0.113.7 203.0.113.1; Dropped = (& $dropped) - $before; ' +
            'Tcp = Test-TcpConnection $Sender $Receiver 203.0.113.7 203.0.113.1 8080 }'
        Assert   = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Text | Should -Match '(?m)^\s*0\s+[1-9]\d*\s*$' -Because 'the replies to the pings while it waited were dropped and counted'
            $r.Check[0].Echo | Should -Be 0
            $r.Check[0].Dropped | Should -Be 3 -Because 'each of the three echo replies is dropped once'
            $r.Check[0].Tcp | Should -BeTrue -Because 'the replies of TCP still leave eth0'
        }
    }
    'Unregister-BpfProgram.md: Example 1' = @{
        Skip    = $NoAppCgroup
        Setup   = $RegisterDeny
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; '/sys/fs/bpf/ebpfps/registered/deny' | Should -Not -Exist; Get-BpfProgram -Name refuse_port -ErrorAction SilentlyContinue | Should -BeNullOrEmpty }
        Cleanup = $RemoveDenyAndApp
    }
    'Unregister-BpfProgram.md: Example 2' = @{
        Skip    = $NoAppCgroup
        Setup   = $RegisterDeny
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Output.Name | Should -Be 'deny'; '/sys/fs/bpf/ebpfps/registered/deny' | Should -Not -Exist }
        Cleanup = $RemoveDenyAndApp
    }
    'Get-BpfRegistration.md: Example 1' = @{
        Skip    = $NoAppCgroup
        Setup   = $RegisterDeny
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Text | Should -Match 'Name\s+: deny\s+Attachments : \{refuse_port -> cgroup_inet4_connect .*/app\}\s+Maps\s+: \{deny_rodata, refused\}' }
        Cleanup = $RemoveDenyAndApp
    }
    'Start-BpfTrace.md: Example 23' = @{
        Skip     = $NoAppCgroup
        Replace  = @{ 'Start-Sleep -Seconds 10' = 'Start-Sleep -Seconds 2' } # ten seconds, shortened to 2
        Setup    = { param($ctx)
            & $MakeApp $ctx
            Build-BpfObject "$PSScriptRoot/fixtures/cgroup-skb-port.bpf.c" "$($ctx.Dir)/egress.bpf.o"
            $ctx.Sent = 0
        }
        # a child of the cgroup sends one datagram to port 53 of this host (nothing listens: only the count matters)
        Activity = { param($ctx)
            if ($ctx.Sent -ge 3 -or -not (& $AppAttached)) { return }
            & $RunInApp "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'q', ('127.0.0.1', 53))"
            $ctx.Sent++
        }
        Assert   = { param($r, $ctx) $r.Errors | Should -BeNullOrEmpty; ($r.Output | Where-Object Key -eq 0).Value | Should -Be $ctx.Sent; $ctx.Sent | Should -BeGreaterThan 0 }
        Cleanup  = $RemoveDenyAndApp
    }
    'Start-BpfTrace.md: Example 24' = @{
        Skip     = $NoAppCgroup
        Replace  = @{ 'Start-Sleep -Seconds 10' = 'Start-Sleep -Seconds 2' } # ten seconds, shortened to 2
        Setup    = { param($ctx)
            & $MakeApp $ctx; & $Listen $ctx
            Build-BpfObject "$PSScriptRoot/fixtures/sockmap-count.bpf.c" "$($ctx.Dir)/sockmap.bpf.o"
        }
        # once attached: a child of the cgroup connects to the test's listener and sends 'hello' three times, once
        Activity = { param($ctx)
            if ($ctx.Sent -or -not (& $AppAttached)) { return }
            & $RunInApp "s = socket.create_connection(('127.0.0.1', $($ctx.Port)))`nfor _ in range(3): s.send(b'hello')"
            $ctx.Sent = 3
        }
        Assert   = { param($r, $ctx)
            $r.Errors | Should -BeNullOrEmpty
            $ctx.Sent | Should -Be 3
            ($r.Output | Where-Object Key -eq 0).Value | Should -Be 15 -Because 'three messages of 5 bytes'
            ($r.Output | Where-Object Key -eq 1).Value | Should -Be 3
            ($r.Output | Where-Object Key -eq 2).Value | Should -Be 0
        }
        Cleanup  = { param($ctx) & $StopListening $ctx; & $RemoveDenyAndApp $ctx }
    }
    'Start-BpfTrace.md: Example 25' = @{
        Replace  = @{ 'Start-Sleep -Seconds 10' = 'Start-Sleep -Seconds 2' } # ten seconds, shortened to 2
        Setup    = { param($ctx)
            Copy-Item "$PSScriptRoot/fixtures/perf-sample-count.bpf.c" "$($ctx.Dir)/samples.bpf.c"
            $null = New-Item -ItemType SymbolicLink "$($ctx.Dir)/bpf" -Target "$Repo/bpf"
        }
        # once the clocks are attached: a python3 busy for 3 s, which a 2-CPU machine cannot keep out of the first five
        # (fewer than 396 samples in all, it has about 200)
        Activity = { param($ctx)
            if ($ctx.Busy -or -not (Get-BpfLink -Type perf_event | Where-Object ProgramId -in (Get-BpfProgram | Where-Object Name -eq count_samples).Id)) { return }
            $ctx.Busy = Start-Program $Python '-c', "import time`nend = time.monotonic() + 3`nwhile time.monotonic() < end: pass"
        }
        Assert   = { param($r, $ctx)
            $r.Errors | Should -BeNullOrEmpty
            $r.Output.Count | Should -BeIn (1..5) -Because 'at most five; a quiet machine may run fewer processes in 2 s'
            $r.Output.Value | Should -Be ($r.Output.Value | Sort-Object -Descending)
            ($r.Output | Where-Object Key -eq $ctx.Busy.Id).Value | Should -BeGreaterThan 0 -Because 'the busy child was on a CPU for most of the 2 s'
        }
    }
    'Start-BpfTrace.md: Example 26' = @{
        Skip    = { if (-not $Process4242) { & $No4242 } elseif ([System.IO.File]::Exists('/sys/fs/bpf/ebpfps_shared_calls')) { '/sys/fs/bpf/ebpfps_shared_calls existed before the test: it is not the test''s' } }
        Replace = @{ '-Duration 5s' = '-Duration 1s' } # five seconds, shortened to 1
        Setup   = { param($ctx) Build-BpfObject "$PSScriptRoot/fixtures/shared-counter.bpf.c" "$($ctx.Dir)/shared.bpf.o" }
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Output.Count | Should -Be 2
            $r.Output[0].Value | Should -BeGreaterThan 0 -Because 'process 4242 calls getppid all the time'
            $r.Output[1].Value | Should -BeGreaterThan $r.Output[0].Value -Because 'the second trace counted on from the first''s count'
            '/sys/fs/bpf/ebpfps_shared_calls' | Should -Not -Exist
        }
        Cleanup = { Remove-Item /sys/fs/bpf/ebpfps_shared_calls -ErrorAction SilentlyContinue }
    }
    'Start-BpfTrace.md: Example 27' = @{
        Skip    = $No4242
        Setup   = { param($ctx) Build-BpfObject "$PSScriptRoot/fixtures/tail-call-chain.bpf.c" "$($ctx.Dir)/chain.bpf.o" }
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Output.step | Should -Be 1, 2, 3, 1, 2, 3
            $r.Output.call | Should -Be 1, 1, 1, 2, 2, 2
            $r.Output.pid | Sort-Object -Unique | Should -Be 4242
        }
    }

    # Remove-BpfXdpFilter
    'Remove-BpfXdpFilter.md: Example 1' = $RemoveFilter
    'Remove-BpfXdpFilter.md: Example 2' = @{
        Net     = $true
        Prelude = $TwoRules + '; Add-BpfXdpFilter -Interface eth0 -Protocol Tcp -DestinationPort 22 -Action Drop'
        Check   = '(Get-BpfXdpFilter -Interface eth0).Rules | ForEach-Object ToString'
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $r.Text | Should -Match '\b3 Drop\s+Tcp .*:22'
            $r.Check | Should -Be '2: Drop Udp to any port 5353', '1: Drop Icmp'
        }
    }
    'Remove-BpfXdpFilter.md: Example 3' = @{
        Net     = $true
        Prelude = $TwoRules
        Check   = '(Get-BpfXdpFilter -Interface eth0).Rules | ForEach-Object ToString'
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Check | Should -Be '1: Drop Icmp' }
    }
    'Remove-BpfXdpFilter.md: Example 4' = @{
        Net     = $true
        Prelude = 'Add-BpfXdpFilter -Interface eth0 -Protocol Icmp -Action Drop; Add-BpfXdpFilter -Interface wlan0 -Protocol Udp -Action Drop'
        Check   = '[pscustomobject]@{ Filters = @(Get-BpfXdpFilter).Count; Xdp = ((ip -d link 2>$null) -join " ") -match "prog/xdp" }'
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Check[0].Filters | Should -Be 0; $r.Check[0].Xdp | Should -BeFalse }
    }

    # Measure-BpfTrace: a python process of the test makes the calls each example counts. Attaching to every
    # syscall ('*') takes about two seconds, so those examples start their python once it is surely attached.
    'Measure-BpfTrace.md: Example 1' = $MeasureTop
    'Measure-BpfTrace.md: Example 2' = @{
        Replace  = @{ '-Duration 10' = '-Duration 3' } # ten seconds, shortened to 3
        Activity = { param($ctx) $null = Start-Program $Python '-c', "f = open('/dev/zero', 'rb', buffering=0)`nfor _ in range(100): f.read(5000)", '' }
        Assert   = { param($r)
            ($r.Output.Histogram | Where-Object LowerBound -EQ 4KB).Count | Should -BeGreaterOrEqual 100 -Because 'each read of 5000 bytes returns 5000'
            $r.Text | Should -Match '\[4K, 8K\)\s+\d+ \|@+'
        }
    }
    'Measure-BpfTrace.md: Example 3' = $MeasureFsync
    'Measure-BpfTrace.md: Example 4' = @{
        Replace  = @{ '-Duration 10' = '-Duration 3' } # ten seconds, shortened to 3
        Setup    = $Missing
        Activity = $OpenMissing
        Assert   = { param($r)
            ($r.Output | Where-Object { $_.Command -eq 'python3' -and $_.ErrorName -eq 'ENOENT' }).Count | Should -BeGreaterOrEqual 20
            @($r.Output | Where-Object ErrorName -EQ '') | Should -BeNullOrEmpty
        }
    }
    'Measure-BpfTrace.md: Example 5' = @{
        Replace  = @{ '-Count 5' = '-Count 2' } # five intervals, shortened to 2
        Activity = { param($ctx) $null = Start-Program $Python '-c', "import os`nfd = os.open('/dev/null', os.O_WRONLY)`nfor _ in range(10): os.write(fd, b'x' * 1000)", '' }
        Assert   = { param($r)
            $r.Text | Should -Match 'Timestamp\s+ProcessId\s+Command\s+Count\s+Sum'
            $r.Text | Should -Match '\d+ python3\s+10\s+10000'
        }
    }
    'Measure-BpfTrace.md: Example 6' = @{
        Replace  = @{ '-Duration 5' = '-Duration 3' } # five seconds, shortened to 3
        Activity = { param($ctx) $null = Start-Program $Python '-c', "import time`ntime.sleep(0.025)", '' }
        Assert   = { param($r)
            ($r.Output.Histogram | Where-Object LowerBound -EQ 20000000).Count | Should -BeGreaterOrEqual 5 -Because 'a 25 ms sleep lands in [20 ms, 30 ms)'
            $r.Text | Should -Match '\[20000000, 30000000\)\s+\d+ \|@+'
        }
    }
    'Measure-BpfTrace.md: Example 8' = @{
        Replace  = @{ '-Duration 10' = '-Duration 3' } # ten seconds, shortened to 3
        Setup    = $ExecPids
        Activity = $Exec
        Assert   = { param($r) ($r.Output | Where-Object Command -EQ 'ebpfps-true').Count | Should -BeGreaterOrEqual 5 }
    }
    'Measure-BpfTrace.md: Example 9' = @{
        Replace  = @{ '-Duration 10' = '-Duration 3' } # ten seconds, shortened to 3
        Setup    = $IgnoringSleeper
        Activity = $SignalSleeper
        Assert   = { param($r, $ctx)
            # SIGUSR1 (10), sent by kill every 200 ms: those sent while it measured (under load, attaching takes a while)
            $counted = ($r.Output | Where-Object sig -EQ 10 | Measure-Object Count -Sum).Sum
            $counted | Should -BeGreaterOrEqual 1
            $counted | Should -BeLessOrEqual $ctx.Sent
            ($r.Output | Where-Object sig -EQ 10).Command | Sort-Object -Unique | Should -Be kill
        }
    }
    'Measure-BpfTrace.md: Example 10' = @{
        Replace  = @{ '-Duration 10' = '-Duration 3' } # ten seconds, shortened to 3
        Setup    = $ExecPids
        Activity = $Exec
        Assert   = { param($r)
            ($r.Output | Where-Object { $_.ParentCommand -eq 'ebpfps-sh' -and $_.ErrorName -eq '' }).Count | Should -BeGreaterOrEqual 10
            ($r.Output | Where-Object { $_.ParentCommand -eq 'ebpfps-sh' -and $_.ErrorName -eq 'ENOENT' }).Count | Should -BeGreaterOrEqual 1 -Because 'each shell runs a missing ./missing-MARKER'
        }
    }
    'Measure-BpfTrace.md: Example 11' = @{
        Skip     = { $NoFunctionTracing }
        Replace  = @{ '-Duration 10' = '-Duration 3' } # ten seconds, shortened to 3
        Activity = { param($ctx) $null = Start-Program $Python '-c', "import os`nf = open('$($ctx.Dir)/data', 'wb')`nfor _ in range(3):`n  f.write(b'x'); f.flush(); os.fsync(f.fileno())", '' }
        Assert   = { param($r)
            $python = $r.Output | Where-Object Command -EQ python3
            $python.Count | Should -BeGreaterOrEqual 3
            $r.Text | Should -Match '@\[python3\]: \d+ events\r?\nDuration \(ns\): average'
        }
    }
    'Measure-BpfTrace.md: Example 12' = @{
        Replace  = @{ '-Duration 10' = '-Duration 3' } # ten seconds, shortened to 3
        Setup    = $Missing
        Activity = $OpenMissing
        Assert   = { param($r, $ctx)
            $missing = $r.Output | Where-Object filename -EQ $ctx.Path.Substring(0, [Math]::Min(63, $ctx.Path.Length)) # a text key's 63 characters
            $missing.Count | Should -BeGreaterOrEqual 20
            $missing.ErrorName | Should -Be ENOENT
            @($r.Output).Count | Should -BeLessOrEqual 10
        }
    }
    'Measure-BpfTrace.md: Example 13' = @{
        Replace  = @{ '-Duration 30' = '-Duration 3' } # thirty seconds, shortened to 3
        Activity = { param($ctx) $null = Start-Program $Python '-c', "import socket`nfor _ in range(3): socket.getaddrinfo('localhost', 80)", '' }
        Assert   = { param($r)
            $python = $r.Output | Where-Object Command -EQ python3
            $python.Count | Should -BeGreaterOrEqual 3
            $python.Minimum | Should -BeGreaterThan 0
            $r.Text | Should -Match '@\[python3\]: \d+ events'
        }
    }
    'Measure-BpfTrace.md: Example 14' = @{
        Replace  = @{ '-Duration 30' = '-Duration 3' } # thirty seconds, shortened to 3
        Setup    = $Lookups
        Activity = { param($ctx) & $LookUp $ctx 4 }
        Assert   = { param($r, $ctx)
            $r.Errors | Should -BeNullOrEmpty
            $ours = @($r.Output | Where-Object node -In $ctx.Addresses)
            $ours.Command | Sort-Object -Unique | Should -Be python3
            $ours | ForEach-Object { $_.Count | Should -BeLessOrEqual 4 -Because 'each child looked its own address up four times' }
            ($ours | Where-Object Count -EQ 4) | Should -Not -BeNullOrEmpty
        }
    }
    'Measure-BpfTrace.md: Example 15' = @{
        Replace  = @{ '-Duration 10' = '-Duration 3' } # ten seconds, shortened to 3
        Setup    = { param($ctx) $ctx.Tick = 0 }
        # once attached: a python3 that writes 50 lines from one place, and lives on while its stacks are named
        Activity = { param($ctx) if (++$ctx.Tick -eq 5) { $null = Start-Program $Python '-c', "import os, time`nfor _ in range(50): os.write(1, b'.')`ntime.sleep(5)", '' } }
        Assert   = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $rows = [regex]::Matches($r.Text, '(?m)^Count\s+: (\d+)\r?\nUserStack : (.*?)\s*$')
            $rows.Count | Should -BeGreaterThan 0
            $rows.Count | Should -BeLessOrEqual 3
            @($rows | Where-Object { [int]$_.Groups[1].Value -ge 50 -and $_.Groups[2].Value -match 'write\w*$' }) | Should -Not -BeNullOrEmpty -Because 'the 50 writes share one stack, whose innermost frame is the C library''s write'
        }
    }
    'Measure-BpfTrace.md: Example 7' = @{
        Replace  = @{ '-Duration 10' = '-Duration 4' } # ten seconds, shortened to 4
        Activity = { param($ctx) $null = Start-Program $Python '-c', "import os`nfor _ in range(100): os.getppid()", '' }
        Assert   = { param($r, $ctx)
            $getppid = Import-Csv "$($ctx.Dir)/syscalls.csv" | Where-Object Syscall -EQ getppid
            [int] $getppid.Count | Should -BeGreaterOrEqual 100
            $getppid.Value | Should -Be 'Duration (ns)'
            [double] $getppid.Average | Should -BeGreaterThan 0
        }
    }

    # Start-BpfTrace
    'Start-BpfTrace.md: Example 1' = $TcpEstablished
    'Start-BpfTrace.md: Example 2' = @{
        Replace  = @{ '00:05:00' = '00:00:03' } # five minutes, shortened to 3 seconds
        Setup    = $ExecPids
        Activity = { param($ctx) $ctx.Shells.Add((Connect-Tcp 5432).Id) }
        Assert   = { param($r, $ctx) @($r.Output | Where-Object { $_.Name -match '^(\d+), python3$' -and [int] $Matches[1] -in $ctx.Shells }).Count | Should -BeGreaterThan 0 }
    }
    'Start-BpfTrace.md: Example 3' = $Write4242
    'Start-BpfTrace.md: Example 4' = @{
        Replace  = @{ '00:00:30' = '00:00:03' } # 30 seconds, shortened to 3
        Setup    = $Missing
        Activity = $OpenMissing
        Assert   = { param($r, $ctx) $r.Output.Name | Should -Contain $ctx.Path }
    }
    'Start-BpfTrace.md: Example 5' = @{
        Replace  = @{ '00:01:00' = '00:00:04' } # a minute, shortened to 4 seconds
        Setup    = { param($ctx) $ctx.Tick = 0 }
        Activity = { param($ctx) # once, when the trace is surely attached: 64 MB written, then fsync
            if (++$ctx.Tick -eq 8) { $ctx.Writer = Start-Program $Python '-c', "import os`nf = open('$($ctx.Dir)/data', 'wb')`nf.write(os.urandom(64 << 20))`nf.flush()`nos.fsync(f.fileno())", '' }
        }
        Assert   = { param($r, $ctx) ($r.Output | Where-Object ProcessId -EQ $ctx.Writer.Id).Syscall | Should -Be 'fsync' }
    }
    'Start-BpfTrace.md: Example 6' = @{
        Replace  = @{ '00:01:00' = '00:00:03' } # a minute, shortened to 3 seconds
        Setup    = $ExecPids
        Activity = { param($ctx) $ctx.Shells.Add((Invoke-Exec $ctx.Marker 60).Id) } # one busy parent, among the top five of a busy machine
        Assert   = { param($r) @($r.Output | Where-Object { $_.Name -like 'ebpfps-sh, *' -and $_.Commands -contains 'ebpfps-true' }).Count | Should -BeGreaterThan 0 }
    }
    'Start-BpfTrace.md: Example 7' = @{
        CtrlC    = $true
        Setup    = $ExecPids
        Activity = $Exec
        Assert   = { param($r, $ctx) $r.Text | Should -Match 'ENOENT\s+\./missing-ebpf' } # the rest is cut at 80 columns
    }
    'Start-BpfTrace.md: Example 8' = @{
        Skip     = { $NoFunctionTracing }
        Replace  = @{ '00:00:30' = '00:00:03' } # 30 seconds, shortened to 3
        Activity = $UnlinkFile
        Assert   = { param($r) @($r.Output | Where-Object Command -EQ 'python3').Count | Should -BeGreaterThan 0 }
    }
    'Start-BpfTrace.md: Example 9' = @{
        Skip     = { if (-not $HasFentry) { 'no tracing program type for fentry on this kernel' } }
        Activity = { $null = Connect-Tcp 9 }
        Assert   = { param($r) @($r.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'EbpfPS.BpfKernelFunctionEvent' }).Count | Should -Be 10 }
    }
    'Start-BpfTrace.md: Example 10' = @{
        Replace  = @{ '00:00:10' = '00:00:03' } # ten seconds, shortened to 3
        Setup    = { param($ctx) & $ExecPids $ctx; & $IgnoringSleeper $ctx }
        Activity = { param($ctx) & $Exec $ctx; & $SignalSleeper $ctx }
        Assert   = { param($r)
            $r.Text | Should -Match 'sched:sched_process_exec .*ebpfps-true'
            @($r.Output | Where-Object Tracepoint -Like 'signal:*').Count | Should -Be 5
        }
    }
    'Start-BpfTrace.md: Example 11' = @{
        Replace  = @{ '00:10:00' = '00:00:03' } # ten minutes, shortened to 3 seconds
        Setup    = $Missing
        Activity = $OpenMissing
        Assert   = { param($r, $ctx) @(Import-Csv "$($ctx.Dir)/opens.csv" | Where-Object { $_.ArgumentText -like "*$($ctx.Path)*" -and $_.ErrorName -eq 'ENOENT' }).Count | Should -BeGreaterThan 0 }
    }
    'Start-BpfTrace.md: Example 12' = @{
        Replace  = @{ '00:00:30' = '00:00:03' } # 30 seconds, shortened to 3
        Activity = { param($ctx) $null = Start-Program $Python '-c', "open('$($ctx.Dir)/written.txt', 'w').close()" }
        Assert   = { param($r, $ctx)
            $rows = @(Get-Content -Raw "$($ctx.Dir)/opens.json" | ConvertFrom-Json)
            $mine = @($rows | Where-Object ArgumentText -Like "*$($ctx.Dir)/written.txt*")
            $mine.Count | Should -BeGreaterThan 0
            $mine[0].ArgumentText | Should -BeLike '*flags=O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC*'
            $mine[0].DurationMicroseconds | Should -BeGreaterThan 0
        }
    }
    'Start-BpfTrace.md: Example 15' = @{
        Replace  = @{ '00:00:30' = '00:00:03' } # 30 seconds, shortened to 3
        Skip     = { $mount = Get-Cgroup2Mount; if (-not $mount) { 'no cgroup v2 mount' } elseif (Test-Path "$mount/system.slice/ssh.service") { 'a real ssh.service cgroup exists: the test does not put its processes there' } }
        Setup    = { param($ctx)
            # the cgroup systemd would make, and a process in it that opens /etc/hostname
            $ctx.Cgroup = Join-Path (Get-Cgroup2Mount) 'system.slice/ssh.service'
            $null = New-Item -ItemType Directory $ctx.Cgroup -Force
            $ctx.Inside = Start-Program '/bin/bash' '-c', 'sleep 0.3; while :; do cat /etc/hostname > /dev/null; sleep 0.2; done'
            [System.IO.File]::WriteAllText("$($ctx.Cgroup)/cgroup.procs", "$($ctx.Inside.Id)")
        }
        Activity = { $null = Start-Program '/bin/cat' '/etc/hostname' } # outside the cgroup: not to be seen
        Assert   = { param($r, $ctx)
            $r.Errors | Should -BeNullOrEmpty
            @($r.Output | Where-Object File -EQ '/etc/hostname').Count | Should -BeGreaterThan 0
            $r.Output.ProcessId | ForEach-Object { (Get-Content "/proc/$_/cgroup" -ErrorAction Ignore) -join '' } |
                Where-Object { $_ } | ForEach-Object { $_ | Should -BeLike '*system.slice/ssh.service*' }
        }
        Cleanup  = { param($ctx)
            if ($ctx.Inside -and -not $ctx.Inside.HasExited) { $ctx.Inside.Kill($true); $ctx.Inside.WaitForExit() }
            Start-Sleep -Milliseconds 200
            foreach ($dir in $ctx.Cgroup, (Split-Path $ctx.Cgroup)) { if ($dir -and (Test-Path $dir)) { [System.IO.Directory]::Delete($dir) } }
        }
    }
    'Start-BpfTrace.md: Example 16' = @{
        Replace  = @{ '00:01:00' = '00:00:03' } # a minute, shortened to 3 seconds (both)
        Activity = { param($ctx)
            $null = Start-Program '/usr/bin/setpriv' '--reuid', '1000', '--regid', '1000', '--clear-groups', "$Bin/ebpfps-true", "$($ctx.Marker)-uid"
            $null = Start-Program '/usr/bin/curl' '-s', '-m', '1', 'http://127.0.0.1:9/'
            $null = Start-Program "$Bin/ebpfps-true" "$($ctx.Marker)-child" # a child of this session ($PID)
        }
        Assert   = { param($r, $ctx)
            @($r.Output | Where-Object { $_.CommandLine -like "*ebpfps-true $($ctx.Marker)-uid*" }).Count | Should -BeGreaterThan 0
            $connects = @($r.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'EbpfPS.BpfSyscallEvent' })
            $connects.Count | Should -Be 10
            $connects.Command | Sort-Object -Unique | Should -Be 'curl'
            @($r.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'EbpfPS.BpfExecEvent' -and $_.CommandLine -like "*$($ctx.Marker)-child*" -and $_.ParentProcessId -eq $PID }).Count | Should -BeGreaterThan 0
        }
    }
    'Start-BpfTrace.md: Example 17' = @{
        Skip   = $No4242
        Assert = { param($r)
            # Format-Table's output: 20 rows, each a write of the one zero byte process 4242 writes
            @($r.Text -split "`n" | Where-Object { $_ -match '^write\s+1 fd=1, buf="\\x00", count=1\s*$' }).Count | Should -Be 20
        }
    }
    'Start-BpfTrace.md: Example 18' = @{
        Skip    = $No4242
        Replace = @{ '-Duration 10s' = '-Duration 2s' } # ten seconds, shortened to 2
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; $r.Output.Name | Should -Contain 'sched:sched_switch' }
    }
    'Start-BpfTrace.md: Example 19' = @{
        Skip     = $No4242
        Replace  = @{ '90s' = '2s'; '1h30m' = '2s'; '-Duration 5' = '-Duration 2' } # shortened to 2 seconds each
        Setup    = $ExecPids
        Activity = { param($ctx) & $Exec $ctx; $null = Open-MissingFile "$($ctx.Dir)/$($ctx.Marker)" 2 }
        Assert   = { param($r, $ctx)
            $r.Errors | Should -BeNullOrEmpty
            @($r.Output | Where-Object { $_.PSObject.Properties['Name'] -and $_.Name -eq 'python3' }).Count | Should -BeGreaterThan 0
            @(Import-Csv "$($ctx.Dir)/execs.csv" | Where-Object CommandLine -Like "*ebpfps-true $($ctx.Marker)*").Count | Should -BeGreaterThan 0
            @($r.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'EbpfPS.BpfSyscallEvent' -and $_.ProcessId -eq 4242 }).Count | Should -BeGreaterThan 0
        }
    }
    'Start-BpfTrace.md: Example 13' = @{
        Setup  = { param($ctx)
            "#!/bin/sh`nPATH='$Bin':`$PATH ebpfps-true $($ctx.Marker)" | Set-Content "$($ctx.Dir)/deploy.sh"
            & chmod +x "$($ctx.Dir)/deploy.sh"
        }
        Assert = { param($r, $ctx) $r.Errors | Should -BeNullOrEmpty; $r.Text | Should -Match "\s\d+\s+ebpfps-tr" } # ISO timestamps leave CommandLine ~10 columns at 80
    }
    'Start-BpfTrace.md: Example 14' = @{
        Skip    = $No4242
        Replace = @{ 'Start-Sleep -Seconds 10' = 'Start-Sleep -Seconds 2' } # ten seconds, shortened to 2
        Setup   = { param($ctx)
            Copy-Item "$PSScriptRoot/fixtures/getppid-counter.bpf.c" "$($ctx.Dir)/counter.bpf.c"
            $null = New-Item -ItemType SymbolicLink "$($ctx.Dir)/bpf" -Target "$Repo/bpf"
        }
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            ($r.Output | Where-Object { $_.PSObject.TypeNames[0] -eq 'EbpfPS.BpfMapEntry' -and $_.Key -eq 4242 }).Value | Should -BeGreaterThan 0
            $events = @($r.Output | Where-Object { $_.PSObject.Properties['pid'] }) # the records of struct event
            $events.Count | Should -Be 5
            $events.pid | Sort-Object -Unique | Should -Be 4242
        }
    }

    # Write-BpfMap
    'Write-BpfMap.md: Example 1' = @{
        Variables = @{ job = { $MyJob } }
        Setup     = { Remove-BpfMapEntry -Id (Get-JobMap target_pids).Id -Key 4242 -ErrorAction SilentlyContinue }
        Assert    = { param($r) $r.Errors | Should -BeNullOrEmpty; (Read-BpfMap -Trace $MyJob -Name target_pids -Key 4242).Value | Should -Be 1 }
    }
    'Write-BpfMap.md: Example 2' = @{
        Setup  = { Remove-BpfMapEntry -Id (Get-JobMap flows).Id -All -Confirm:$false }
        Assert = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            $entry = Read-BpfMap -Id (Get-JobMap flows).Id -Key @{ saddr = 16777226; dport = 443; proto = 6 }
            "$($entry.Value.comm) $($entry.Value.color) $($entry.Value.packets)" | Should -Be 'nginx FX_GREEN 0'
        }
    }
    'Write-BpfMap.md: Example 3' = @{
        Skip    = $NotOurBlocklist
        Setup   = { Remove-BpfMapEntry -Path /sys/fs/bpf/blocklist -All -Confirm:$false }
        Assert  = { param($r) $r.Errors | Should -BeNullOrEmpty; (Read-BpfMap -Path /sys/fs/bpf/blocklist -Key 203.0.113.0/24).Value | Should -Be 1 }
        Cleanup = { Remove-BpfMapEntry -Path /sys/fs/bpf/blocklist -All -Confirm:$false }
    }
    'Write-BpfMap.md: Example 4' = @{
        Child  = $true
        Setup  = { Write-BpfMap -Id (Get-JobMap counts_old).Id -Key 1 -Value 10; Write-BpfMap -Id (Get-JobMap counts_old).Id -Key 2 -Value 20 }
        Assert = { param($r)
            ([regex]::Matches($r.Text, 'What if: ')).Count | Should -Be 2
            @(Read-BpfMap -Id (Get-JobMap counts_new).Id) | Should -BeNullOrEmpty
        }
    }
    'Write-BpfMap.md: Example 5' = @{
        Replace = @{ '-Id 42' = { "-Id $((Get-JobMap ports).Id)" } } # map ids are the kernel's to give: the test's ports map
        Setup   = { param($ctx) 'Key,Value', '443,1', '8443,2' | Set-Content "$($ctx.Dir)/ports.csv" }
        Assert  = { param($r)
            $r.Errors | Should -BeNullOrEmpty
            (Read-BpfMap -Id (Get-JobMap ports).Id | Sort-Object { $_.Key } | ForEach-Object { "$($_.Key)=$($_.Value)" }) | Should -Be '443=1', '8443=2'
        }
    }
}

# Get-BpfCpuProfile and Export-BpfFlameGraph: a child of the test spins in ebpfps_hot (fixtures/profile-target.c),
# so the profile has a stack the test knows on top.
$ProfileSpin = {
    param($ctx)
    if (-not [System.IO.File]::Exists("$Work/profile-target")) {
        Build-FixtureProgram profile-target "$Work/profile-target"
    }
    $ctx.Spin = Start-Program "$Work/profile-target" 'spin'
}
$StopSpin = { param($ctx) if ($ctx.Spin -and -not $ctx.Spin.HasExited) { $ctx.Spin.Kill(); $ctx.Spin.WaitForExit() } }
# The hot function's samples, by the frames: every stack with ebpfps_hot in it
function Get-HotCount($Samples, [int] $ProcessId) {
    ($Samples | Where-Object { $_.ProcessId -eq $ProcessId -and $_.Stack -match '(^|;)ebpfps_hot(;|$)' } | Measure-Object Count -Sum).Sum
}
# An SVG flame graph the example wrote, with the spinning child's hot function in it
$FlameGraphSvg = {
    param([string] $Path, $ctx)
    [xml] $svg = Get-Content -Raw $Path
    $svg.svg.g | Where-Object { $_.'data-name' -eq 'ebpfps_hot' } | Should -Not -BeNullOrEmpty
    $svg.svg.g | Where-Object { $_.'data-name' -eq 'profile-target' } | Should -Not -BeNullOrEmpty
}
# The busiest stacks of the machine, the spinning child's among them
$CpuTop = @{
    Replace = @{ '-Duration 10 ' = '-Duration 3 ' } # ten seconds, shortened to 3
    Setup   = $ProfileSpin
    Assert  = { param($r, $ctx)
        $r.Output.Count | Should -BeLessOrEqual 10
        $r.Output | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfCpuProfileSample' }
        @($r.Output.Count) | Should -Be @($r.Output.Count | Sort-Object -Descending)
        # the child that spins is among the busiest, its hot function on top
        @($r.Output | Where-Object ProcessId -EQ $ctx.Spin.Id) | Should -Not -BeNullOrEmpty
        $r.Text | Should -Match "\d+\s+[\d.]+ %\s+$($ctx.Spin.Id) profile-target\s+ebpfps_\w+ < main"
    }
    Cleanup = $StopSpin
}
# A profile of the machine written to cpu.svg
$CpuSvg = @{
    Replace = @{ '00:00:10' = '00:00:03' } # ten seconds, shortened to 3
    Setup   = $ProfileSpin
    Assert  = { param($r, $ctx) $r.Output | Should -BeNullOrEmpty; & $FlameGraphSvg "$($ctx.Dir)/cpu.svg" $ctx }
    Cleanup = $StopSpin
}
$CpuSvgShort = $CpuSvg.Clone()
$CpuSvgShort.Replace = @{ '-Duration 10 ' = '-Duration 3 ' } # ten seconds, shortened to 3
$Expectations += @{
    'Get-BpfCpuProfile.md: Example 1' = $CpuTop
    'Get-BpfCpuProfile.md: Example 2' = @{
        Replace = @{ '-ProcessId 4242' = { param($ctx) "-ProcessId $($ctx.Spin.Id)" }; '-Duration 5' = '-Duration 2' } # the spinning child; five seconds, shortened to 2
        Setup   = $ProfileSpin
        Assert  = { param($r, $ctx)
            $r.Output[0].PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfStackFrame'
            $user = @($r.Output | Where-Object Kind -EQ User)
            $user[0].Symbol | Should -Be 'ebpfps_hot'
            $user[1].Symbol | Should -Be 'main'
            $r.Text | Should -Match 'User\s+0x[0-9a-f]+ ebpfps_hot\+0x[0-9a-f]+\s+/tmp/'
        }
        Cleanup = $StopSpin
    }
    'Get-BpfCpuProfile.md: Example 3' = $CpuSvg
    'Export-BpfFlameGraph.md: Example 1' = $CpuSvgShort
    'README.md: Get-BpfCpuProfile -Duration 10 | Select-Object -First 10                       # where the CPUs spend their time' = $CpuTop
    'README.md: Get-BpfCpuProfile -Duration 00:00:10 -Frequency 99 | Export-BpfFlameGraph -Path cpu.svg' = $CpuSvg
    'Export-BpfFlameGraph.md: Example 2' = @{
        Replace = @{ '-Duration 10' = '-Duration 3' } # ten seconds, shortened to 3
        Setup   = $ProfileSpin
        Assert  = { param($r, $ctx)
            $samples = $r.Variable('samples')
            $hot = Get-HotCount $samples $ctx.Spin.Id
            $hot | Should -BeGreaterThan 0
            & $FlameGraphSvg "$($ctx.Dir)/cpu.svg" $ctx
            ([xml](Get-Content -Raw "$($ctx.Dir)/cpu.svg")).svg.text | Where-Object id -EQ 'title' | ForEach-Object '#text' | Should -Be 'ten seconds at 999 Hz'
            # the folded lines of the child's hot function add up to its samples
            $folded = @(Get-Content "$($ctx.Dir)/cpu.folded" | Where-Object { $_ -match '^profile-target;.*(^|;)ebpfps_hot(;| )' })
            ($folded | ForEach-Object { [long]($_ -split ' ')[-1] } | Measure-Object -Sum).Sum | Should -Be (
                ($samples | Where-Object { $_.Command -eq 'profile-target' -and $_.Stack -match '(^|;)ebpfps_hot(;|$)' } | Measure-Object Count -Sum).Sum)
            (Get-Content -Raw "$($ctx.Dir)/cpu.json" | ConvertFrom-Json).profiles[0].type | Should -Be 'sampled'
            $r.Output.Name | Should -Be 'cpu.json'
            $r.Text | Should -Match 'cpu\.json'
        }
        Cleanup = $StopSpin
    }
}
