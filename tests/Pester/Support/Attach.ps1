# What the suites of programs attached to a cgroup or an interface share: their fixtures compiled, a cgroup v2
# directory and a veth pair of their own, and children inside and outside the cgroup. Dot-source it in BeforeAll
# after Kernel.ps1, with $Work set to the file's temporary directory.

# tests/Pester/fixtures/$Name.bpf.c compiled into $Work.
function Build-Fixture([string] $Name) {
    $output = Join-Path $Work "$Name.bpf.o"
    Build-BpfObject "$PSScriptRoot/../fixtures/$Name.bpf.c" $output
    $output
}

# A test's own C source compiled into $Work.
function Build-Source([string] $Name, [string] $Source) {
    $path = Join-Path $Work "$Name.bpf.c"
    Set-Content $path $Source
    $output = Join-Path $Work "$Name.bpf.o"
    Build-BpfObject $path $output
    $output
}

# A cgroup v2 directory of the test's, empty (a leftover of an interrupted run is removed first).
function New-TestCgroup([string] $Name) {
    $path = Join-Path (Get-Cgroup2Mount) $Name
    Remove-TestCgroup $path
    [System.IO.Directory]::CreateDirectory($path).FullName
}

# Removes the cgroup once the processes it held are gone (the kernel takes a moment after they exit).
function Remove-TestCgroup([string] $Path) {
    if (-not [System.IO.Directory]::Exists($Path)) { return }
    foreach ($id in [System.IO.File]::ReadAllLines("$Path/cgroup.procs")) { try { (Get-Process -Id $id).Kill() } catch { } }
    $deadline = [datetime]::UtcNow.AddSeconds(5)
    while ($true) {
        try { [System.IO.Directory]::Delete($Path); return }
        catch { if ([datetime]::UtcNow -gt $deadline) { throw } ; Start-Sleep -Milliseconds 50 }
    }
}

# The cgroup v2 directory of a process, as a full path.
function Get-ProcessCgroup([int] $ProcessId) {
    $line = [System.IO.File]::ReadAllLines("/proc/$ProcessId/cgroup") | Where-Object { $_ -like '0::*' }
    [System.IO.Path]::TrimEndingDirectorySeparator((Get-Cgroup2Mount) + $line.Substring(3))
}

# The links attached to a cgroup (Get-BpfLink names a cgroup link's target by its path).
function Get-CgroupLink([string] $Path) { Get-BpfLink -Type cgroup | Where-Object Target -eq $Path }

# Runs python3 code in a child, in $Cgroup when given (moved there before the code starts, so its sockets are
# the cgroup's): its output lines, and the cgroup it ran in. sys is imported; $Argument is sys.argv[1].
function Invoke-TestChild([string] $Code, [string] $Cgroup, [string] $Argument = '') {
    $info = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
    foreach ($a in '-c', "import sys; sys.stdin.readline()`n$Code", $Argument) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $child = [System.Diagnostics.Process]::Start($info)
    try {
        if ($Cgroup) { [System.IO.File]::WriteAllText("$Cgroup/cgroup.procs", "$($child.Id)") }
        $where = Get-ProcessCgroup $child.Id
        $child.StandardInput.WriteLine('go')
        $output = $child.StandardOutput.ReadToEnd()
        $errors = $child.StandardError.ReadToEnd()
        if (-not $child.WaitForExit(10000)) { throw 'the child did not end' }
        if ($child.ExitCode) { throw "the child failed: $errors" }
        [pscustomobject]@{ ProcessId = $child.Id; Cgroup = $where; Output = @($output.Trim() -split "`n" | Where-Object { $_ }) }
    }
    finally { if (-not $child.HasExited) { $child.Kill() } ; $child.Dispose() }
}

function Get-FreeUdpPort {
    $probe = [System.Net.Sockets.UdpClient]::new(0)
    try { $probe.Client.LocalEndPoint.Port } finally { $probe.Dispose() }
}

# The datagrams a receiver holds, as text.
function Receive-Datagrams([System.Net.Sockets.UdpClient] $Receiver) {
    Start-Sleep -Milliseconds 200 # loopback delivers at once; a moment for safety
    $from = [System.Net.IPEndPoint]::new([ipaddress]::Any, 0)
    while ($Receiver.Available -gt 0) { [System.Text.Encoding]::ASCII.GetString($Receiver.Receive([ref] $from)) }
}

# A veth pair from this network namespace ($Name) to a namespace of its own (ebpfps-$Name), with static neighbours
# so that no ARP adds packets to what tests count.
function New-TestVeth([string] $Name) {
    $network = [pscustomobject]@{
        Interface = $Name; Peer = "${Name}p"; Namespace = "ebpfps-$Name"
        LocalIp = "10.197.$(10 + $PID % 200).1"; PeerIp = "10.197.$(10 + $PID % 200).2"
    }
    Remove-TestVeth $network
    foreach ($command in "netns add $($network.Namespace)",
        "link add $Name type veth peer name $($network.Peer) netns $($network.Namespace)",
        "addr add $($network.LocalIp)/24 dev $Name", "link set $Name up",
        "-n $($network.Namespace) addr add $($network.PeerIp)/24 dev $($network.Peer)",
        "-n $($network.Namespace) link set $($network.Peer) up", "-n $($network.Namespace) link set lo up") {
        $output = & bash -c "ip $command 2>&1"
        if ($LASTEXITCODE) { throw "ip $command failed: $output" }
    }
    $localMac = (Get-Content "/sys/class/net/$Name/address")
    $peerMac = [regex]::Match((& ip -n $network.Namespace link show $network.Peer) -join ' ', 'link/ether (\S+)').Groups[1].Value
    & ip neigh replace $network.PeerIp lladdr $peerMac dev $Name nud permanent
    & ip -n $network.Namespace neigh replace $network.LocalIp lladdr $localMac dev $network.Peer nud permanent
    $network
}

function Remove-TestVeth($Network) {
    if ([System.IO.File]::Exists("/run/netns/$($Network.Namespace)")) { & ip netns del $Network.Namespace }
    if ([System.IO.Directory]::Exists("/sys/class/net/$($Network.Interface)")) { & ip link del $Network.Interface }
}

# Echo replies from the peer for $Count echo requests.
function Test-Ping($Network, [int] $Count = 2) {
    $output = & ping -n -q -c $Count -i 0.05 -W 1 $Network.PeerIp 2>&1
    [int] ([regex]::Match(($output -join "`n"), '(\d+) (packets )?received').Groups[1].Value)
}

# Sends $Count ICMP echo requests to the peer, one packet each (ping resends what the kernel refused): for each,
# 'sent' or 'dropped' (the kernel's ENOBUFS for a packet dropped on its way out).
function Send-EchoRequest($Network, [int] $Count) {
    $code = @"
import errno, socket, struct
def checksum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.setsockopt(socket.SOL_IP, 11, 1)  # IP_RECVERR: a raw socket reports a dropped packet only with it
for seq in range($Count):
    header = struct.pack('!BBHHH', 8, 0, 0, 0x4242, seq) + b'ebpfps'
    packet = header[:2] + struct.pack('!H', checksum(header)) + header[4:]
    try: s.sendto(packet, ('$($Network.PeerIp)', 0)); print('sent')
    except OSError as e: print('dropped' if e.errno == errno.ENOBUFS else e)
"@
    @(& python3 -c $code)
}

# Whether a TCP connect to a closed port of the peer is refused (the SYN went out, the reset came back).
function Test-TcpRefused($Network) {
    $output = & python3 -c "import socket; s = socket.socket(); s.settimeout(2)`ntry: s.connect(('$($Network.PeerIp)', 9))`nexcept ConnectionRefusedError: print('refused')`nexcept OSError as e: print(e)"
    $output -eq 'refused'
}

# The events a trace's job has written within 5 s, until there are $Count of them.
function Receive-Until($Job, [int] $Count) {
    $received = [System.Collections.Generic.List[object]]::new()
    $deadline = [datetime]::UtcNow.AddSeconds(5)
    while ($received.Count -lt $Count -and [datetime]::UtcNow -lt $deadline) {
        foreach ($e in @(Receive-Job $Job)) { $received.Add($e) }
        [System.Threading.Thread]::Sleep(50)
    }
    , $received
}
