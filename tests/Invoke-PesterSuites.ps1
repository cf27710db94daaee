# Runs the Pester suites (tests/Pester/*.Tests.ps1, or -Path) with Pester 5 when it is installed,
# else with PesterLite. One line per test, then `pester: N passed, N failed, N skipped`; the exit
# code is the number of failures. Usage: ./ebpfps -File tests/Invoke-PesterSuites.ps1 [-Path file-or-folder] [-Tag tag]
param([string[]] $Path = "$PSScriptRoot/Pester", [string[]] $Tag)

$pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
if ($pester) {
    Import-Module $pester.Path -Force
    Write-Host "Running with Pester $($pester.Version)"
}
else {
    . "$PSScriptRoot/PesterLite/PesterLite.ps1"
    Write-Host 'Running with PesterLite (Pester 5 is not installed)'
}

$filter = if ($Tag) { @{ TagFilter = $Tag } } else { @{} }
$result = Invoke-Pester -Path $Path -Output None -PassThru @filter

# Where an error happened: a Should failure carries its line in TargetObject (in Pester too), others in InvocationInfo.
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

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host "pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount) skipped"
exit $failed
