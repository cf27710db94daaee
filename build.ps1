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
if ($Package) { $Configuration = 'Release' }

dotnet build EbpfPS.sln -c $Configuration -nologo -v quiet -clp:ErrorsOnly
if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)." }
$module = Join-Path $PSScriptRoot out/EbpfPS
Write-Host "Module: $module/EbpfPS.psd1"

if ($Package) {
    # The manifest must pass what a gallery checks before PSResourceGet packs the folder as it is.
    $manifest = Test-ModuleManifest "$module/EbpfPS.psd1"
    $nupkg = Join-Path $PSScriptRoot "out/EbpfPS.$($manifest.Version).nupkg"
    Remove-Item $nupkg -ErrorAction Ignore
    Compress-PSResource -Path $module -DestinationPath (Split-Path $nupkg)
    if (-not (Test-Path $nupkg)) { throw "Compress-PSResource did not write $nupkg." }
    Write-Host "Package: $nupkg"
}

if ($Test) {
    dotnet test EbpfPS.sln -c $Configuration --no-build -nologo
    $xunitFailed = $LASTEXITCODE -ne 0
    & pwsh -NoLogo -NoProfile -File "$PSScriptRoot/tests/Invoke-PesterSuites.ps1"
    $pesterFailed = $LASTEXITCODE -ne 0
    if ($xunitFailed -or $pesterFailed) { throw 'Tests failed.' }
}
