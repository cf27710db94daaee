#Requires -Version 7.4
# Start-BpfTrace -Path -Cgroup/-Interface: a user's cgroup and tc programs attached for the length of a trace, on a
# cgroup v2 directory and a veth pair that this file makes and always removes. Children moved into the cgroup
# (cgroup.procs) send and connect; children outside it do the same, and must not be affected.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
    $script:HasCgroup2 = [bool] (Get-Cgroup2Mount)
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    . "$PSScriptRoot/Support/Attach.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $Work = [System.IO.Directory]::CreateTempSubdirectory('ebpfps-attach-').FullName
    $Cgroup = New-TestCgroup "ebpfps-attach-$PID"
    $Network = New-TestVeth "q$PID"

    $CgroupSkb = Build-Fixture cgroup-skb-port
    $Connect4 = Build-Fixture connect4-refuse
    $SockOps = Build-Fixture sockops-timeout
    $TcDrop = Build-Fixture tc-drop-protocol
    $SockMap = Build-Fixture sockmap-count

    # An object of one program in $Section (returning 1) and a sockmap for each of $Maps.
    function Build-SocketMapSource([string] $Section, [string[]] $Maps) {
        $declared = $Maps | ForEach-Object { "struct { __uint(type, BPF_MAP_TYPE_SOCKMAP); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } $_ SEC(`".maps`");" }
        Build-Source "socket-$($Section -replace '/', '-')-$($Maps.Count)" (@('#include "vmlinux.h"', '#include <bpf/bpf_helpers.h>') + $declared +
            "SEC(`"$Section`")", 'int pass_all(void *ctx) { return 1; }', 'char LICENSE[] SEC("license") = "GPL";' -join "`n")
    }

    # Accepts the connections waiting on $Listener, in order, and reads each to its end: what each peer sent.
    function Receive-Connections([System.Net.Sockets.TcpListener] $Listener) {
        while ($Listener.Pending()) {
            $client = $Listener.AcceptTcpClient()
            try {
                $reader = [System.IO.StreamReader]::new($client.GetStream())
                $reader.ReadToEnd()
            }
            finally { $client.Dispose() }
        }
    }
}

AfterAll {
    Get-Job | Where-Object PSJobTypeName -eq BpfTraceJob | Remove-Job -Force
    Remove-TestVeth $Network
    Remove-TestCgroup $Cgroup
    [System.IO.Directory]::Delete($Work, $true)
    Assert-NothingLeft $HeldAtStart
}

Describe 'Start-BpfTrace -Path -Cgroup' -Skip:(-not $IsRoot -or -not $HasCgroup2) {
    AfterEach {
        Get-Job | Where-Object PSJobTypeName -eq BpfTraceJob | Remove-Job -Force
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty -Because 'a trace that ended leaves nothing attached to the cgroup'
    }

    It 'a cgroup_skb egress program counts the datagrams a child of the cgroup sends to one port, then drops them' {
        $port = Get-FreeUdpPort
        $send = "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)`nfor p in ($port, $port, $port, $($port + 1)): s.sendto(b'x', ('127.0.0.1', p))"
        $job = Start-BpfTrace -Path $CgroupSkb -Cgroup $Cgroup -Set @{ count_port = $port } -AsJob
        $job.State | Should -Be 'Running'
        (Get-CgroupLink $Cgroup).AttachType | Should -Be 'cgroup_inet_egress'
        $inside = Invoke-TestChild $send -Cgroup $Cgroup
        $outside = Invoke-TestChild $send
        $counted = Read-BpfMap -Trace $job -Name packets
        $job | Stop-Job

        $inside.Cgroup | Should -Be $Cgroup
        $outside.Cgroup | Should -Not -Be $Cgroup
        ($counted | Where-Object Key -eq 0).Value | Should -Be 3 -Because 'the child in the cgroup sent 3 datagrams to the port, the one outside is not seen'
        ($counted | Where-Object Key -eq 1).Value | Should -Be 0

        # dropped: sendto fails with EPERM in the cgroup, and the receiver gets only the datagram from outside
        $receiver = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::Loopback, $port))
        try {
            $job = Start-BpfTrace -Path $CgroupSkb -Cgroup $Cgroup -Set @{ drop_port = $port } -AsJob
            $sendOne = "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)`ntry: s.sendto(sys.argv[1].encode(), ('127.0.0.1', $port)); print('sent')`nexcept OSError as e: print('errno', e.errno)"
            $inside = Invoke-TestChild $sendOne -Cgroup $Cgroup -Argument inside
            $outside = Invoke-TestChild $sendOne -Argument outside
            $dropped = Read-BpfMap -Trace $job -Name packets
            $job | Stop-Job
            $received = Receive-Datagrams $receiver
        }
        finally { $receiver.Dispose() }

        $inside.Output | Should -Be 'errno 1'
        $outside.Output | Should -Be 'sent'
        ($dropped | Where-Object Key -eq 1).Value | Should -Be 1
        $received | Should -Be @('outside')
    }

    It 'a cgroup/connect4 program refuses a connect to one port from processes in the cgroup only' {
        $refused = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $other = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $refused.Start(); $other.Start()
        try {
            $port = $refused.LocalEndpoint.Port
            $connect = "import socket`nfor p in ($port, $($other.LocalEndpoint.Port)):`n  s = socket.socket()`n  try: s.connect(('127.0.0.1', p)); print('connected')`n  except OSError as e: print('errno', e.errno)"
            $job = Start-BpfTrace -Path $Connect4 -Cgroup $Cgroup -Set @{ refused_port = $port } -AsJob
            (Get-CgroupLink $Cgroup).AttachType | Should -Be 'cgroup_inet4_connect'
            $inside = Invoke-TestChild $connect -Cgroup $Cgroup
            $outside = Invoke-TestChild $connect
            $count = (Read-BpfMap -Trace $job -Name refused).Value
            $job | Stop-Job
        }
        finally { $refused.Stop(); $other.Stop() }

        $inside.Output | Should -Be @('errno 1', 'connected')
        $outside.Output | Should -Be @('connected', 'connected')
        $count | Should -Be 1
    }

    It 'a sockops program sees the TCP connections of the cgroup and sets their user timeout' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try {
            $connect = "import socket; s = socket.socket(); s.connect(('127.0.0.1', $($listener.LocalEndpoint.Port)))`n" +
                "print(s.getsockname()[1], s.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT))"
            $job = Start-BpfTrace -Path $SockOps -Cgroup $Cgroup -Set @{ user_timeout_ms = 4321 } -AsJob
            (Get-CgroupLink $Cgroup).AttachType | Should -Be 'cgroup_sock_ops'
            $inside = Invoke-TestChild $connect -Cgroup $Cgroup
            $outside = Invoke-TestChild $connect
            $seen = @(Read-BpfMap -Trace $job -Name connections)
            $job | Stop-Job
        }
        finally { $listener.Stop() }

        $insidePort, $insideTimeout = $inside.Output -split ' '
        $outsidePort, $outsideTimeout = $outside.Output -split ' '
        $insideTimeout | Should -Be 4321 -Because 'the program set TCP_USER_TIMEOUT on the connection once it was established'
        $outsideTimeout | Should -Be 0
        $seen.Key | Should -Be @([uint] $insidePort) -Because 'only the connection made in the cgroup is seen'
        $seen[0].Value | Should -Be ((1 -shl 3) -bor (1 -shl 4)) -Because 'it saw BPF_SOCK_OPS_TCP_CONNECT_CB (3) and ACTIVE_ESTABLISHED_CB (4)'
        [uint] $outsidePort | Should -Not -Be ([uint] $insidePort)
    }

    It 'detaches when -Duration ends the trace in the foreground' {
        Start-BpfTrace -Path $Connect4 -Cgroup $Cgroup -Set @{ refused_port = 1 } -Duration 00:00:00.3 | Should -BeNullOrEmpty
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty
    }
}

Describe 'Start-BpfTrace -Path -Cgroup: socket map programs' -Skip:(-not $IsRoot -or -not $HasCgroup2) {
    It 'an sk_msg program on the sockhash a sockops program fills counts the bytes of each message a child of the cgroup sends, drops the marked one, and is gone when the trace ends' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try {
            $send = "import socket; s = socket.socket(); s.connect(('127.0.0.1', $($listener.LocalEndpoint.Port)))`n" +
                "for m in (b'hello', b'hello', b'hello', b'!dropped'):`n  try: print('sent', s.send(m))`n  except OSError as e: print('errno', e.errno)"
            $job = Start-BpfTrace -Path $SockMap -Cgroup $Cgroup -Set @{ drop_first_byte = [int][char]'!' } -AsJob
            $ids = @((Get-BpfProgram | Where-Object Name -in 'count_messages', 'add_connections').Id)
            $inside = Invoke-TestChild $send -Cgroup $Cgroup
            $outside = Invoke-TestChild $send
            $received = @(Receive-Connections $listener)
            $counted = Read-BpfMap -Trace $job -Name bytes
            $job | Stop-Job
        }
        finally { $listener.Stop() }

        $ids.Count | Should -Be 2
        $inside.Output | Should -Be @('sent 5', 'sent 5', 'sent 5', 'errno 13') -Because 'SK_DROP fails the sendmsg with EACCES'
        $outside.Output | Should -Be @('sent 5', 'sent 5', 'sent 5', 'sent 8') -Because 'the connection made outside the cgroup is in no sockhash'
        $received | Should -Be @('hellohellohello', 'hellohellohello!dropped')
        ($counted | Where-Object Key -eq 0).Value | Should -Be 15 -Because 'three messages of 5 bytes passed'
        ($counted | Where-Object Key -eq 1).Value | Should -Be 3
        ($counted | Where-Object Key -eq 2).Value | Should -Be 1
        Get-LoadedProgramId $ids | Should -BeNullOrEmpty -Because 'the trace took its programs and the sockhash with it'
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty
    }
}

Describe 'Start-BpfTrace -Path -Interface' -Skip:(-not $IsRoot) {
    It 'a tc egress program drops ICMP leaving a veth, while TCP passes, and is gone when the trace ends' {
        if (-not (Get-BpfFeature -Name Tcx).Supported) { Set-ItResult -Skipped -Because 'this kernel has no tcx (Get-BpfFeature -Name Tcx)' ; return }
        Test-Ping $Network | Should -Be 2 -Because 'the veth pair works before the trace'
        $job = Start-BpfTrace -Path $TcDrop -Interface $Network.Interface -AsJob
        $link = Get-BpfLink -Type tcx | Where-Object Target -eq $Network.Interface
        $link.AttachType | Should -Be 'tcx_egress'
        $pinged = Send-EchoRequest $Network -Count 3
        $tcp = Test-TcpRefused $Network
        $counted = Read-BpfMap -Trace $job -Name packets
        $job | Stop-Job

        $pinged | Should -Be @('dropped', 'dropped', 'dropped') -Because 'the kernel tells the sender of each packet tc dropped (ENOBUFS)'
        $tcp | Should -BeTrue -Because 'the SYN went out and the peer answered with a reset'
        ($counted | Where-Object Key -eq 0).Value | Should -Be 3 -Because 'the 3 echo requests, and nothing else, were dropped'
        ($counted | Where-Object Key -eq 1).Value | Should -BeGreaterThan 0
        Get-BpfLink -Type tcx | Where-Object Target -eq $Network.Interface | Should -BeNullOrEmpty
        Test-Ping $Network | Should -Be 2
    }

    It 'attaches a SEC("tc") program, whose section says no direction, the way -Direction says' {
        if (-not (Get-BpfFeature -Name Tcx).Supported) { Set-ItResult -Skipped -Because 'this kernel has no tcx (Get-BpfFeature -Name Tcx)' ; return }
        # the fixture as libbpf's own examples write a tc program: SEC("tc")
        $source = [System.IO.File]::ReadAllText("$PSScriptRoot/fixtures/tc-drop-protocol.bpf.c").Replace('SEC("tc/egress")', 'SEC("tc")')
        $object = Build-Source 'tc-plain' $source
        $job = Start-BpfTrace -Path $object -Interface $Network.Interface -Direction Egress -AsJob
        $attached = (Get-BpfLink -Type tcx | Where-Object Target -eq $Network.Interface).AttachType
        $pinged = Send-EchoRequest $Network -Count 3
        $job | Stop-Job
        $job = Start-BpfTrace -Path $object -Interface $Network.Interface -Direction Ingress -AsJob
        $ingress = (Get-BpfLink -Type tcx | Where-Object Target -eq $Network.Interface).AttachType
        $job | Stop-Job

        $attached | Should -Be 'tcx_egress'
        $pinged | Should -Be @('dropped', 'dropped', 'dropped')
        $ingress | Should -Be 'tcx_ingress'
        Get-BpfLink -Type tcx | Where-Object Target -eq $Network.Interface | Should -BeNullOrEmpty
    }
}

Describe 'Start-BpfTrace -Path -Cgroup/-Interface errors' -Skip:(-not $IsRoot -or -not $HasCgroup2) {
    BeforeAll {
        $Held = @(Get-OurProgram)
    }

    It 'refuses a cgroup program without -Cgroup, and a tc program without -Interface, before loading anything' {
        $e = { Start-BpfTrace -Path $CgroupSkb -Count 1 } | Should -Throw -ErrorId 'BpfAttachTargetMissing,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.Exception.Message | Should -BeLike "*'egress_by_port' (SEC(`"cgroup_skb/egress`")) of 'cgroup-skb-port' attaches to a cgroup*"
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*-Cgroup*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e = { Start-BpfTrace -Path $TcDrop -Cgroup $Cgroup -Count 1 -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'BpfAttachTargetMissing,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*-Interface*'
    }

    It 'refuses <Case> with <Id>' -ForEach @(
        @{ Case = 'a directory that is not a cgroup v2 one'; Cgroup = '/tmp'; Id = 'CgroupNotV2' }
        @{ Case = 'a cgroup that does not exist'; Cgroup = 'ebpfps-no-such-cgroup'; Id = 'CgroupNotFound' }
        @{ Case = 'a file'; Cgroup = '/etc/hostname'; Id = 'CgroupNotADirectory' }
    ) {
        $e = { Start-BpfTrace -Path $CgroupSkb -Cgroup $Cgroup -Count 1 } | Should -Throw -ErrorId "$Id,EbpfPS.Commands.StartBpfTraceCommand" -PassThru
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'refuses an interface that does not exist' {
        { Start-BpfTrace -Path $TcDrop -Interface ebpfps-none -Count 1 } | Should -Throw -ErrorId 'InterfaceNotFound,EbpfPS.Commands.StartBpfTraceCommand'
    }

    It 'refuses a tc section that does not say ingress or egress' {
        $object = Build-Source 'tc-undirected' @'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
SEC("tc")
int pass_all(struct __sk_buff *skb) { return 0; }
char LICENSE[] SEC("license") = "GPL";
'@
        $e = { Start-BpfTrace -Path $object -Interface $Network.Interface -Count 1 } | Should -Throw -ErrorId 'TcDirectionMissing,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*-Direction Ingress*-Direction Egress*tc/ingress*tc/egress*'
    }

    It 'warns that -Direction is not used by an object whose tc sections say their direction' {
        $job = Start-BpfTrace -Path $TcDrop -Interface $Network.Interface -Direction Ingress -AsJob -WarningVariable warned -WarningAction SilentlyContinue
        $job | Stop-Job
        $warned | Should -BeLike "*-Direction Ingress is not used*"
    }

    It 'refuses <Case> with <Id>, naming <Hint>' -ForEach @(
        @{ Case = 'an object of several socket maps without -SocketMap'; Maps = 'first', 'second'; Section = 'sk_msg'; Id = 'SocketMapAmbiguous'; Hint = 'Say which with -SocketMap: first, second.' }
        @{ Case = 'a -SocketMap the object does not have'; Maps = 'first', 'second'; Section = 'sk_msg'; SocketMap = 'third'; Id = 'SocketMapNotFound'; Hint = 'Give one of its socket maps: first, second.' }
        @{ Case = 'an sk_msg program without a socket map'; Maps = @(); Section = 'sk_msg'; Id = 'SocketMapNotFound'; Hint = '*BPF_MAP_TYPE_SOCKHASH*' }
        @{ Case = 'an sk_skb section that does not say how it attaches'; Maps = 'first'; Section = 'sk_skb'; Id = 'SocketMapAttachTypeMissing'; Hint = '*sk_skb/stream_parser*sk_skb/stream_verdict*sk_skb/verdict*' }
    ) {
        $object = Build-SocketMapSource $Section $Maps
        $named = if ($SocketMap) { @{ SocketMap = $SocketMap } } else { @{} }
        $e = { Start-BpfTrace -Path $object @named -Count 1 } | Should -Throw -ErrorId "$Id,EbpfPS.Commands.StartBpfTraceCommand" -PassThru
        $e.ErrorDetails.RecommendedAction | Should -BeLike $Hint
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'loads an sk_skb/verdict program (a section libbpf 1.1 does not know) and attaches it to the socket map -SocketMap names' {
        $object = Build-SocketMapSource 'sk_skb/verdict' 'first', 'second'
        $job = Start-BpfTrace -Path $object -SocketMap second -AsJob
        $loaded = Get-BpfProgram | Where-Object Name -eq pass_all
        $job | Stop-Job
        $job.ChildJobs[0].JobStateInfo.Reason | Should -BeNullOrEmpty
        $loaded.Type | Should -Be 'sk_skb'
        Get-LoadedProgramId $loaded.Id | Should -BeNullOrEmpty
    }

    It 'names the program type this kernel lacks' {
        $lirc = Get-BpfFeature -Name lirc_mode2
        if ($lirc.Supported) { Set-ItResult -Skipped -Because 'this kernel loads lirc_mode2 programs: no program type here is missing' ; return }
        $object = Build-Source 'lirc' @'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
SEC("lirc_mode2")
int decode(unsigned int *sample) { return 0; }
char LICENSE[] SEC("license") = "GPL";
'@
        $e = { Start-BpfTrace -Path $object -Count 1 } | Should -Throw -ErrorId 'BpfProgramTypeNotSupported,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.Exception.Message | Should -BeLike '*does not load lirc_mode2 programs*decode*'
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*Get-BpfFeature -Name lirc_mode2*'
        $e.CategoryInfo.Category | Should -Be 'NotImplemented'
    }

    It 'shows the verifier log of a rejected cgroup program and attaches nothing' {
        $object = Build-Source 'cgroup-rejected' @'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } counts SEC(".maps");
SEC("cgroup_skb/ingress")
int unchecked(struct __sk_buff *skb) { __u32 key = 0; __u64 *v = bpf_map_lookup_elem(&counts, &key); *v += 1; return 1; }
char LICENSE[] SEC("license") = "GPL";
'@
        # (-Duration: were it loaded, no event would ever end the trace)
        $e = { Start-BpfTrace -Path $object -Cgroup $Cgroup -Duration 00:00:02 } | Should -Throw -ErrorId 'BpfVerifierRejected,EbpfPS.Commands.StartBpfTraceCommand' -PassThru
        $e.ErrorDetails.Message | Should -Match "invalid mem access 'map_value_or_null'"
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty
    }

    It 'warns when -Cgroup or -Interface is given and no program attaches there' {
        Start-BpfTrace -Path $Connect4 -Cgroup $Cgroup -Interface $Network.Interface -Set @{ refused_port = 1 } -Duration 00:00:00.1 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*No program of 'connect4-refuse' attaches to an interface*-Interface $($Network.Interface) is not used*"
    }

    It 'leaves nothing loaded after all of that' {
        Assert-NothingLeft $Held
    }
}
