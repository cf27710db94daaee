#Requires -Version 7.4
<#
.SYNOPSIS
    Builds EbpfPS (kernel programs, module, help, launcher) and optionally tests it, from pwsh.
.EXAMPLE
    ./build.ps1                 # build into out/EbpfPS, then: Import-Module ./out/EbpfPS/EbpfPS.psd1
.EXAMPLE
    sudo pwsh ./build.ps1 -Test # xunit engine tests and the Pester suites (kernel tests need root)
#>
[CmdletBinding()]
param(
    [switch] $Test,
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Debug'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

dotnet build EbpfPS.sln -c $Configuration -nologo -v quiet -clp:ErrorsOnly
if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)." }
Write-Host "Module: $PSScriptRoot/out/EbpfPS/EbpfPS.psd1"
if (-not $Test) { return }

dotnet test EbpfPS.sln -c $Configuration --no-build -nologo
$xunitFailed = $LASTEXITCODE -ne 0
& "$PSScriptRoot/tests/Invoke-PesterSuites.ps1"
$pesterFailed = $LASTEXITCODE -ne 0
if ($xunitFailed -or $pesterFailed) { throw 'Tests failed.' }
