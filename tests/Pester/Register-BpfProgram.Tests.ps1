#Requires -Version 7.4
# Register-BpfProgram, Get-BpfRegistration and Unregister-BpfProgram: a user's cgroup and tc programs registered by
# one pwsh that then exits, checked on real connections and packets and from other processes, and unregistered
# without a pin, link or program left. The cgroup and the veth pair are this file's own, always removed.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
    $script:HasCgroup2 = [bool] (Get-Cgroup2Mount)
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    . "$PSScriptRoot/Support/Attach.ps1"
    . "$PSScriptRoot/Support/Pwsh.ps1"
    $HeldAtStart = @(Get-OurProgram)
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $Work = [System.IO.Directory]::CreateTempSubdirectory('ebpfps-register-').FullName
    $Cgroup = New-TestCgroup "ebpfps-register-$PID"
    $Network = New-TestVeth "r$PID"
    $Name = "ebpfps-test-$PID"
    $Connect4 = Build-Fixture connect4-refuse
    $TcDrop = Build-Fixture tc-drop-protocol
    $SockMap = Build-Fixture sockmap-count

    function Remove-TestRegistrations {
        Get-BpfRegistration -Name "$Name*" | Unregister-BpfProgram -Confirm:$false
    }

    # The connect of a child in the cgroup, and of one outside, to $Port.
    function Test-Connect([int] $Port) {
        $connect = "import socket; s = socket.socket()`ntry: s.connect(('127.0.0.1', $Port)); print('connected')`nexcept OSError as e: print('errno', e.errno)"
        (Invoke-TestChild $connect -Cgroup $Cgroup).Output, (Invoke-TestChild $connect).Output
    }
}

AfterAll {
    Remove-TestRegistrations
    Remove-TestVeth $Network
    Remove-TestCgroup $Cgroup
    [System.IO.Directory]::Delete($Work, $true)
    Assert-NothingLeft $HeldAtStart
}

Describe 'Register-BpfProgram' -Skip:(-not $IsRoot -or -not $HasCgroup2) {
    AfterEach { Remove-TestRegistrations }

    It 'keeps a cgroup/connect4 program attached after the registering pwsh exits, and Unregister leaves nothing behind' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $registered = Invoke-OtherPwsh "Register-BpfProgram -Path '$Connect4' -Cgroup '$Cgroup' -Name $Name -Set @{ refused_port = $port } | ConvertTo-Json -Compress" | ConvertFrom-Json

            $inside, $outside = Test-Connect $port
            $inside | Should -Be 'errno 1' -Because 'the registration outlived the pwsh that made it'
            $outside | Should -Be 'connected'

            # seen from another process: where the program is attached, and by which registration
            $seen = Invoke-OtherPwsh "Get-BpfProgram -Id $($registered.ProgramIds[0]) | Select-Object Name, Registration, AttachedTo | ConvertTo-Json -Compress" | ConvertFrom-Json
            $seen.Name | Should -Be 'refuse_port'
            $seen.Registration | Should -Be $Name
            $seen.AttachedTo | Should -Be @("cgroup_inet4_connect $Cgroup")
            $registration = Get-BpfRegistration -Name $Name
            $registration.Attachments | Should -Be @("refuse_port -> cgroup_inet4_connect $Cgroup")
            $registration.Maps | Should -Be @('connect4_rodata', 'refused')
            (Read-BpfMap -Path "$($registration.PinPath)/maps/refused").Value | Should -Be 1
            # lists as their items in Export-Csv (not System.String[]), for an inventory across hosts
            $program = Get-BpfProgram -Id $registered.ProgramIds[0]
            $row = $program | ConvertTo-Csv | ConvertFrom-Csv
            $row.MapIds | Should -BeExactly ($program.MapIds -join ', ')
            $row.PinnedPaths | Should -BeExactly "$($registration.PinPath)/programs/refuse_port"
            $row.AttachedTo | Should -BeExactly "cgroup_inet4_connect $Cgroup"
            ($registration | ConvertTo-Csv | ConvertFrom-Csv).Maps | Should -BeExactly 'connect4_rodata, refused'

            # unregistered through the programs piped in
            Get-BpfProgram | Where-Object Registration -eq $Name | Unregister-BpfProgram -Confirm:$false
            $inside, $outside = Test-Connect $port
        }
        finally { $listener.Stop() }

        $inside | Should -Be 'connected'
        $registration.PinPath | Should -Not -Exist
        '/sys/fs/bpf/ebpfps/registered' | Should -Not -Exist -Because 'the last registration takes its folder with it'
        Get-LoadedProgramId $registered.ProgramIds | Should -BeNullOrEmpty
        Get-BpfLink | Where-Object Id -in $registered.LinkIds | Should -BeNullOrEmpty
        Get-BpfMap | Where-Object Id -in $registered.MapIds | Should -BeNullOrEmpty
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty
    }

    It 'keeps a tc egress program dropping ICMP on a veth until it is unregistered' {
        if (-not (Get-BpfFeature -Name Tcx).Supported) { Set-ItResult -Skipped -Because 'this kernel has no tcx (Get-BpfFeature -Name Tcx)' ; return }
        $registered = Invoke-OtherPwsh "Register-BpfProgram -Path '$TcDrop' -Interface $($Network.Interface) -Name $Name-tc | ConvertTo-Json -Compress" | ConvertFrom-Json
        $registered.Attachments | Should -Be @("drop_protocol_egress -> tcx_egress $($Network.Interface)")

        Send-EchoRequest $Network -Count 2 | Should -Be @('dropped', 'dropped')
        Test-TcpRefused $Network | Should -BeTrue
        (Read-BpfMap -Path "$($registered.PinPath)/maps/packets" | Where-Object Key -eq 0).Value | Should -Be 2
        Invoke-OtherPwsh "Unregister-BpfProgram -Name $Name-tc -Confirm:`$false"

        Test-Ping $Network | Should -Be 2
        Get-LoadedProgramId $registered.ProgramIds | Should -BeNullOrEmpty
        $registered.PinPath | Should -Not -Exist
    }

    It 'keeps an sk_msg program on its sockhash counting the messages of the cgroup''s connections until it is unregistered' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try {
            $send = "import socket; s = socket.socket(); s.connect(('127.0.0.1', $($listener.LocalEndpoint.Port)))`nfor _ in range(3): print('sent', s.send(b'hello'))"
            $registered = Invoke-OtherPwsh "Register-BpfProgram -Path '$SockMap' -Cgroup '$Cgroup' -Name $Name-sockmap | ConvertTo-Json -Compress" | ConvertFrom-Json
            $registered.Attachments | Should -Be @("add_connections -> cgroup_sock_ops $Cgroup", 'count_messages -> sk_msg_verdict map sockets')
            $registered.LinkIds.Count | Should -Be 1 -Because 'the sk_msg program is attached to its map by bpf_prog_attach, without a link'
            "$($registered.PinPath)/attachments/count_messages" | Should -Exist
            (Get-BpfProgram -Name count_messages | Where-Object Registration -EQ $Name-sockmap).AttachedTo | Should -Be 'sk_msg_verdict map sockets'

            (Invoke-TestChild $send -Cgroup $Cgroup).Output | Should -Be @('sent 5', 'sent 5', 'sent 5')
            $counted = Read-BpfMap -Path "$($registered.PinPath)/maps/bytes"
            Invoke-OtherPwsh "Unregister-BpfProgram -Name $Name-sockmap -Confirm:`$false"
        }
        finally { $listener.Stop() }

        ($counted | Where-Object Key -eq 0).Value | Should -Be 15
        ($counted | Where-Object Key -eq 1).Value | Should -Be 3
        Get-LoadedProgramId $registered.ProgramIds | Should -BeNullOrEmpty
        Get-BpfMap | Where-Object Id -in $registered.MapIds | Should -BeNullOrEmpty
        $registered.PinPath | Should -Not -Exist
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty
    }

    It 'shows an attachment record it cannot read, and refuses to unregister with it, changing nothing' {
        $registered = Invoke-OtherPwsh "Register-BpfProgram -Path '$SockMap' -Cgroup '$Cgroup' -Name $Name-record | ConvertTo-Json -Compress" | ConvertFrom-Json
        $record = "$($registered.PinPath)/attachments/count_messages"
        $written = (Get-Item $record).LinkTarget
        # as another version of EbpfPS might write it
        Remove-Item $record
        $null = New-Item -ItemType SymbolicLink -Path $record -Target 'sockmap-v9 map=sockets'

        (Get-BpfRegistration -Name $Name-record).Attachments | Should -Contain "count_messages -> unreadable record 'sockmap-v9 map=sockets'"
        Unregister-BpfProgram -Name $Name-record -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.FullyQualifiedErrorId | Should -BeLike 'BpfRegistrationRecordInvalid,*'
        $failed.ErrorDetails.RecommendedAction | Should -BeLike "*Remove-Item $record*"
        $registered.PinPath | Should -Exist -Because 'nothing was undone'
        Get-LoadedProgramId $registered.ProgramIds | Should -HaveCount 2

        Remove-Item $record
        $null = New-Item -ItemType SymbolicLink -Path $record -Target $written
        Unregister-BpfProgram -Name $Name-record -Confirm:$false
        Get-LoadedProgramId $registered.ProgramIds | Should -BeNullOrEmpty
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        Register-BpfProgram -Path $Connect4 -Cgroup $Cgroup -Name $Name -WhatIf
        Unregister-BpfProgram -Name $Name -WhatIf -ErrorAction SilentlyContinue
        "/sys/fs/bpf/ebpfps/registered/$Name" | Should -Not -Exist
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty
    }
}

Describe 'Register-BpfProgram errors' -Skip:(-not $IsRoot -or -not $HasCgroup2) {
    AfterEach { Remove-TestRegistrations }

    It 'refuses a name taken already, a name bpffs cannot hold and an unknown name' {
        $null = Register-BpfProgram -Path $Connect4 -Cgroup $Cgroup -Name $Name -Set @{ refused_port = 1 }
        { Register-BpfProgram -Path $Connect4 -Cgroup $Cgroup -Name $Name -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfRegistrationExists,EbpfPS.Commands.RegisterBpfProgramCommand'
        (Get-CgroupLink $Cgroup).Count | Should -Be 1 -Because 'the refused registration attached nothing'
        $e = { Register-BpfProgram -Path $Connect4 -Cgroup $Cgroup -Name 'a.b' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRegistrationName,EbpfPS.Commands.RegisterBpfProgramCommand' -PassThru
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*letters, digits*'
        { Unregister-BpfProgram -Name "$Name-none" -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfRegistrationNotFound,EbpfPS.Commands.UnregisterBpfProgramCommand'
    }

    It 'warns of what it was given that no program of the object uses, as Start-BpfTrace does' {
        $null = Register-BpfProgram -Path $Connect4 -Cgroup $Cgroup -Interface $Network.Interface -Direction Egress -Frequency 49 -Name $Name-warn `
            -Set @{ refused_port = 1 } -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings | ForEach-Object { "$_" -replace ':.*' }) | Should -Be @(
            "No tc program of 'connect4-refuse' leaves its direction to -Direction (SEC(`"tc`") or SEC(`"classifier`"))"
            "No program of 'connect4-refuse' attaches to an interface (xdp, tc/ingress, tc/egress sections)"
            "No program of 'connect4-refuse' samples CPU clock events (perf_event sections)")
        (Get-BpfRegistration -Name $Name-warn).Attachments | Should -Be @("refuse_port -> cgroup_inet4_connect $Cgroup")
    }

    It 'unregisters several names at once, and what a wildcard matches' {
        foreach ($each in 'a', 'b', 'c') { $null = Register-BpfProgram -Path $Connect4 -Cgroup $Cgroup -Name "$Name-$each" -Set @{ refused_port = 1 } }
        (Get-CgroupLink $Cgroup).Count | Should -Be 3

        Unregister-BpfProgram -Name "$Name-a", "$Name-b" -Confirm:$false
        (Get-BpfRegistration -Name "$Name-*").Name | Should -Be "$Name-c"
        (Get-CgroupLink $Cgroup).Count | Should -Be 1

        Unregister-BpfProgram -Name "$Name-*", "$Name-none*" -Confirm:$false -ErrorVariable failed
        $failed | Should -BeNullOrEmpty -Because 'a pattern that matches nothing is no error'
        Get-BpfRegistration -Name "$Name-*" | Should -BeNullOrEmpty
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty
    }

    It 'refuses a cgroup program without -Cgroup, and pins nothing' {
        { Register-BpfProgram -Path $Connect4 -Name $Name -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfAttachTargetMissing,EbpfPS.Commands.RegisterBpfProgramCommand'
        "/sys/fs/bpf/ebpfps/registered/$Name" | Should -Not -Exist
    }

    It 'takes back what it attached and pinned when a later program cannot attach' {
        # the cgroup program attaches first; the XDP one then finds the interface taken by another registration
        $object = Build-Source 'cgroup-then-xdp' @'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
SEC("cgroup/connect4")
int allow_connect(struct bpf_sock_addr *ctx) { return 1; }
SEC("xdp")
int pass_packets(struct xdp_md *ctx) { return XDP_PASS; }
char LICENSE[] SEC("license") = "GPL";
'@
        $xdpOnly = Build-Source 'xdp-only' @'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
SEC("xdp")
int hold_interface(struct xdp_md *ctx) { return XDP_PASS; }
char LICENSE[] SEC("license") = "GPL";
'@
        $null = Register-BpfProgram -Path $xdpOnly -Interface $Network.Interface -Name "$Name-xdp"
        $held = @(Get-OurProgram)
        { Register-BpfProgram -Path $object -Cgroup $Cgroup -Interface $Network.Interface -Name $Name -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfAttachFailed,EbpfPS.Commands.RegisterBpfProgramCommand'

        "/sys/fs/bpf/ebpfps/registered/$Name" | Should -Not -Exist
        Get-CgroupLink $Cgroup | Should -BeNullOrEmpty -Because 'the cgroup program attached before the failure is detached'
        Get-BpfProgram | Where-Object Name -in 'allow_connect', 'pass_packets' | Should -BeNullOrEmpty
        Assert-NothingLeft $held
    }
}
