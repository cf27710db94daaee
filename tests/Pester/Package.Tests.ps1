# The module as users get it: ./build.ps1 -Package writes a nupkg, PSResourceGet installs it from a local
# repository, and a new pwsh imports EbpfPS by name with every cmdlet, its help and its views.

BeforeAll {
    . "$PSScriptRoot/Support/Pwsh.ps1"
    $Root = [System.IO.Path]::GetFullPath("$PSScriptRoot/../..")
    $Manifest = Import-PowerShellDataFile "$Root/EbpfPS.psd1"
    $pwsh, $arguments = Get-PwshCommandLine
    $build = & $pwsh @arguments -File "$Root/build.ps1" -Package 2>&1
    if ($LASTEXITCODE) { throw "build.ps1 -Package failed: $($build -join "`n")" }
    $Nupkg = "$Root/out/EbpfPS.$($Manifest.ModuleVersion).nupkg"

    # A user of our own: a home (so PSResourceGet's repositories and the CurrentUser module path) that
    # the test makes and deletes, and a local folder repository holding only the package.
    $Home_ = New-Item -ItemType Directory ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "ebpfps-home-$([guid]::NewGuid().ToString('N'))"))
    $Repository = New-Item -ItemType Directory "$Home_/repository"
    Copy-Item $Nupkg $Repository

    # Runs $Command in a new pwsh of that user; returns its output, throws when it fails.
    function Invoke-AsUser([string] $Command) {
        $output = & env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u PSModulePath "HOME=$Home_" $pwsh @arguments -Command $Command 2>&1
        if ($LASTEXITCODE) { throw "pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
        $output
    }
}

AfterAll {
    if ($Home_) { Remove-Item $Home_ -Recurse -Force }
}

Describe 'The EbpfPS package' {
    It 'is written by build.ps1 -Package as out/EbpfPS.VERSION.nupkg' {
        $Nupkg | Should -Exist
        $entries = [System.IO.Compression.ZipFile]::OpenRead($Nupkg)
        try { $names = $entries.Entries.FullName } finally { $entries.Dispose() }
        $names | Should -Contain 'EbpfPS.psd1'
        $names | Should -Contain 'EbpfPS.dll'
        $names | Should -Contain 'EbpfPS.format.ps1xml'
        $names | Should -Contain 'EbpfPS.types.ps1xml'
        $names | Should -Contain 'en-US/EbpfPS.dll-Help.xml'
        $names | Should -Contain 'en-US/about_EbpfPS.help.txt'
        $names | Should -Contain 'LICENSE'
    }

    It 'installs with Install-PSResource from a local repository, and a new pwsh imports it by name with every cmdlet, help and view' {
        $installed = Invoke-AsUser @"
Register-PSResourceRepository -Name Local -Uri '$Repository' -Trusted
Install-PSResource -Name EbpfPS -Repository Local -Scope CurrentUser
(Get-InstalledPSResource -Name EbpfPS).InstalledLocation
"@
        $installed | Should -Be "$Home_/.local/share/powershell/Modules"

        $json = Invoke-AsUser @'
Import-Module EbpfPS
$module = Get-Module EbpfPS
$types = 'EbpfPS.BpfSignalEvent', 'EbpfPS.BpfSyscallEvent', 'EbpfPS.BpfXdpFilter', 'Deserialized.EbpfPS.BpfSignalEvent'
[pscustomobject]@{
    Path     = $module.ModuleBase
    Version  = "$($module.Version)"
    Cmdlets  = @($module.ExportedCmdlets.Keys | Sort-Object)
    Synopses = @($module.ExportedCmdlets.Keys | Sort-Object | ForEach-Object { (Get-Help $_).Synopsis })
    Examples = @($module.ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @((Get-Help $_).Examples.Example).Count })
    About    = (Get-Help about_EbpfPS | Out-String).Length
    Views    = @($types | ForEach-Object { @(Get-FormatData -TypeName $_).Count })
} | ConvertTo-Json -Compress
'@
        $found = $json | ConvertFrom-Json
        $found.Path | Should -Be "$Home_/.local/share/powershell/Modules/EbpfPS/$($Manifest.ModuleVersion)"
        $found.Version | Should -Be $Manifest.ModuleVersion
        $found.Cmdlets | Should -Be ($Manifest.CmdletsToExport | Sort-Object)
        for ($i = 0; $i -lt $found.Cmdlets.Count; $i++) {
            # Without its help file Get-Help makes up a synopsis from the syntax, which starts with the name.
            $found.Synopses[$i] | Should -Not -BeLike "$($found.Cmdlets[$i])*" -Because "$($found.Cmdlets[$i]) needs its help"
            $found.Examples[$i] | Should -BeGreaterThan 0 -Because "$($found.Cmdlets[$i]) needs examples"
        }
        $found.About | Should -BeGreaterThan 1000
        $found.Views | Should -Be 1, 1, 1, 1
    }
}

Describe 'The manifest' {
    It 'passes Test-ModuleManifest and carries what a gallery needs' {
        $module = Test-ModuleManifest "$Root/out/package/EbpfPS/EbpfPS.psd1"
        $module.Description | Should -Not -BeNullOrEmpty
        $module.Author | Should -Not -BeNullOrEmpty
        $module.ProjectUri | Should -Not -BeNullOrEmpty
        $module.LicenseUri | Should -Not -BeNullOrEmpty
        $module.Tags | Should -Contain 'Linux'
        $module.Tags | Should -Contain 'eBPF'
        $module.CompatiblePSEditions | Should -Be 'Core'
        $module.PowerShellVersion | Should -Be ([version] '7.4')
        $Manifest.CmdletsToExport | Should -Not -Contain '*'
        $Manifest.FunctionsToExport | Should -BeNullOrEmpty
        $Manifest.AliasesToExport | Should -BeNullOrEmpty
    }
}
