#Requires -Version 7.4
# A fleet through PowerShell's own remoting over SSH: Debian's sshd, started by the test on the loopback
# only (127.0.0.1 and 127.0.0.2 as two hosts, a port and keys of its own, pwsh as the SSH subsystem),
# traced on both hosts at once. Each test causes the events and asserts on them as they come back:
# PSComputerName, deserialized values that kept their types, and the module's views for them.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:CanRun = (Test-BpfPrivilege) -and (Test-Path /usr/sbin/sshd)
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    . "$PSScriptRoot/Support/Pwsh.ps1"
    Import-Module $ModuleManifest -Force
    $Hosts = '127.0.0.1', '127.0.0.2'
    $Children = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()

    function Start-Program([string] $FileName, [string[]] $Arguments) {
        $info = [System.Diagnostics.ProcessStartInfo]::new($FileName)
        foreach ($argument in $Arguments) { $info.ArgumentList.Add($argument) }
        [System.Diagnostics.Process]::Start($info)
    }

    $Fleet = New-Item -ItemType Directory ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "ebpfps-fleet-$([guid]::NewGuid().ToString('N'))"))
    $ClientKey = "$Fleet/client_key"
    foreach ($key in "$Fleet/host_key", $ClientKey) { & ssh-keygen -q -t ed25519 -N '' -C ebpfps-test -f $key }
    Copy-Item "$ClientKey.pub" "$Fleet/authorized_keys"

    $free = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $free.Start(); $Port = $free.LocalEndpoint.Port; $free.Stop()
    $program, $arguments = Get-PwshCommandLine
    @"
Port $Port
ListenAddress 127.0.0.1
ListenAddress 127.0.0.2
HostKey $Fleet/host_key
PidFile $Fleet/sshd.pid
AuthorizedKeysFile $Fleet/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem powershell $program $($arguments -join ' ') -sshs
"@ | Set-Content "$Fleet/sshd_config"
    $null = New-Item -ItemType Directory -Force /run/sshd   # sshd's privilege separation directory
    $sshd = Start-Program /usr/sbin/sshd '-D', '-f', "$Fleet/sshd_config", '-E', "$Fleet/sshd.log"
    $deadline = [datetime]::UtcNow.AddSeconds(10)
    foreach ($address in $Hosts) {
        while ($true) {
            try { [System.Net.Sockets.TcpClient]::new($address, $Port).Dispose(); break }
            catch { if ([datetime]::UtcNow -gt $deadline) { throw "sshd did not listen on ${address}:$Port`: $(Get-Content -Raw "$Fleet/sshd.log")" } }
            [System.Threading.Thread]::Sleep(50)
        }
    }

    $Remote = @{
        HostName    = $Hosts
        Port        = $Port
        UserName    = 'root'
        KeyFilePath = $ClientKey
        Options     = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = "$Fleet/known_hosts"; IdentitiesOnly = 'yes'; LogLevel = 'ERROR' }
    }

    function Start-Child([string] $Script) {
        $child = Start-Program bash '-c', $Script
        $Children.Add($child)
        $child
    }

    # Waits until the trace on every host is attached: each host's job says so in its verbose stream.
    function Wait-Tracing($Job) {
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while (@($Job.ChildJobs | Where-Object { $_.Verbose.Message -like '*attached, waiting for events*' }).Count -lt $Hosts.Count) {
            if ($Job.State -in 'Failed', 'Completed' -or [datetime]::UtcNow -gt $deadline) {
                throw "the remote traces did not attach ($($Job.State)): $($Job | Receive-Job 2>&1 | Out-String)"
            }
            [System.Threading.Thread]::Sleep(100)
        }
    }
}

AfterAll {
    foreach ($process in @($Children) + $sshd) { if ($process -and -not $process.HasExited) { $process.Kill(); $process.WaitForExit() } }
    if ($Fleet) { Remove-Item $Fleet -Recurse -Force }
    Assert-NothingLeft $HeldAtStart
}

Describe 'A fleet over SSH remoting' -Skip:(-not $CanRun) {
    It 'traces the signals of both hosts at once with one Invoke-Command -HostName' {
        $target = Start-Child 'exec sleep 30'
        $targetId = $target.Id
        $job = Invoke-Command @Remote -AsJob -ScriptBlock {
            Import-Module $using:ModuleManifest
            $VerbosePreference = 'Continue'   # "attached, waiting for events" tells the test when to act
            Get-BpfSignalEvent -TargetProcessId $using:targetId -Signal TERM -Count 1 -Duration 00:00:30
        }
        try {
            Wait-Tracing $job
            $sender = Start-Process /bin/kill -ArgumentList '-TERM', $targetId -PassThru
            $sender.WaitForExit()
            $events = @($job | Wait-Job -Timeout 60 | Receive-Job 4>$null)
        }
        finally { $job | Remove-Job -Force }

        $events.Count | Should -Be 2
        @($events.PSComputerName | Sort-Object) | Should -Be $Hosts
        foreach ($e in $events) {
            $e.PSObject.TypeNames[0] | Should -Be 'Deserialized.EbpfPS.BpfSignalEvent'
            $e.SignalName | Should -Be 'SIGTERM'
            $e.Signal | Should -BeOfType [int]
            $e.TargetProcessId | Should -Be $targetId
            $e.SenderProcessId | Should -Be $sender.Id
            $e.SenderCommand | Should -Be 'kill'
            $e.Timestamp | Should -BeOfType [datetime]
            $e.Timestamp | Should -BeGreaterThan ([datetime]::Now.AddMinutes(-1))
            # Here, where EbpfPS is imported, the time exports with its fraction as a local event's does.
            ($e | ConvertTo-Csv | ConvertFrom-Csv).Timestamp | Should -BeExactly $e.Timestamp.ToString('o')
            $e.DeliveryLatency | Should -BeOfType [timespan]
            $e.DeliveryLatency | Should -BeLessThan ([timespan]::FromSeconds(5))
        }
        $text = $events | Out-String -Width 80
        $text | Should -Match 'Time\s+Signal\s+FromPid From\s+ToPid To\s+Result\s+Delay\(us\)'
        $text | Should -Match "\d\d:\d\d:\d\d\.\d{3}\s+SIGTERM\s+$($sender.Id)\s+kill\s+$targetId\s+sleep"
    }

    It 'brings back the addresses of a TCP connection from both hosts' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $job = Invoke-Command @Remote -AsJob -ScriptBlock {
                Import-Module $using:ModuleManifest
                $VerbosePreference = 'Continue'
                Start-BpfTrace -Tracepoint sock:inet_sock_set_state -Duration 00:00:30 |
                    Where-Object { $_.dport -eq $using:port -and $_.NewState -eq 'TCP_ESTABLISHED' } | Select-Object -First 1
            }
            Wait-Tracing $job
            $client = [System.Net.Sockets.TcpClient]::new([System.Net.Sockets.AddressFamily]::InterNetwork)
            $client.Connect([System.Net.IPAddress]::Loopback, $port)
            $clientPort = $client.Client.LocalEndPoint.Port
            $events = @($job | Wait-Job -Timeout 60 | Receive-Job 4>$null)
            $client.Dispose()
        }
        finally {
            $listener.Stop()
            if ($job) { $job | Remove-Job -Force }
        }

        $events.Count | Should -Be 2
        @($events.PSComputerName | Sort-Object) | Should -Be $Hosts
        foreach ($e in $events) {
            $e.PSObject.TypeNames[0] | Should -Be 'Deserialized.EbpfPS.BpfTracepointEvent#sock:inet_sock_set_state'
            $e.family | Should -Be 'AF_INET'
            $e.ProcessId | Should -Be $PID
            $e.saddr | Should -BeExactly '127.0.0.1'
            $e.daddr | Should -BeExactly '127.0.0.1'
            $e.sport | Should -Be $clientPort
            $e.Source | Should -BeExactly '127.0.0.1'
            $e.Destination | Should -BeExactly '127.0.0.1'
        }
        $text = $events | Out-String -Width 80
        $text | Should -Match 'Pid\s+Command\s+Source\s+Destination\s+NewState'
        $text | Should -Match "127\.0\.0\.1:$clientPort\s+127\.0\.0\.1:$port\s+ESTABLISHED"
    }
}
