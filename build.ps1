#Requires -Version 7.4
<#
.SYNOPSIS
    Builds EbpfPS (kernel programs, module, help) and optionally tests or packages it, from pwsh.
.EXAMPLE
    ./build.ps1                 # build into out/EbpfPS, then: Import-Module ./out/EbpfPS/EbpfPS.psd1
.EXAMPLE
    sudo pwsh ./build.ps1 -Test # xunit engine tests and the Pester suites (kernel tests need root)
.EXAMPLE
    ./build.ps1 -Package        # a Release build packed as out/EbpfPS.<version>.nupkg for Install-PSResource
#>
[CmdletBinding()]
param(
    [switch] $Test,
    [switch] $Package,
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Debug'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

if ($Package) {
    # The module as it ships (Release, ReadyToRun, with its help) in a folder of its own, so that the
    # development build in out/EbpfPS stays as it is; PSResourceGet packs that folder as it is, after
    # the manifest passed what a gallery checks.
    $module = Join-Path $PSScriptRoot out/package/EbpfPS
    Remove-Item $module -Recurse -ErrorAction Ignore
    foreach ($project in 'src/EbpfPS/EbpfPS.csproj', 'tools/EbpfPS.HelpBuilder/EbpfPS.HelpBuilder.csproj') {
        dotnet build $project -c Release -nologo -v quiet -clp:ErrorsOnly "-p:ModuleOutputDir=$module/"
        if ($LASTEXITCODE) { throw "dotnet build $project failed ($LASTEXITCODE)." }
    }
    $manifest = Test-ModuleManifest "$module/EbpfPS.psd1"
    $nupkg = Join-Path $PSScriptRoot "out/EbpfPS.$($manifest.Version).nupkg"
    Remove-Item $nupkg -ErrorAction Ignore
    Compress-PSResource -Path $module -DestinationPath (Split-Path $nupkg)
    if (-not (Test-Path $nupkg)) { throw "Compress-PSResource did not write $nupkg." }
    Write-Host "Package: $nupkg"
    return
}

dotnet build EbpfPS.sln -c $Configuration -nologo -v quiet -clp:ErrorsOnly
if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)." }
Write-Host "Module: $PSScriptRoot/out/EbpfPS/EbpfPS.psd1"

if ($Test) {
    dotnet test EbpfPS.sln -c $Configuration --no-build -nologo
    $xunitFailed = $LASTEXITCODE -ne 0
    & pwsh -NoLogo -NoProfile -File "$PSScriptRoot/tests/Invoke-PesterSuites.ps1"
    $pesterFailed = $LASTEXITCODE -ne 0
    if ($xunitFailed -or $pesterFailed) { throw 'Tests failed.' }
}
