#Requires -Version 7.4
# The help that the build writes from en-US/*.md (tools/EbpfPS.HelpBuilder) is what Get-Help shows:
# every exported cmdlet has its synopsis, description, described parameters and examples, and the
# about_EbpfPS topic is found.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $script:Cmdlets = @(Get-Command -Module EbpfPS -CommandType Cmdlet | ForEach-Object {
            @{ Name = $_.Name; Parameters = @($_.Parameters.Keys | Where-Object { $_ -notin $common }) }
        })
}

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
}

Describe 'Get-Help <Name> -Full' -ForEach $Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
    }

    It 'reads the module''s MAML file' {
        $module = (Get-Command $Name).Module
        Join-Path $module.ModuleBase 'en-US/EbpfPS.dll-Help.xml' | Should -Exist
        # Without a MAML file Get-Help makes up a synopsis from the syntax line.
        $Help.Synopsis | Should -Not -BeLike "$Name *"
    }

    It 'has a synopsis and a description' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        ($Help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'describes parameter -<_>' -ForEach $Parameters {
        $parameter = $Help.parameters.parameter | Where-Object name -EQ $_
        $parameter | Should -Not -BeNullOrEmpty -Because "-$_ needs a '### -$_' section in en-US/$Name.md"
        ($parameter.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'has examples, each with code and an explanation' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Get-Help -Duration' {
    It 'tells that <_> -Duration takes seconds and units, with an example' -ForEach 'Start-BpfTrace', 'Get-BpfSignalEvent', 'Get-BpfTraceLog' {
        $text = (Get-Help $_ -Parameter Duration).description.Text -join ' '
        $text | Should -Match 'A number is seconds'
        $text | Should -Match '1h30m'
        (Get-Help $_ -Examples).examples.example.code -join "`n" | Should -Match '-Duration (\d+s?|2m|90s)\b'
    }
}

Describe 'Get-Help Get-BpfSignalEvent' {
    It 'says what the cmdlet does' {
        (Get-Help Get-BpfSignalEvent).Synopsis | Should -Match 'signal the kernel generates'
    }

    It 'documents the signal names -Signal accepts, at position 0' {
        $signal = Get-Help Get-BpfSignalEvent -Parameter Signal
        $signal.position | Should -Be '0'
        ($signal.description.Text -join ' ') | Should -Match 'SIGRTMIN\+n'
    }

    It 'shows how to stop the stream early' {
        (Get-Help Get-BpfSignalEvent -Examples).examples.example.code -join "`n" | Should -Match 'Select-Object -First'
    }

    It 'links to about_EbpfPS' {
        (Get-Help Get-BpfSignalEvent).relatedLinks.navigationLink.linkText | Should -Contain 'about_EbpfPS'
    }
}

Describe 'Get-Help about_EbpfPS' {
    It 'returns the topic' {
        $topic = (Get-Help about_EbpfPS) -join "`n"
        $topic | Should -Match 'SHORT DESCRIPTION'
        $topic | Should -Match 'LONG DESCRIPTION'
        $topic | Should -Match 'Get-BpfSignalEvent'
    }

    It 'is listed among the help topics' {
        (Get-Help about_Ebpf*).Name | Should -Contain 'about_EbpfPS'
    }
}

Describe 'The help source <Name>' -ForEach @(
    Get-ChildItem "$PSScriptRoot/../../en-US/*.md" | ForEach-Object { @{ Name = $_.Name; File = $_.FullName } }
) {
    It 'numbers its examples 1, 2, 3... once each' {
        $numbers = @([regex]::Matches((Get-Content -Raw $File), '(?m)^### Example (\d+):') | ForEach-Object { [int]$_.Groups[1].Value })
        $numbers | Should -Be @(if ($numbers.Count) { 1..$numbers.Count })
    }
}
