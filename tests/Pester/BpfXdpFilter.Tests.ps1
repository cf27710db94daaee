#Requires -Version 7.4
# Add-, Get- and Remove-BpfXdpFilter on the real kernel: two network namespaces joined by a veth pair,
# made here and always deleted. Rules are added by separate pwsh processes inside the receiver's
# namespace (nsenter keeps the host's /sys/fs/bpf); this process reads and removes them through the pins.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    . "$PSScriptRoot/Support/Pwsh.ps1"
    $Id = [System.Environment]::ProcessId
    $Sender = "ebpfps-p-$Id-s"; $Receiver = "ebpfps-p-$Id-r"
    $SenderIf = "p${Id}s"; $ReceiverIf = "p${Id}r"
    $Net = 10 + $Id % 200
    $SenderIp = "10.198.$Net.1"; $ReceiverIp = "10.198.$Net.2"
    $SenderIp6 = "fd00:198:$Net::1"; $ReceiverIp6 = "fd00:198:$Net::2"

    function Invoke-Ip([string] $Arguments) {
        $output = & bash -c "ip $Arguments 2>&1"
        if ($LASTEXITCODE -ne 0) { throw "ip $Arguments failed: $output" }
        $output
    }

    function Remove-TestNamespaces {
        foreach ($ns in $Sender, $Receiver) { if ([System.IO.File]::Exists("/run/netns/$ns")) { & ip netns del $ns } }
        if ([System.IO.Directory]::Exists("/sys/fs/bpf/ebpfps/$ReceiverIf")) { Remove-BpfXdpFilter -Interface $ReceiverIf -Confirm:$false }
    }

    # A pwsh process in the receiver's namespace; returns its output lines, throws on failure.
    function Invoke-InReceiver([string] $Script, [switch] $NonInteractive) {
        $pwsh = @(Get-PwshArgument $Script)
        if ($NonInteractive) { $pwsh = $pwsh[0..($pwsh.Count - 3)] + '-NonInteractive' + $pwsh[-2..-1] }
        $output = & nsenter "--net=/run/netns/$Receiver" @pwsh 2>&1
        if ($LASTEXITCODE -ne 0) { throw "pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
        $output
    }

    # Echo replies the sender got for -Count echo requests.
    function Test-Ping([string] $To, [int] $Count = 3) {
        $output = & ip netns exec $Sender ping -n -q -c $Count -i 0.05 -W 1 $To 2>&1
        [int] ([regex]::Match(($output -join "`n"), '(\d+) (packets )?received').Groups[1].Value)
    }

    # Whether a TCP connection, or a UDP datagram, from the sender reaches a listener of the receiver.
    # The listener says "ready" once it is bound, so a slow python start-up cannot lose the race, and waits
    # for the sender, however slowly it starts; once the sender is done, what has not come was dropped. It
    # closes first, which leaves its port in TIME_WAIT: SO_REUSEADDR lets the next test bind it again.
    function Test-Connection([string] $Protocol, [string] $To, [int] $Port) {
        $kind = if ($Protocol -eq 'Tcp') { 'SOCK_STREAM' } else { 'SOCK_DGRAM' }
        $family = if ($To.Contains(':')) { 'AF_INET6' } else { 'AF_INET' }
        $listen = "import socket; s = socket.socket(socket.$family, socket.$kind); " +
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('$To', $Port)); " +
            $(if ($Protocol -eq 'Tcp') { "s.listen(); " } else { "" }) + "print('ready', flush=True); s.settimeout(60); " +
            $(if ($Protocol -eq 'Tcp') { "c, _ = s.accept(); print(c.recv(5).decode())" } else { "print(s.recv(5).decode())" })
        $info = [System.Diagnostics.ProcessStartInfo]::new('ip')
        foreach ($a in 'netns', 'exec', $Receiver, 'python3', '-c', $listen) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true # a listener that hears nothing times out with a traceback
        $listener = [System.Diagnostics.Process]::Start($info)
        if ($listener.StandardOutput.ReadLine() -ne 'ready') { throw "the $Protocol listener on port $Port did not start: $($listener.StandardError.ReadToEnd())" }
        $send = "import socket; s = socket.socket(socket.$family, socket.$kind); s.settimeout(1); " +
            $(if ($Protocol -eq 'Tcp') { "s.connect(('$To', $Port)); s.send(b'hello')" } else { "s.sendto(b'hello', ('$To', $Port))" })
        & ip netns exec $Sender python3 -c $send 2>$null
        if (-not $listener.WaitForExit(3000)) { $listener.Kill(); $listener.WaitForExit() } # it got nothing
        $listener.StandardOutput.ReadToEnd().Trim() -eq 'hello'
    }

    function Get-XdpProgramId {
        @(bpftool prog show | Where-Object { $_ -match '^(\d+): xdp\s+name ebpfps_xdp_filt' } | ForEach-Object { [int] $Matches[1] })
    }

    Remove-TestNamespaces
    Invoke-Ip "netns add $Sender"
    Invoke-Ip "netns add $Receiver"
    Invoke-Ip "link add $SenderIf netns $Sender type veth peer name $ReceiverIf netns $Receiver"
    Invoke-Ip "-n $Sender addr add $SenderIp/24 dev $SenderIf"
    Invoke-Ip "-n $Receiver addr add $ReceiverIp/24 dev $ReceiverIf"
    Invoke-Ip "-n $Sender addr add $SenderIp6/64 dev $SenderIf nodad"
    Invoke-Ip "-n $Receiver addr add $ReceiverIp6/64 dev $ReceiverIf nodad"
    foreach ($ns in $Sender, $Receiver) { Invoke-Ip "-n $ns link set lo up" }
    Invoke-Ip "-n $Sender link set $SenderIf up"
    Invoke-Ip "-n $Receiver link set $ReceiverIf up"
    # Static neighbours: no ARP or neighbour discovery adds packets to what the tests count.
    $senderMac = [regex]::Match((Invoke-Ip "-n $Sender link show $SenderIf") -join ' ', 'link/ether (\S+)').Groups[1].Value
    $receiverMac = [regex]::Match((Invoke-Ip "-n $Receiver link show $ReceiverIf") -join ' ', 'link/ether (\S+)').Groups[1].Value
    Invoke-Ip "-n $Sender neigh replace $ReceiverIp lladdr $receiverMac dev $SenderIf nud permanent"
    Invoke-Ip "-n $Sender neigh replace $ReceiverIp6 lladdr $receiverMac dev $SenderIf nud permanent"
    Invoke-Ip "-n $Receiver neigh replace $SenderIp lladdr $senderMac dev $ReceiverIf nud permanent"
    Invoke-Ip "-n $Receiver neigh replace $SenderIp6 lladdr $senderMac dev $ReceiverIf nud permanent"
}

AfterAll {
    Remove-TestNamespaces
    Assert-NothingLeft $HeldAtStart
}

Describe 'XDP packet filter on a veth pair' -Skip:(-not $IsRoot) {
    # Each test starts from no filter and adds the rules it needs: none depends on another's rules or counters.
    BeforeAll {
        # Rules of every kind, added in this order (rule ids 1 to 4) by one process in the receiver's namespace.
        $Mixed = @"
Add-BpfXdpFilter -Interface $ReceiverIf -Protocol Icmp -Action Drop -Confirm:`$false
Add-BpfXdpFilter -Interface $ReceiverIf -Protocol Icmp -SourceAddress $SenderIp -Action Pass
Add-BpfXdpFilter -Interface $ReceiverIf -Protocol Tcp -SourceAddress 10.198.$Net.0/24 -DestinationPort 8081 -Action Drop
Add-BpfXdpFilter -Interface $ReceiverIf -Protocol IcmpV6 -SourceAddress $SenderIp6 -Action Drop
"@
    }
    BeforeEach {
        if ([System.IO.Directory]::Exists("/sys/fs/bpf/ebpfps/$ReceiverIf")) { Remove-BpfXdpFilter -Interface $ReceiverIf -Confirm:$false }
    }

    It 'drops ICMP while TCP and UDP pass, after the process that added the rule is gone' {
        Test-Ping $ReceiverIp | Should -Be 3
        $null = Invoke-InReceiver "Add-BpfXdpFilter -Interface $ReceiverIf -Protocol Icmp -Action Drop -Confirm:`$false"

        Test-Ping $ReceiverIp -Count 5 | Should -Be 0
        Test-Connection Tcp $ReceiverIp 8080 | Should -BeTrue
        Test-Connection Udp $ReceiverIp 5353 | Should -BeTrue
    }

    It 'shows the filter in another process, with a counter that grows by the echo requests sent' {
        $null = Invoke-InReceiver "Add-BpfXdpFilter -Interface $ReceiverIf -Protocol Icmp -Action Drop -Confirm:`$false"
        $before = Get-BpfXdpFilter -Interface $ReceiverIf
        Test-Ping $ReceiverIp -Count 5 | Should -Be 0
        $filter = Get-BpfXdpFilter -Interface $ReceiverIf

        $filter.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfXdpFilter'
        $filter.Mode | Should -Be 'Native'
        $filter.Attached | Should -BeTrue
        $filter.ProgramId | Should -BeIn (Get-XdpProgramId)
        $filter.Rules.Count | Should -Be 1
        $filter.Rules[0].Protocol | Should -Be 'Icmp'
        $filter.Rules[0].Packets - $before.Rules[0].Packets | Should -Be 5
        $filter.Rules[0].Bytes - $before.Rules[0].Bytes | Should -Be (5 * 98)
        $filter.DroppedPackets - $before.DroppedPackets | Should -Be 5
        # Export-Csv writes the rules as their text, not as a type name
        ($filter | ConvertTo-Csv | ConvertFrom-Csv).Rules | Should -Be "$($filter.Rules[0].RuleId): Drop Icmp"
        "/sys/fs/bpf/ebpfps/$ReceiverIf/link" | Should -Exist
    }

    It 'adds CIDR, port and IPv6 rules from another process and evaluates the most specific first' {
        $null = Invoke-InReceiver $Mixed
        $before = (Get-BpfXdpFilter $ReceiverIf).Rules
        Test-Ping $ReceiverIp -Count 2 | Should -Be 2
        Test-Connection Tcp $ReceiverIp 8081 | Should -BeFalse
        Test-Connection Tcp $ReceiverIp 8080 | Should -BeTrue
        Test-Ping $ReceiverIp6 -Count 2 | Should -Be 0
        Test-Connection Tcp $ReceiverIp6 8081 | Should -BeTrue

        $rules = (Get-BpfXdpFilter $ReceiverIf).Rules
        $rules.RuleId | Should -Be 4, 2, 3, 1 -Because 'longer source prefixes come first (an IPv6 /128, then an IPv4 /32 and /24)'
        $rules.Priority | Should -Be 0, 1, 2, 3
        $rules[0].SourceAddress | Should -Be "$SenderIp6/128"
        $rules[0].Packets - $before[0].Packets | Should -Be 2
        $rules[1].Packets - $before[1].Packets | Should -Be 2
    }

    It 'prints filters and rules with the default table views' {
        $null = Invoke-InReceiver $Mixed
        Test-Ping $ReceiverIp -Count 2 | Should -Be 2 # passed by rule 2
        # at the 80 columns of a default terminal, counters included
        $text = Get-BpfXdpFilter $ReceiverIf | Out-String -Width 80
        $text | Should -Match 'Interface\s+Mode\s+Attached\s+Rules\s+Passed\s+Dropped\s+Malformed'
        $text | Should -Match "$ReceiverIf\s+Native\s+True\s+4\s+\d+\s+\d+\s+\d+"
        $rules = (Get-BpfXdpFilter $ReceiverIf).Rules | Out-String -Width 80
        $rules | Should -Match 'RuleId\s+Action\s+Protocol\s+Source\s+Destination\s+Packets'
        $rules | Should -Match "2\s+Pass\s+Icmp\s+$([regex]::Escape($SenderIp))/32\s+any\s+2"
        $rules | Should -Match "3\s+Drop\s+Tcp\s+10\.198\.$Net\.0/24\s+any:8081\s+\d+"
        $rules -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }

    It 'removes one rule, then the whole filter, leaving no pin and no program' {
        $null = Invoke-InReceiver $Mixed
        Test-Connection Tcp $ReceiverIp 8081 | Should -BeFalse # dropped by rule 3
        $removed = Remove-BpfXdpFilter -Interface $ReceiverIf -RuleId 3 -PassThru
        $removed.RuleId | Should -Be 3
        $removed.Packets | Should -BeGreaterOrEqual 1
        Test-Connection Tcp $ReceiverIp 8081 | Should -BeTrue
        (Get-BpfXdpFilter $ReceiverIf).Rules.RuleId | Should -Be 4, 2, 1

        $programId = (Get-BpfXdpFilter $ReceiverIf).ProgramId
        Test-Ping $ReceiverIp6 -Count 2 | Should -Be 0 # dropped by rule 4
        Get-BpfXdpFilter | Where-Object Interface -EQ $ReceiverIf | Remove-BpfXdpFilter -Confirm:$false
        "/sys/fs/bpf/ebpfps/$ReceiverIf" | Should -Not -Exist
        $deadline = [datetime]::UtcNow.AddSeconds(3) # the kernel frees a program after an RCU grace period
        while ((Get-XdpProgramId) -contains $programId -and [datetime]::UtcNow -lt $deadline) { [System.Threading.Thread]::Sleep(20) }
        Get-XdpProgramId | Should -Not -Contain $programId
        Test-Ping $ReceiverIp6 -Count 2 | Should -Be 2
        (& ip -n $Receiver link show $ReceiverIf) -join ' ' | Should -Not -Match 'xdp'
    }

    It 'changes nothing with -WhatIf' {
        $null = Invoke-InReceiver "Add-BpfXdpFilter -Interface $ReceiverIf -Protocol Icmp -Action Drop -WhatIf"
        "/sys/fs/bpf/ebpfps/$ReceiverIf" | Should -Not -Exist
        Test-Ping $ReceiverIp -Count 2 | Should -Be 2
    }

    It 'attaches without asking in a script, and refuses there a rule that would cut off its SSH session unless -Force' {
        # the session as sshd describes it: client address and port, server address and port
        $session = "`$env:SSH_CONNECTION = '$SenderIp 50022 $ReceiverIp 22'"
        $added = Invoke-InReceiver -NonInteractive "$session; Add-BpfXdpFilter -Interface $ReceiverIf -Protocol Icmp -Action Drop -PassThru | ForEach-Object RuleId"
        $added | Should -Be 1
        (Get-BpfXdpFilter $ReceiverIf).Rules.Count | Should -Be 1

        $ssh = "Add-BpfXdpFilter -Interface $ReceiverIf -Protocol Tcp -DestinationPort 22 -Action Drop"
        $refused = Invoke-InReceiver -NonInteractive "$session; try { $ssh -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.ErrorDetails.RecommendedAction }"
        $refused[0] | Should -Be 'XdpConfirmationRequired,EbpfPS.Commands.AddBpfXdpFilterCommand'
        $refused[1] | Should -BeLike '*-Force*'
        (Get-BpfXdpFilter $ReceiverIf).Rules.Count | Should -Be 1

        $null = Invoke-InReceiver -NonInteractive "$session; $ssh -Force"
        (Get-BpfXdpFilter $ReceiverIf).Rules.DestinationPort | Should -Contain 22
        Remove-BpfXdpFilter -Interface $ReceiverIf -Confirm:$false
    }
}

Describe 'XDP filter lock' -Skip:(-not $IsRoot) {
    # The lock that serialises filter changes between processes: no other user can hold it or redirect it.
    BeforeAll {
        $Nobody = '--reuid', '65534', '--regid', '65534', '--clear-groups'
        # Add-BpfXdpFilter in the receiver's namespace; its error id and recommendation, or 'added'.
        function Add-Rule([string] $Arguments) {
            Invoke-InReceiver -NonInteractive ("try { Add-BpfXdpFilter -Interface $ReceiverIf $Arguments -Action Drop -Confirm:`$false -ErrorAction Stop; 'added' } " +
                "catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.ErrorDetails.RecommendedAction }")
        }
    }
    AfterEach {
        if ([System.IO.Directory]::Exists("/sys/fs/bpf/ebpfps/$ReceiverIf")) { Remove-BpfXdpFilter -Interface $ReceiverIf -Confirm:$false }
    }

    It 'is not held up by another user holding the lock file of /run/lock, and cannot be taken by one' {
        Add-Rule '-Protocol Icmp' | Should -Be 'added' # makes /run/ebpfps
        & setpriv @Nobody flock -x -w 1 /run/ebpfps/xdp.lock true 2>$null
        $LASTEXITCODE | Should -Not -Be 0 -Because 'an unprivileged user cannot open the lock'
        [int] (Get-Item /run/ebpfps).UnixFileMode | Should -Be 448 -Because 'mode 0700'

        # before: an unprivileged flock -x on /run/lock/ebpfps-xdp.lock made root's Add fail after 30 s
        $holder = Start-Process -FilePath setpriv -ArgumentList '--reuid', '65534', '--regid', '65534', '--clear-groups',
            'flock', '-x', '/run/lock/ebpfps-xdp.lock', 'sleep', '60' -PassThru
        try {
            Start-Sleep -Milliseconds 300
            $holder.HasExited | Should -BeFalse -Because 'the unprivileged user holds the old lock file'
            Add-Rule '-Protocol Udp' | Should -Be 'added'
            (Get-BpfXdpFilter $ReceiverIf).Rules.Count | Should -Be 2
        }
        finally { $holder.Kill(); $holder.WaitForExit() }
    }

    It 'does not follow a symbolic link an unprivileged user planted' {
        $target = "/tmp/ebpfps-lock-target-$Id"
        Remove-Item /run/lock/ebpfps-xdp.lock, $target -Force -ErrorAction Ignore
        & setpriv @Nobody ln -s $target /run/lock/ebpfps-xdp.lock
        try {
            Add-Rule '-Protocol Icmp' | Should -Be 'added'
            $target | Should -Not -Exist -Because 'root created the file the planted link pointed to'
        }
        finally { Remove-Item /run/lock/ebpfps-xdp.lock -Force -ErrorAction Ignore }
    }

    It 'refuses a lock that is a symbolic link, or a lock directory others may enter, with XdpLockUnsafe' {
        $target = "/tmp/ebpfps-lock-target-$Id"
        Remove-Item $target -Force -ErrorAction Ignore
        $null = Add-Rule '-Protocol Icmp'
        Remove-Item /run/ebpfps/xdp.lock
        $null = New-Item -ItemType SymbolicLink -Path /run/ebpfps/xdp.lock -Target $target
        try {
            $refused = Add-Rule '-Protocol Udp'
            $refused[0] | Should -Be 'XdpLockUnsafe,EbpfPS.Commands.AddBpfXdpFilterCommand'
            $refused[1] | Should -Be 'PermissionDenied'
            $refused[2] | Should -BeLike '*Remove /run/ebpfps/xdp.lock*'
            $target | Should -Not -Exist
        }
        finally { Remove-Item /run/ebpfps/xdp.lock -Force }

        & chmod 0777 /run/ebpfps
        try {
            $refused = Add-Rule '-Protocol Udp'
            $refused[0] | Should -Be 'XdpLockUnsafe,EbpfPS.Commands.AddBpfXdpFilterCommand'
            $refused[2] | Should -BeLike '*rm -r /run/ebpfps*'
        }
        finally { & chmod 0700 /run/ebpfps }
        (Get-BpfXdpFilter $ReceiverIf).Rules.Count | Should -Be 1 -Because 'the refused rules were not added'
    }

    It 'refuses to pin a filter in a directory another user owns' {
        # /sys/fs/bpf is often world-writable (1777): another user could make /sys/fs/bpf/ebpfps first, and then
        # remove or replace the pins root puts there
        $null = Add-Rule '-Protocol Icmp' # makes /sys/fs/bpf/ebpfps as root's
        Remove-BpfXdpFilter -Interface $ReceiverIf -Confirm:$false
        $owner = (Get-Item /sys/fs/bpf/ebpfps -ErrorAction Ignore).User
        if (-not $owner) { $null = New-Item -ItemType Directory /sys/fs/bpf/ebpfps } # the last filter's removal took it
        & chown 65534 /sys/fs/bpf/ebpfps
        try {
            $refused = Add-Rule '-Protocol Udp'
            $refused[0] | Should -Be 'XdpLockUnsafe,EbpfPS.Commands.AddBpfXdpFilterCommand'
            $refused[1] | Should -Be 'PermissionDenied'
            $refused[2] | Should -BeLike '*ls -la /sys/fs/bpf/ebpfps*'
        }
        finally { & chown 0 /sys/fs/bpf/ebpfps }
        "/sys/fs/bpf/ebpfps/$ReceiverIf" | Should -Not -Exist
    }

    It 'serialises two processes adding rules at once' {
        $program, $arguments = Get-PwshArgument ("foreach (`$port in PORTS) { Add-BpfXdpFilter -Interface $ReceiverIf -Protocol Tcp " +
            "-DestinationPort `$port -Action Drop -Confirm:`$false -ErrorAction Stop }")
        $processes = foreach ($ports in '7001..7005', '7101..7105') {
            $info = [System.Diagnostics.ProcessStartInfo]::new('nsenter')
            foreach ($a in @("--net=/run/netns/$Receiver", $program) + $arguments) { $info.ArgumentList.Add($a.Replace('PORTS', $ports)) }
            [System.Diagnostics.Process]::Start($info)
        }
        foreach ($p in $processes) { $p.WaitForExit(); $p.ExitCode | Should -Be 0 }
        $ports = (Get-BpfXdpFilter $ReceiverIf).Rules.DestinationPort | Sort-Object
        $ports | Should -Be (@(7001..7005) + @(7101..7105))
        (Get-BpfXdpFilter $ReceiverIf).Rules.RuleId | Sort-Object | Should -Be (1..10)
    }
}

# On an interface of the test's own (one end of a veth pair), never the host's lo: a validation that let a rule
# through would attach there.
Describe 'XDP filter input errors' -Skip:(-not $IsRoot) {
    BeforeAll {
        $Dummy = "ebd$([System.Environment]::ProcessId % 100000)"
        & ip link add $Dummy type veth peer name "$($Dummy)p"
    }
    AfterAll { & ip link del $Dummy 2>$null }

    It 'refuses <Case> with <Id> and a hint' -ForEach @(
        @{ Case = 'a prefix with host bits'; Id = 'InvalidAddressPrefix'; Arguments = @{ SourceAddress = '10.0.0.1/8' } }
        @{ Case = 'a port without Tcp or Udp'; Id = 'PortWithoutTcpOrUdp'; Arguments = @{ DestinationPort = '22' } }
        @{ Case = 'a port out of range'; Id = 'InvalidPort'; Arguments = @{ Protocol = 'Tcp'; DestinationPort = '65536' } }
        @{ Case = 'an unknown protocol'; Id = 'InvalidProtocol'; Arguments = @{ Protocol = 'Sctp6' } }
        @{ Case = 'an unknown interface'; Id = 'InterfaceNotFound'; Arguments = @{ Interface = 'nosuch0' } }
    ) {
        $parameters = @{ Interface = $Dummy; Action = 'Drop'; Confirm = $false; ErrorAction = 'Stop' }
        foreach ($key in $Arguments.Keys) { $parameters[$key] = $Arguments[$key] }
        $err = { Add-BpfXdpFilter @parameters } | Should -Throw -ErrorId "$Id,EbpfPS.Commands.AddBpfXdpFilterCommand" -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        "/sys/fs/bpf/ebpfps/$Dummy" | Should -Not -Exist
    }

    It 'says when an interface has no filter' {
        { Get-BpfXdpFilter -Interface $Dummy -ErrorAction Stop } | Should -Throw -ErrorId 'XdpFilterNotFound,EbpfPS.Commands.GetBpfXdpFilterCommand'
        { Remove-BpfXdpFilter -Interface $Dummy -ErrorAction Stop } | Should -Throw -ErrorId 'XdpFilterNotFound,EbpfPS.Commands.RemoveBpfXdpFilterCommand'
    }
}
