# Runs the Pester suites (tests/Pester/*.Tests.ps1, or -Path) in this pwsh with Pester 5 (tools/setup.sh
# installs 5.7.1). One line per test, then `pester: N passed, N failed, N skipped`; the NUnit XML result
# goes to -ResultPath; the exit code is the number of failures.
# Usage: pwsh -NoProfile -File tests/Invoke-PesterSuites.ps1 [-Path file-or-folder] [-Tag tag] [-ResultPath file.xml]
param([string[]] $Path = "$PSScriptRoot/Pester", [string[]] $Tag, [string] $ResultPath = "$PSScriptRoot/../out/test-results/pester.xml")

$pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -eq 5 } | Sort-Object Version -Descending | Select-Object -First 1
if (-not $pester) {
    Write-Host 'pester: 0 passed, 1 failed, 0 skipped (Pester 5 is not installed: run tools/setup.sh)'
    exit 1
}
Import-Module $pester.Path -Force
Write-Host "Running with Pester $($pester.Version) in pwsh $($PSVersionTable.PSVersion)"

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path -split ',' # pwsh -File passes "a,b" as one string
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'None'
if ($Tag) { $configuration.Filter.Tag = $Tag }
# Plain text from this pwsh and the ones tests start: escape sequences in a failure message are not valid XML.
$PSStyle.OutputRendering = 'PlainText'
$env:NO_COLOR = '1'
$result = try { Invoke-Pester -Configuration $configuration } catch { Write-Host "[-] Invoke-Pester failed: $($_.Exception.Message)" }
if (-not $result) {
    # Nothing to walk (no test file found, a broken configuration): a failure, not an empty success.
    Write-Host 'pester: 0 passed, 1 failed, 0 skipped'
    exit 1
}

# Where an error happened: a Should failure carries its line in TargetObject, others in InvocationInfo.
function Format-ErrorLocation($ErrorRecord) {
    $where = $ErrorRecord.TargetObject
    if ($where -is [System.Collections.IDictionary] -and $where['File']) { return "at $($where['LineText']), $($where['File']):$($where['Line'])" }
    $info = $ErrorRecord.InvocationInfo
    if ($info -and $info.ScriptName) { "at $($info.Line.Trim()), $($info.ScriptName):$($info.ScriptLineNumber)" }
}

function Write-Failure([string] $Title, $ErrorRecords) {
    Write-Host "[-] $Title" -ForegroundColor Red
    foreach ($record in $ErrorRecords) {
        Write-Host "    $($record.Exception.Message -replace "`n", "`n    ")"
        $location = Format-ErrorLocation $record
        if ($location) { Write-Host "    $location" }
    }
}

foreach ($test in $result.Tests | Where-Object Result -NE 'NotRun') {
    $title = $test.ExpandedName
    for ($block = $test.Block; -not $block.IsRoot; $block = $block.Parent) { $title = "$($block.ExpandedName) > $title" }
    $took = '{0}ms' -f [int] $test.Duration.TotalMilliseconds
    switch ($test.Result) {
        'Passed' { Write-Host "[+] $title  $took" -ForegroundColor Green }
        'Failed' { Write-Failure "$title  $took" $test.ErrorRecord }
        default {
            $reason = @($test.ErrorRecord | ForEach-Object { $_.Exception.Message -replace '^is skipped,? ?(because )?' }) -join '; '
            Write-Host "[!] $title  skipped$(if ($reason) { ": $reason" })" -ForegroundColor Yellow
        }
    }
}
foreach ($block in $result.FailedBlocks) { Write-Failure "$($block.ExpandedPath) (BeforeAll/AfterAll)" $block.ErrorRecord }
foreach ($container in $result.FailedContainers) { Write-Failure "$($container.Item) (discovery)" $container.ErrorRecord }

# The NUnit XML result, for CI to keep; control characters a test printed would make it invalid XML.
$null = New-Item -ItemType Directory -Force (Split-Path $ResultPath)
foreach ($record in $result.Tests.ErrorRecord) {
    foreach ($text in $record.PSObject.Properties.Where({ $_.Name -in 'DisplayErrorMessage', 'DisplayStackTrace' })) {
        if ($text.Value -is [string]) { $text.Value = $text.Value -replace '[\x00-\x08\x0B\x0C\x0E-\x1F]', '?' }
    }
}
$result | Export-NUnitReport -Path $ResultPath

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host "pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount) skipped"
exit $failed
