#Requires -Version 7.4
# Read-BpfMap, Write-BpfMap, Remove-BpfMapEntry, Get-BpfMap, Get-BpfProgram, Get-BpfLink and Get-BpfFeature on
# the real kernel. The maps are created for the test by bpftool, which then exits (so they are read after their
# creator is gone), filled with known entries, and every read, write and removal is checked against bpftool.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $Repo = [System.IO.Path]::GetFullPath("$PSScriptRoot/../..")

    # bpftool's JSON, as objects (System.Text.Json: the hosted engine has no ConvertFrom-Json).
    function Invoke-Bpftool([string] $Arguments) {
        $text = (& bpftool @($Arguments -split ' ') --json) -join "`n"
        if ($LASTEXITCODE) { throw "bpftool $Arguments failed: $text" }
        $result = ConvertFrom-JsonElement ([System.Text.Json.JsonDocument]::Parse($text).RootElement)
        $result # a list is written item by item, so @(...) of an empty dump is empty
    }

    function ConvertFrom-JsonElement([System.Text.Json.JsonElement] $Element) {
        switch ($Element.ValueKind) {
            'Object' {
                $object = [ordered]@{}
                # bpftool names an anonymous struct member "", which no PowerShell property can be.
                foreach ($property in $Element.EnumerateObject()) { $object[$(if ($property.Name) { $property.Name } else { '(anonymous)' })] = ConvertFrom-JsonElement $property.Value }
                return [pscustomobject] $object
            }
            'Array' { return , @(foreach ($item in $Element.EnumerateArray()) { ConvertFrom-JsonElement $item }) }
            'String' { return $Element.GetString() }
            'Number' { return [decimal]::Parse($Element.GetRawText(), [cultureinfo]::InvariantCulture) }
            'True' { return $true }
            'False' { return $false }
            default { return $null }
        }
    }

    # The hex of bpftool's ["0x0a","0x00"] byte arrays, as KeyHex/ValueHex print it ("0a 00").
    function ConvertFrom-BpftoolBytes($Bytes) { ($Bytes | ForEach-Object { $_.Substring(2) }) -join ' ' }

    # The fixture object of the engine tests, compiled here so that bpftool can load it and pin its maps.
    function New-FixtureObject {
        $object = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "ebpfps-pester-$([guid]::NewGuid().ToString('N')).bpf.o")
        & clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I "$Repo/bpf/vmlinux/x86_64" -I "$Repo/bpf" -c "$Repo/tests/EbpfPS.Tests/Fixtures/maps.bpf.c" -o $object
        if ($LASTEXITCODE) { throw 'clang could not compile the fixture' }
        $object
    }
}

AfterAll {
    Assert-NothingLeft $HeldAtStart
}

Describe 'Map cmdlets on maps that bpftool created and left pinned' -Skip:(-not $IsRoot) {
    BeforeAll {
        $Pins = "/sys/fs/bpf/ebpfps-pester-$([guid]::NewGuid().ToString('N'))"
        [System.IO.Directory]::CreateDirectory($Pins) | Out-Null
        $object = New-FixtureObject
        & bpftool prog loadall $object "$Pins/progs" pinmaps "$Pins/maps"
        [System.IO.File]::Delete($object)
        & bpftool map create "$Pins/raw" type hash key 4 value 8 entries 16 name ebpfps_praw
        $Maps = "$Pins/maps"
    }

    AfterAll {
        if ($Pins -and [System.IO.Directory]::Exists($Pins)) { [System.IO.Directory]::Delete($Pins, $true) }
    }

    It 'describes pinned maps as bpftool does' {
        $map = Get-BpfMap -Path "$Maps/flows"
        $bpftool = Invoke-Bpftool "map show pinned $Maps/flows"

        $map.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfMapInfo'
        $map.Id | Should -Be $bpftool.id
        $map.Name | Should -Be 'flows'
        $map.Type | Should -Be $bpftool.type
        $map.KeySize | Should -Be $bpftool.bytes_key
        $map.ValueSize | Should -Be $bpftool.bytes_value
        $map.MaxEntries | Should -Be $bpftool.max_entries
        $map.BtfId | Should -Be $bpftool.btf_id
        $map.PinnedPaths | Should -Be "$Maps/flows"
        (Get-BpfMap -Path "$Maps/routes4").FlagNames | Should -Be 'no_prealloc'
    }

    It 'writes a struct entry that bpftool reads field by field, and reads it back as an object' {
        Write-BpfMap -Path "$Maps/flows" -Key @{ saddr = 16777226; dport = 443; proto = 6 } -Value @{
            packets = 12; delta = -3; active = $true; comm = 'curl'; color = 'FX_GREEN'; points = @(@{ x = -1; y = 2 }); flag_b = 30 }

        $dumped = @(Invoke-Bpftool "map dump pinned $Maps/flows")
        $dumped.Count | Should -Be 1
        $dumped[0].formatted.key.dport | Should -Be 443
        $dumped[0].formatted.value.comm | Should -Be 'curl'
        $dumped[0].formatted.value.color | Should -Be 'FX_GREEN'
        $dumped[0].formatted.value.delta | Should -Be -3

        $entry = Read-BpfMap -Path "$Maps/flows"
        $entry.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfMapEntry'
        $entry.MapName | Should -Be 'flows'
        $entry.Key.saddr | Should -Be 16777226
        $entry.Key.dport | Should -Be 443
        $entry.Value.packets | Should -Be 12
        $entry.Value.active | Should -BeTrue
        $entry.Value.comm | Should -Be 'curl'
        $entry.Value.color | Should -Be 'FX_GREEN'
        $entry.Value.points[0].x | Should -Be -1
        $entry.Value.points[1].y | Should -Be 0
        $entry.Value.flag_b | Should -Be 30
        $entry.KeyHex | Should -Be (ConvertFrom-BpftoolBytes $dumped[0].key)
    }

    It 'reads one entry by -Key, and says so when the key is missing or of the wrong shape' {
        (Read-BpfMap -Path "$Maps/flows" -Key @{ saddr = 16777226; dport = 443; proto = 6 }).Value.comm | Should -Be 'curl'

        $missing = { Read-BpfMap -Path "$Maps/flows" -Key @{ saddr = 1 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfMapKeyNotFound,EbpfPS.Commands.ReadBpfMapCommand' -PassThru
        $missing.Exception.Message | Should -BeLike '*has no entry with the key*'

        $wrong = { Read-BpfMap -Path "$Maps/flows" -Key @{ dport = 70000 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfMapKeyInvalid,EbpfPS.Commands.ReadBpfMapCommand' -PassThru
        $wrong.Exception.Message | Should -BeLike '*dport: 70000 does not fit in __u16*'
        $wrong.ErrorDetails.RecommendedAction | Should -BeLike '*struct fx_flow_key*hashtable*'
    }

    It 'pipes Get-BpfMap into Read-BpfMap and Read-BpfMap into Remove-BpfMapEntry' {
        Write-BpfMap -Path "$Maps/names" -Key 'bash' -Value 1
        Write-BpfMap -Path "$Maps/names" -Key 'sshd' -Value 22
        $entries = @(Get-BpfMap -Path "$Maps/names" | Read-BpfMap)
        ($entries.Key | Sort-Object) | Should -Be @('bash', 'sshd')

        $entries | Where-Object Key -EQ 'bash' | Remove-BpfMapEntry
        @(Invoke-Bpftool "map dump pinned $Maps/names").formatted.key | Should -Be 'sshd'
    }

    It 'changes nothing with -WhatIf, and removes everything with -All' {
        Write-BpfMap -Path "$Maps/names" -Key 'cron' -Value 3 -WhatIf
        Remove-BpfMapEntry -Path "$Maps/names" -Key 'sshd' -WhatIf
        @(Invoke-Bpftool "map dump pinned $Maps/names").formatted.key | Should -Be 'sshd'

        Remove-BpfMapEntry -Path "$Maps/names" -All -Confirm:$false
        @(Invoke-Bpftool "map dump pinned $Maps/names").Count | Should -Be 0
    }

    It 'gives per-CPU values and their sum' {
        Write-BpfMap -Path "$Maps/cpu_stats" -Key 7 -Value @{ packets = 2; bytes = 100 }
        $cpus = @(Invoke-Bpftool "map dump pinned $Maps/cpu_stats")[0].values.Count

        $entry = Read-BpfMap -Path "$Maps/cpu_stats" -Key 7
        $entry.PerCpuValues.Count | Should -Be $cpus
        $entry.PerCpuValues[0].packets | Should -Be 2
        $entry.Value.packets | Should -Be (2 * $cpus)
        $entry.Value.bytes | Should -Be (100 * $cpus)
        $csv = $entry | ConvertTo-Csv | ConvertFrom-Csv # text, not System.Object[]
        $csv.PerCpuValues | Should -BeExactly ('{' + (@(1..$cpus | ForEach-Object { '@{packets=2; bytes=100}' }) -join ', ') + '}')
        $csv.Value | Should -BeExactly "@{packets=$(2 * $cpus); bytes=$(100 * $cpus)}"

        # Copying the entry keeps each CPU's own value.
        Write-BpfMap -Path "$Maps/cpu_stats" -Key 8 -PerCpuValue @(1..$cpus | ForEach-Object { @{ packets = $_; bytes = 0 } })
        (Read-BpfMap -Path "$Maps/cpu_stats" -Key 8).Value.packets | Should -Be (($cpus * ($cpus + 1)) / 2)
    }

    It 'shows LPM trie keys as prefixes and takes them back' {
        Write-BpfMap -Path "$Maps/routes4" -Key '10.1.0.0/16' -Value 5
        Write-BpfMap -Path "$Maps/routes6" -Key '2001:db8::/32' -Value 6
        $dumped = @(Invoke-Bpftool "map dump pinned $Maps/routes4")[0].formatted.key
        $dumped.prefixlen | Should -Be 16
        $dumped.addr | Should -Be @(10, 1, 0, 0)

        "$((Read-BpfMap -Path "$Maps/routes4").Key)" | Should -Be '10.1.0.0/16'
        (Read-BpfMap -Path "$Maps/routes6").Key.Prefix | Should -Be '2001:db8::/32'
        Remove-BpfMapEntry -Path "$Maps/routes4" -Key '10.1.0.0/16'
        @(Invoke-Bpftool "map dump pinned $Maps/routes4").Count | Should -Be 0
    }

    It 'reads LPM keys with fields before the address as prefix and fields, and takes that text back' {
        # struct fx_lpm_tagged { __u32 prefixlen; __u8 zone, family; __u16 reserved; __u8 address[16]; }
        Write-BpfMap -Path "$Maps/routes_tagged" -Key '203.0.113.0/24' -Value 1
        Write-BpfMap -Path "$Maps/routes_tagged" -Key '2001:db8::/32 zone=3' -Value 2
        Write-BpfMap -Path "$Maps/routes_tagged" -Key 'prefixlen=8 zone=7' -Value 3
        $dumped = @(Invoke-Bpftool "map dump pinned $Maps/routes_tagged") | Where-Object { $_.formatted.key.family -eq 4 }
        $dumped.formatted.key.prefixlen | Should -Be 56 # 32 bits of zone, family and reserved, then 24 of the address
        $dumped.formatted.key.address[0..3] | Should -Be @(203, 0, 113, 0)

        $entries = @(Read-BpfMap -Path "$Maps/routes_tagged" | Sort-Object Value)
        $entries.Key.Prefix | Should -Be @('203.0.113.0/24', '2001:db8::/32 zone=3', 'prefixlen=8 zone=7')
        $entries[0].Key.Address | Should -Be '203.0.113.0'
        $entries[0].Key.AddressPrefixLength | Should -Be 24
        $entries[1].Key.Fields.zone | Should -Be 3
        $lines = ($entries | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() }
        $lines | Should -Be @('Key                  Value', '---                  -----', '203.0.113.0/24       1', '2001:db8::/32 zone=3 2', 'prefixlen=8 zone=7   3')

        # What Read-BpfMap printed is a key for Read-BpfMap, Write-BpfMap and Remove-BpfMapEntry.
        (Read-BpfMap -Path "$Maps/routes_tagged" -Key '2001:db8::/32 zone=3').Value | Should -Be 2
        Remove-BpfMapEntry -Path "$Maps/routes_tagged" -Key '2001:db8::/32 zone=3'
        $entries | Where-Object Value -EQ 3 | Remove-BpfMapEntry
        @(Read-BpfMap -Path "$Maps/routes_tagged").Key.Prefix | Should -Be '203.0.113.0/24'

        $bad = { Write-BpfMap -Path "$Maps/routes_tagged" -Key '10.0.0.0/8 color=1' -Value 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfMapKeyInvalid,EbpfPS.Commands.WriteBpfMapCommand' -PassThru
        $bad.Exception.Message | Should -BeLike "*has no field 'color'; its fields are prefixlen, zone, family, reserved*"
        $bad.ErrorDetails.RecommendedAction | Should -BeLike "*'10.1.0.0/16 zone=1'*"
    }

    It 'shows nested structs, arrays, addresses and bytes by their content, navigable, exported as text' {
        # struct fx_rule { __u8 source_family; __u8 source[16]; __u8 dst[4]; __u8 mac[6]; __u64 words[4]; struct fx_point corners[2]; }
        Write-BpfMap -Path "$Maps/rules" -Key 1 -Value @{
            source_family = 4; source = '203.0.113.7'; dst = '10.0.0.1'; mac = '02:fc:00:00:00:01'; words = 5, 0, 0, 9; corners = @{ x = -1; y = 2 }, @{ x = 3; y = 4 } }
        $dumped = @(Invoke-Bpftool "map dump pinned $Maps/rules")[0].formatted.value
        $dumped.source[0..4] | Should -Be @(203, 0, 113, 7, 0)
        $dumped.words | Should -Be @(5, 0, 0, 9)

        $entry = Read-BpfMap -Path "$Maps/rules" -Key 1
        $entry.Value.source | Should -Be '203.0.113.7' # IPv4 in 16 bytes, as source_family says
        $entry.Value.dst | Should -Be '10.0.0.1'
        $entry.Value.mac | Should -Be '02 fc 00 00 00 01'
        $entry.Value.words[3] | Should -Be 9
        $entry.Value.corners[1].y | Should -Be 4
        $text = '@{source_family=4; source=203.0.113.7; dst=10.0.0.1; mac=02 fc 00 00 00 01; words={5, 0, 0, 9}; corners={@{x=-1; y=2}, @{x=3; y=4}}}'
        "$($entry.Value)" | Should -BeExactly $text

        $lines = ($entry | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() }
        $lines | Should -Be @('Key Value', '--- -----', ('1   ' + $text.Substring(0, 75) + '…'))
        ($entry | ConvertTo-Csv | ConvertFrom-Csv).Value | Should -BeExactly $text
        $json = $entry | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json.Value.source | Should -Be '203.0.113.7'
        $json.Value.mac | Should -Be '02 fc 00 00 00 01'
        $json.Value.corners[0].x | Should -Be -1
        $json.Key | Should -Be 1

        # The entry read is an entry to write: the same bytes come back.
        Write-BpfMap -Path "$Maps/rules" -Key 2 -Value $entry.Value
        (Read-BpfMap -Path "$Maps/rules" -Key 2).ValueHex | Should -Be $entry.ValueHex
        $entry | Write-BpfMap -Path "$Maps/rules"
        (Read-BpfMap -Path "$Maps/rules" -Key 1).ValueHex | Should -Be $entry.ValueHex
    }

    It 'reads and writes a map without BTF as bytes, as bpftool shows them' {
        & bpftool map update pinned "$Pins/raw" key hex 01 02 03 04 value hex 0a 0b 0c 0d 0e 0f 10 11
        Write-BpfMap -Path "$Pins/raw" -Key 7 -Value 'ff 00 ff 00 ff 00 ff 00'
        $dumped = @(Invoke-Bpftool "map dump pinned $Pins/raw")
        $entries = @(Read-BpfMap -Path "$Pins/raw")

        $entries.Count | Should -Be 2
        foreach ($entry in $entries) {
            $entry.Key | Should -BeExactly $entry.KeyHex # bytes without BTF read as hex text, which Write-BpfMap takes back
            $match = $dumped | Where-Object { (ConvertFrom-BpftoolBytes $_.key) -eq $entry.KeyHex }
            $entry.ValueHex | Should -Be (ConvertFrom-BpftoolBytes $match.value)
        }
        ($entries | Where-Object KeyHex -EQ '07 00 00 00').ValueHex | Should -Be 'ff 00 ff 00 ff 00 ff 00'
    }

    It 'explains that ring buffers and perf arrays are streams' {
        $stream = { Read-BpfMap -Path "$Maps/events" -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfMapIsStream,EbpfPS.Commands.ReadBpfMapCommand' -PassThru
        $stream.ErrorDetails.RecommendedAction | Should -BeLike '*Start-BpfTrace*'
        { Read-BpfMap -Path "$Maps/perf_events" -ErrorAction Stop } | Should -Throw -ErrorId 'BpfMapIsStream,EbpfPS.Commands.ReadBpfMapCommand'
        # before: "1 does not fit in 0 bytes (0 to -1)"
        $write = { Write-BpfMap -Path "$Maps/events" -Key 1 -Value 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfMapIsStream,EbpfPS.Commands.WriteBpfMapCommand' -PassThru
        $write.Exception.Message | Should -BeLike '*ringbuf*takes no entries*'
        $write.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $write.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        # before: Remove-BpfMapEntry recommended "Write to a hash or array map"
        $remove = { Remove-BpfMapEntry -Path "$Maps/events" -Key 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'BpfMapIsStream,EbpfPS.Commands.RemoveBpfMapEntryCommand' -PassThru
        $remove.Exception.Message | Should -BeLike '*ringbuf*has no entries to remove*'
        $remove.ErrorDetails.RecommendedAction | Should -BeLike '*go once they are read*Start-BpfTrace*'
        $remove.ErrorDetails.RecommendedAction | Should -Not -BeLike '*Write*'
    }

    It 'refuses to change a frozen map, and says why' {
        # checked through bpftool, not through the cmdlets under test
        $before = (& bpftool map dump pinned "$Maps/counts" --json) -join ''
        & bpftool map freeze pinned "$Maps/counts"
        (Invoke-Bpftool "map show pinned $Maps/counts").frozen | Should -Be 1
        $frozen = { Write-BpfMap -Path "$Maps/counts" -Key 1 -Value 2 } |
            Should -Throw -ErrorId 'BpfMapReadOnly,EbpfPS.Commands.WriteBpfMapCommand' -PassThru
        $frozen.Exception.Message | Should -BeLike '*frozen*'
        (& bpftool map dump pinned "$Maps/counts" --json) -join '' | Should -Be $before
    }

    It 'describes a pinned program as bpftool does' {
        $program = Get-BpfProgram -Path "$Pins/progs/fx_noop"
        $bpftool = Invoke-Bpftool "prog show pinned $Pins/progs/fx_noop"
        $program.Id | Should -Be $bpftool.id
        $program.Type | Should -Be $bpftool.type
        $program.Tag | Should -Be $bpftool.tag
        $program.MapIds | Should -Be $bpftool.map_ids
        $program.MapIds.Length | Should -Be $bpftool.map_ids.Count -Because 'Length counts the ids, as it did when MapIds was an array'
        $program.PinnedPaths | Should -Be "$Pins/progs/fx_noop"
    }

    It 'keeps entries whole through remoting serialization' {
        Write-BpfMap -Path "$Maps/recent" -Key 42 -Value FX_BLUE
        $entry = Read-BpfMap -Path "$Maps/recent" -Key 42
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($entry))
        $copy.PSObject.TypeNames | Should -Contain 'Deserialized.EbpfPS.BpfMapEntry'
        $copy.Key | Should -Be 42
        $copy.Value | Should -Be 'FX_BLUE'
        $copy.KeyHex | Should -Be '2a 00 00 00 00 00 00 00'
    }

    It 'prints entries as a Key/Value table' {
        $text = Read-BpfMap -Path "$Maps/recent" | Out-String
        $text | Should -Match 'Key\s+Value'
        $text | Should -Match '42\s+FX_BLUE'
    }
}

Describe "Map cmdlets on the XDP filter's own maps" -Skip:(-not $IsRoot) {
    BeforeAll {
        $If = "ebm$([System.Environment]::ProcessId % 100000)"
        & ip link add $If type veth peer name "$($If)p"
        & ip link set $If up
        Add-BpfXdpFilter -Interface $If -Protocol Tcp -SourceAddress 203.0.113.0/24 -DestinationPort 8081 -Action Drop -Confirm:$false | Out-Null
        $Pins = "/sys/fs/bpf/ebpfps/$If"
    }

    AfterAll {
        if ([System.IO.Directory]::Exists("/sys/fs/bpf/ebpfps/$If")) { Remove-BpfXdpFilter -Interface $If -Confirm:$false }
        & ip link del $If
    }

    It 'shows the prefix trie by address prefix and takes the text it shows, and rules with their addresses' {
        $generation = (Read-BpfMap -Path "$Pins/xdpf_state" -Key 0).Value.generation
        $live = '203.0.113.0/24' + $(if ($generation) { " generation=$generation" })
        $entry = Read-BpfMap -Path "$Pins/xdpf_prefixes" | Where-Object { "$($_.Key)" -eq $live }
        $entry.Key.PrefixLength | Should -Be 56 # generation, direction, family and reserved, then 24 address bits
        $entry.Value.words | Should -Be @(1, 0, 0, 0) # bit 0: the rule of priority 0

        # The text Read-BpfMap shows, written back as it is, and a key of its own added and removed.
        Write-BpfMap -Path "$Pins/xdpf_prefixes" -Key $live -Value $entry.Value
        Write-BpfMap -Path "$Pins/xdpf_prefixes" -Key 198.51.100.0/24 -Value @{ words = 0, 0, 0, 0 }
        (Read-BpfMap -Path "$Pins/xdpf_prefixes" -Key 198.51.100.0/24).Value.words | Should -Be @(0, 0, 0, 0)
        Remove-BpfMapEntry -Path "$Pins/xdpf_prefixes" -Key 198.51.100.0/24
        { Read-BpfMap -Path "$Pins/xdpf_prefixes" -Key 198.51.100.0/24 -ErrorAction Stop } | Should -Throw -ErrorId 'BpfMapKeyNotFound,EbpfPS.Commands.ReadBpfMapCommand'
        (Read-BpfMap -Path "$Pins/xdpf_prefixes" -Key $live).ValueHex | Should -Be $entry.ValueHex

        $lines = ($entry | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() }
        $lines[2] | Should -BeExactly ($live.PadRight($lines[0].IndexOf('Value')) + '@{words={1, 0, 0, 0}}')

        $rule = (Read-BpfMap -Path "$Pins/xdpf_rules" | Where-Object { $_.Value.id -eq 1 }).Value
        $rule.source | Should -Be '203.0.113.0'
        $rule.source_prefixlen | Should -Be 24
        $rule.destination_port | Should -Be 8081
        "$rule" | Should -BeLike '@{id=1; action=1; flags=5; protocol=6; source_family=4; *source=203.0.113.0; destination=::; added_unix_ms=*}'
    }
}

Describe 'Map cmdlets on a running trace' -Skip:(-not $IsRoot) {
    It 'reads the maps of Start-BpfTrace -AsJob by name while it runs, and leaves nothing loaded after' {
        # the job's trace runs in this process: its programs are those this process holds that it did not before
        $before = Get-OurProgramId
        $job = Start-BpfTrace -Syscall getppid -AsJob
        $mine = @(Get-OurProgramId | Where-Object { $_ -notin $before })
        try {
            $mine | Should -Not -BeNullOrEmpty
            $job.Trace.MapNames | Should -Contain 'by_nr'
            # the raw tracepoints' table of traced syscalls by number: getppid is 110 on x86-64
            $entries = @(Read-BpfMap -Trace $job -Name by_nr | Where-Object { $_.Value.enter_id })
            $entries.Key | Should -Be 110
            $entries[0].Value.PSObject.Properties.Name | Should -Contain 'arg_count'
            (Read-BpfMap -Trace $job.Trace -Name lost).PerCpuValues.Count | Should -BeGreaterThan 0
            { Read-BpfMap -Trace $job -Name nope -ErrorAction Stop } | Should -Throw -ErrorId 'BpfMapNotFound,EbpfPS.Commands.ReadBpfMapCommand'
        }
        finally {
            $job | Stop-Job
        }
        { Read-BpfMap -Trace $job -Name lost -ErrorAction Stop } | Should -Throw -ErrorId 'TraceEnded,EbpfPS.Commands.ReadBpfMapCommand'
        $job | Remove-Job
        Get-LoadedProgramId $mine | Should -BeNullOrEmpty
    }

    It 'refuses a -Trace that is not a trace' {
        { Read-BpfMap -Trace 'nothing' -Name counts } | Should -Throw -ErrorId 'BpfTraceExpected,EbpfPS.Commands.ReadBpfMapCommand'
    }
}

Describe 'Introspection and features' -Skip:(-not $IsRoot) {
    It 'lists what bpftool lists, a map of its own among them' {
        $pins = "/sys/fs/bpf/ebpfps-pester-$([guid]::NewGuid().ToString('N'))"
        [System.IO.Directory]::CreateDirectory($pins) | Out-Null
        try {
            & bpftool map create "$pins/listed" type array key 4 value 4 entries 1 name ebpfps_listed
            $created = (Invoke-Bpftool "map show pinned $pins/listed").id
            # other processes create and free maps meanwhile: a listing taken between two of bpftool's has every
            # map of both, and otherwise only maps of both or created after the first (ids grow)
            $before = @(Invoke-Bpftool 'map list').id
            $ours = @(Get-BpfMap).Id
            $after = @(Invoke-Bpftool 'map list').id
            $ours | Should -Contain $created
            $throughout = @($before | Where-Object { $_ -in $after })
            $throughout | Where-Object { $_ -notin $ours } | Should -BeNullOrEmpty -Because 'a map that existed throughout is listed'
            $newest = ($before | Measure-Object -Maximum).Maximum
            $ours | Where-Object { $_ -notin $before -and $_ -notin $after -and $_ -le $newest } | Should -BeNullOrEmpty -Because 'every map listed exists'
            $ours.Count | Should -Be (@($ours | Sort-Object -Unique).Count) -Because 'each map is listed once'
        }
        finally { [System.IO.Directory]::Delete($pins, $true) }
    }

    It 'lists the links of a running trace as bpftool does, by id and by program' {
        $job = Start-BpfTrace -Syscall getppid -ProcessId $PID -AsJob
        try {
            # this process holds the trace's links: their ids and programs as the kernel states them in fdinfo
            $held = foreach ($file in [System.IO.Directory]::GetFiles("/proc/$PID/fdinfo")) {
                $info = try { [System.IO.File]::ReadAllText($file) } catch { continue }
                if ($info -match 'link_id:\s+(\d+)' ) { $id = [uint]$Matches[1]; if ($info -match 'prog_id:\s+(\d+)') { @{ Id = $id; ProgramId = [uint]$Matches[1] } } }
            }
            @($held).Count | Should -BeGreaterThan 0
            foreach ($link in $held) {
                $ours = Get-BpfLink -Id $link.Id
                $bpftool = Invoke-Bpftool "link show id $($link.Id)"
                $ours.ProgramId | Should -Be $link.ProgramId
                $ours.ProgramId | Should -Be $bpftool.prog_id
                $ours.Type | Should -Be $bpftool.type
                if ($bpftool.tp_name) { $ours.Target | Should -Be $bpftool.tp_name }
                (Get-BpfLink -ProgramId $link.ProgramId).Id | Should -Contain $link.Id
            }
        }
        finally { $job | Stop-Job -PassThru | Remove-Job }
    }

    It 'reports missing objects with their error ids' {
        { Get-BpfMap -Id 4294967295 -ErrorAction Stop } | Should -Throw -ErrorId 'BpfMapNotFound,EbpfPS.Commands.GetBpfMapCommand'
        { Get-BpfProgram -Name no_such_program_x -ErrorAction Stop } | Should -Throw -ErrorId 'BpfProgramNotFound,EbpfPS.Commands.GetBpfProgramCommand'
        { Get-BpfLink -Id 4294967295 -ErrorAction Stop } | Should -Throw -ErrorId 'BpfLinkNotFound,EbpfPS.Commands.GetBpfLinkCommand'
        { Read-BpfMap -Path /sys/fs/bpf/ebpfps-no-such-pin -ErrorAction Stop } | Should -Throw -ErrorId 'BpfPinNotFound,EbpfPS.Commands.ReadBpfMapCommand'
        { Remove-BpfMapEntry -Id 1 } | Should -Throw -ErrorId 'BpfKeyOrAllExpected,EbpfPS.Commands.RemoveBpfMapEntryCommand'
    }

    It 'changes one map at a time: a name that several maps share is refused' {
        $pins = "/sys/fs/bpf/ebpfps-pester-$([guid]::NewGuid().ToString('N'))"
        [System.IO.Directory]::CreateDirectory($pins) | Out-Null
        try {
            & bpftool map create "$pins/a" type hash key 4 value 4 entries 4 name ebpfps_twin
            & bpftool map create "$pins/b" type hash key 4 value 4 entries 4 name ebpfps_twin
            $twins = { Write-BpfMap -Name ebpfps_twin -Key 1 -Value 1 } |
                Should -Throw -ErrorId 'BpfMapAmbiguous,EbpfPS.Commands.WriteBpfMapCommand' -PassThru
            $twins.ErrorDetails.RecommendedAction | Should -BeLike '*-Id*'
            @(Read-BpfMap -Name ebpfps_twin).Count | Should -Be 0 # reading both is fine
        }
        finally { [System.IO.Directory]::Delete($pins, $true) }
    }

    It 'reports kprobes as the kernel exposes them, and fentry by trying it' {
        $kprobes = Get-BpfFeature -Name Kprobes
        $present = [System.IO.Directory]::Exists('/sys/bus/event_source/devices/kprobe') -or [System.IO.File]::Exists('/sys/kernel/tracing/kprobe_events')
        $kprobes.Supported | Should -Be $present
        if (-not $present) { $kprobes.Detail | Should -BeLike '*no kprobe event source*' }

        $fentry = Get-BpfFeature -Name Fentry
        $fentry.Supported | Should -BeOfType [bool]
        if (-not $fentry.Supported) { $fentry.Detail | Should -Match 'fails: .*\(E[A-Z]+\)' }
        @(Get-BpfFeature -Category MapType).Name | Should -Contain 'lpm_trie'
    }
}

Describe 'Map cmdlets on a path that holds no pinned object' -Skip:(-not $IsRoot) {
    BeforeAll {
        $Work = [System.IO.Directory]::CreateTempSubdirectory('ebpfps-pins-').FullName
        & mkfifo "$Work/fifo"
    }
    AfterAll { [System.IO.Directory]::Delete($Work, $true) }

    It 'says <Path> is not a pinned BPF object (not "run as root")' -ForEach @(
        @{ Path = '/etc/passwd'; Says = '*not on a BPF file system*' }
        @{ Path = '/dev/zero'; Says = '*is a character device, not a pinned BPF object*' }
        @{ Path = '/tmp'; Says = '*is a directory, not a pinned BPF object*' }
        @{ Path = '/sys/fs/bpf'; Says = '*is a directory, not a pinned BPF object*' }
        @{ Path = 'FIFO'; Says = '*is a FIFO (named pipe), not a pinned BPF object*' }
    ) {
        $target = if ($Path -eq 'FIFO') { "$Work/fifo" } else { $Path }
        foreach ($command in 'Read-BpfMap', 'Get-BpfMap') {
            $e = { & $command -Path $target -ErrorAction Stop } | Should -Throw -PassThru
            $e.FullyQualifiedErrorId | Should -BeLike 'BpfPathNotPinned,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.Exception.Message | Should -BeLike $Says
            $e.ErrorDetails.RecommendedAction | Should -BeLike '*bpffs*'
        }
    }

    It 'says nothing is pinned at a missing path' {
        $e = { Read-BpfMap -Path /sys/fs/bpf/ebpfps-no-such-pin -ErrorAction Stop } | Should -Throw -ErrorId 'BpfPinNotFound,EbpfPS.Commands.ReadBpfMapCommand' -PassThru
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}

Describe 'Errors with CAP_BPF and CAP_PERFMON only' -Skip:(-not $IsRoot -or -not (Get-Command setpriv -ErrorAction Ignore)) {
    BeforeAll {
        . "$PSScriptRoot/Support/Pwsh.ps1"
        # Each command's error as "id|category|recommendation|message", run by uid 65534 with only CAP_BPF and CAP_PERFMON.
        function Invoke-WithBpfCapabilities([string[]] $Commands) {
            $script = ($Commands | ForEach-Object { "try { $_ -ErrorAction Stop | Out-Null; 'no error' } catch { `$_.FullyQualifiedErrorId + '|' + `$_.CategoryInfo.Category + '|' + `$_.ErrorDetails.RecommendedAction + '|' + `$_.Exception.Message }" }) -join '; '
            $pwsh = @(Get-PwshArgument $script)
            & setpriv --inh-caps +bpf,+perfmon --ambient-caps +bpf,+perfmon --reuid 65534 --regid 65534 --clear-groups @pwsh 2>&1
        }
    }

    It 'says that listing and opening by id needs CAP_SYS_ADMIN, and tracefs root' {
        $results = @(Invoke-WithBpfCapabilities 'Get-BpfProgram', 'Read-BpfMap -Name counts', 'Read-BpfMap -Id 1', 'Get-BpfTraceLog -Duration 00:00:01')
        $results.Count | Should -Be 4
        $program, $byName, $byId, $traceLog = $results | ForEach-Object { , ($_ -split '\|', 4) }
        # before: "grant CAP_BPF and CAP_PERFMON", which the process had; Read-BpfMap -Name threw a bare BpfException
        foreach ($result in $program, $byName, $byId) {
            $result[0] | Should -BeLike 'BpfPermissionDenied,*'
            $result[1] | Should -Be 'PermissionDenied'
            $result[2] | Should -BeLike '*needs CAP_SYS_ADMIN*'
            $result[2] | Should -Not -BeLike '*grant CAP_BPF*'
        }
        $traceLog[0] | Should -BeLike 'BpfPermissionDenied,*'
        $traceLog[2] | Should -BeLike '*root*'
    }

    It 'says that attaching a tracepoint needs root for tracefs, not the capabilities the process has' {
        $id, $category, $recommendation, $message = (Invoke-WithBpfCapabilities 'Start-BpfTrace -Exec -Count 1') -split '\|', 4
        $id | Should -BeLike 'BpfPermissionDenied,*'
        $category | Should -Be 'PermissionDenied'
        $message | Should -BeLike '*tracepoint*Permission denied (EACCES)*'
        $recommendation | Should -BeLike '*tracefs*only root*sudo pwsh*'
    }

    It 'says which capability an XDP filter lacks' {
        $id, $category, $recommendation, $message = (Invoke-WithBpfCapabilities 'Get-BpfXdpFilter') -split '\|', 4
        $id | Should -BeLike 'BpfPermissionDenied,*'
        $category | Should -Be 'PermissionDenied'
        $recommendation | Should -BeLike '*CAP_NET_ADMIN*'
        $message | Should -BeLike '*this process lacks CAP_NET_ADMIN.' -Because 'it has CAP_BPF (before: "has neither")'
    }
}

Describe 'After the map cmdlets' -Skip:(-not $IsRoot) {
    It 'leaves no test pin and no feature probe behind' {
        [System.IO.Directory]::GetDirectories('/sys/fs/bpf', 'ebpfps-pester-*') | Should -BeNullOrEmpty
        # this process's programs only: other processes on the machine may be probing features right now
        $probes = @(Get-OurProgramId | Where-Object { (& bpftool prog show id $_ 2>&1) -match 'name ebpfps_probe' })
        $probes | Should -BeNullOrEmpty
    }
}
