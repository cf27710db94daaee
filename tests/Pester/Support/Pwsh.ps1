# Another pwsh process, for tests that need one (Ctrl-C, another user, another network namespace, a
# fresh session): the engine itself. Dot-source it in BeforeAll.
# The .NET tool's pwsh is a launcher that runs the engine as its child and passes no signals on, so the
# engine is started directly: dotnet with $PSHOME/pwsh.dll, or pwsh itself where it is a native program.

$ModuleManifest = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../../out/EbpfPS/EbpfPS.psd1")

# The program and the arguments that start a new engine without a profile.
function Get-PwshCommandLine {
    $program = [Environment]::ProcessPath
    $program
    if ([System.IO.Path]::GetFileNameWithoutExtension($program) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' }
    '-NoLogo'; '-NoProfile'
}

# The program and the arguments that run $Command in a new engine, the module under test imported first.
function Get-PwshArgument([string] $Command) {
    Get-PwshCommandLine
    '-Command'; "Import-Module '$ModuleManifest'; $Command"
}

# A new engine running $Command, its standard output redirected.
function Start-Pwsh([string] $Command) {
    $program, $arguments = Get-PwshArgument $Command
    $info = [System.Diagnostics.ProcessStartInfo]::new($program)
    foreach ($argument in $arguments) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    [System.Diagnostics.Process]::Start($info)
}

# Runs $Command in a new engine that exits when done: its output lines; throws when it failed.
function Invoke-OtherPwsh([string] $Command) {
    $program, $arguments = Get-PwshArgument "`$ErrorActionPreference = 'Stop'; $Command"
    $output = & $program @arguments 2>&1
    if ($LASTEXITCODE) { throw "pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
    $output
}
