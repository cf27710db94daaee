# PesterLite: runs Pester 5 test files where Pester is not installed (ebpfps, CI).
# Dot-source it:  . ./tests/PesterLite/PesterLite.ps1;  Invoke-Pester -Path tests/Pester -PassThru
#
# Like Pester 5, a file runs twice. Discovery runs the file: Describe/Context run their bodies to
# collect blocks, It and the setup blocks are only recorded. The run then executes the tree.
# Scoping works by PowerShell's dynamic scopes: these functions live in the same session state as
# the test files, each block runs in a function scope of its own (BeforeAll is dot-sourced into it),
# each test in a child scope of its block (BeforeEach, the test body and AfterEach dot-sourced into
# it). So BeforeAll variables reach It, BeforeEach, AfterEach, AfterAll and nested blocks, and
# variables a test sets end with it. The runner's own variables start with ___pl so no test meets them.

function New-PesterLiteBlock([string] $Name, $Parent, [string[]] $Tag, [bool] $Skip, $Data) {
    [pscustomobject]@{
        ExpandedName = $Name; Parent = $Parent; IsRoot = $null -eq $Parent; Data = $Data
        ExpandedPath = $(if ($Parent -and -not $Parent.IsRoot) { "$($Parent.ExpandedPath).$Name" } else { $Name })
        Tag = @(@($Parent.Tag) + $Tag | Where-Object { $_ }); Skip = $Skip -or $Parent.Skip
        BeforeAll = [System.Collections.Generic.List[scriptblock]]::new()
        AfterAll = [System.Collections.Generic.List[scriptblock]]::new()
        BeforeEach = [System.Collections.Generic.List[scriptblock]]::new()
        AfterEach = [System.Collections.Generic.List[scriptblock]]::new()
        Items = [System.Collections.Generic.List[object]]::new()   # blocks and tests, in file order
    }
}

# Pester's name templates: 'adds <a> and <b>' shows a data item's values, '<_>' the item itself.
function Expand-PesterLiteName([string] $Name, $Data) {
    if ($null -eq $Data) { return $Name }
    [regex]::Replace($Name, '<(\w+)>', {
        param($match)
        $key = $match.Groups[1].Value
        if ($key -eq '_') { "$Data" } elseif ($Data -is [System.Collections.IDictionary]) { "$($Data[$key])" } else { "$($Data.$key)" }
    })
}

# Dot-source it (. Set-PesterLiteData $data): the keys of a -ForEach data item become variables of the
# caller's scope. The caller sets $_ itself: the engine restores $_ when a command returns.
function Set-PesterLiteData($___plData) {
    if ($___plData -is [System.Collections.IDictionary]) {
        foreach ($___plKey in $___plData.Keys) { $ExecutionContext.SessionState.PSVariable.Set($___plKey, $___plData[$___plKey]) }
    }
}

function Add-PesterLiteBlock([string] $___plName, [scriptblock] $___plFixture, [string[]] $___plTag, [bool] $___plSkip, [object[]] $___plForEach) {
    if ($null -eq $___plCurrentBlock) { throw "'$___plName' must be inside a test file run by Invoke-Pester." }
    $___plParent = $___plCurrentBlock
    $___plItems = @($null)
    if ($___plForEach) { $___plItems = $___plForEach }
    foreach ($___plData in $___plItems) {
        # Seen by the It and BeforeAll calls of the fixture, through dynamic scope.
        $___plCurrentBlock = New-PesterLiteBlock (Expand-PesterLiteName $___plName $___plData) $___plParent $___plTag $___plSkip $___plData
        $___plParent.Items.Add($___plCurrentBlock)
        . Set-PesterLiteData $___plData
        $_ = $___plData
        $null = & $___plFixture
    }
}

function Describe {
    param([Parameter(Mandatory, Position = 0)][string] $Name, [Parameter(Position = 1)][scriptblock] $Fixture,
          [string[]] $Tag, [switch] $Skip, [object[]] $ForEach)
    Add-PesterLiteBlock $Name $Fixture $Tag $Skip $ForEach
}

function Context {
    param([Parameter(Mandatory, Position = 0)][string] $Name, [Parameter(Position = 1)][scriptblock] $Fixture,
          [string[]] $Tag, [switch] $Skip, [object[]] $ForEach)
    Add-PesterLiteBlock $Name $Fixture $Tag $Skip $ForEach
}

function It {
    param([Parameter(Mandatory, Position = 0)][string] $Name, [Parameter(Position = 1)][scriptblock] $Test,
          [Alias('TestCases')][object[]] $ForEach, [string[]] $Tag, [switch] $Skip)
    if ($null -eq $___plCurrentBlock) { throw "It '$Name' must be inside Describe or Context." }
    $___plTags = @(@($___plCurrentBlock.Tag) + $Tag | Where-Object { $_ })
    if ($___plTagFilter -and -not ($___plTags | Where-Object { $_ -in $___plTagFilter })) { return }
    if ($___plExcludeTagFilter -and ($___plTags | Where-Object { $_ -in $___plExcludeTagFilter })) { return }
    $___plCases = @($null)
    if ($ForEach) { $___plCases = $ForEach }
    foreach ($___plData in $___plCases) {
        $___plExpanded = Expand-PesterLiteName $Name $___plData
        $___plCurrentBlock.Items.Add([pscustomobject]@{
            Name = $Name; ExpandedName = $___plExpanded; Block = $___plCurrentBlock
            ExpandedPath = $(if ($___plCurrentBlock.IsRoot) { $___plExpanded } else { "$($___plCurrentBlock.ExpandedPath).$___plExpanded" })
            ScriptBlock = $Test; Data = $___plData; Tag = $___plTags
            Skip = $Skip -or $___plCurrentBlock.Skip -or $null -eq $Test
            Result = 'NotRun'; Duration = [timespan]::Zero
            ErrorRecord = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        })
    }
}

function BeforeAll([Parameter(Mandatory)][scriptblock] $Scriptblock) { $___plCurrentBlock.BeforeAll.Add($Scriptblock) }
function AfterAll([Parameter(Mandatory)][scriptblock] $Scriptblock) { $___plCurrentBlock.AfterAll.Add($Scriptblock) }
function BeforeEach([Parameter(Mandatory)][scriptblock] $Scriptblock) { $___plCurrentBlock.BeforeEach.Add($Scriptblock) }
function AfterEach([Parameter(Mandatory)][scriptblock] $Scriptblock) { $___plCurrentBlock.AfterEach.Add($Scriptblock) }

function BeforeDiscovery([Parameter(Mandatory)][scriptblock] $ScriptBlock) {
    . $ScriptBlock
    # Pester runs it in the file's scope; a function cannot, so what it assigns is handed to the file's script scope.
    $___plAssigned = $ScriptBlock.Ast.FindAll({ param($ast) $ast -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true)
    foreach ($___plTarget in $___plAssigned.Left) {
        if ($___plTarget -is [System.Management.Automation.Language.VariableExpressionAst] -and $___plTarget.VariablePath.IsUnqualified) {
            $ExecutionContext.SessionState.PSVariable.Set("script:$($___plTarget.VariablePath.UserPath)", $ExecutionContext.SessionState.PSVariable.GetValue($___plTarget.VariablePath.UserPath))
        }
    }
}

function Set-ItResult {
    param([switch] $Skipped, [switch] $Inconclusive, [switch] $Pending, [string] $Because)
    $___plReason = if ($Because) { "is skipped, because $Because" } else { 'is skipped' }
    $___plRecord = [System.Management.Automation.ErrorRecord]::new([Exception]::new($___plReason), 'PesterTestSkipped', 'NotSpecified', $null)
    throw $___plRecord
}

# ---------------------------------------------------------------------------------------- Should

function Format-PesterLiteValue($Value) {
    if ($null -eq $Value) { return '$null' }
    if ($Value -is [bool]) { return '$' + "$Value".ToLowerInvariant() }
    if ($Value -is [string]) { return $(if ($Value -eq '') { '<empty>' } else { "'$Value'" }) }
    if ($Value -is [type]) { return "[$Value]" }
    if ($Value -is [datetime]) { return $Value.ToString('o') }
    if ($Value -is [scriptblock]) { return "{$Value}" }
    if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [System.Collections.IDictionary]) {
        return '@(' + ((@($Value) | ForEach-Object { Format-PesterLiteValue $_ }) -join ', ') + ')'
    }
    "$Value"
}

function Test-PesterLiteEqual($Actual, $Expected, [switch] $CaseSensitive) {
    $actualItems = @($Actual); $expectedItems = @($Expected)
    if ($actualItems.Count -ne $expectedItems.Count) { return $false }
    for ($i = 0; $i -lt $actualItems.Count; $i++) {
        $same = if ($CaseSensitive) { $expectedItems[$i] -ceq $actualItems[$i] } else { $expectedItems[$i] -eq $actualItems[$i] }
        if (-not $same) { return $false }
    }
    $true
}

function Get-PesterLiteStringDifference([string] $Expected, [string] $Actual, [string] $Because, [switch] $CaseSensitive) {
    $index = 0
    while ($index -lt [Math]::Min($Expected.Length, $Actual.Length) -and
           $(if ($CaseSensitive) { $Expected[$index] -ceq $Actual[$index] } else { "$($Expected[$index])" -eq "$($Actual[$index])" })) { $index++ }
    $lengths = if ($Expected.Length -eq $Actual.Length) { "String lengths are both $($Expected.Length)." }
               else { "Expected length: $($Expected.Length)`nActual length:   $($Actual.Length)" }
    "Expected strings to be the same,$Because but they were different.`n$lengths`nStrings differ at index $index.`nExpected: '$Expected'`nBut was:  '$Actual'"
}

function Should {
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline)] $ActualValue,
        [Parameter(Position = 0)] $ExpectedValue,
        [switch] $Not, [string] $Because, [switch] $PassThru,
        [switch] $Be, [switch] $BeExactly, [switch] $BeGreaterThan, [switch] $BeGreaterOrEqual, [switch] $BeLessThan,
        [switch] $BeLessOrEqual, [switch] $BeNullOrEmpty, [switch] $BeTrue, [switch] $BeFalse, [switch] $Contain,
        [switch] $BeIn, [switch] $Match, [switch] $MatchExactly, [switch] $BeLike, [switch] $BeLikeExactly,
        [switch] $BeOfType, [switch] $HaveCount, [switch] $Exist, [switch] $Throw,
        [string] $ExpectedMessage, [string] $ErrorId, [type] $ExceptionType, [type] $ExpectedType, [string] $RegularExpression
    )
    begin { $inputs = [System.Collections.Generic.List[object]]::new() }
    process { if ($MyInvocation.ExpectingInput) { $inputs.Add($ActualValue) } }
    end {
        $operators = 'Be', 'BeExactly', 'BeGreaterThan', 'BeGreaterOrEqual', 'BeLessThan', 'BeLessOrEqual', 'BeNullOrEmpty',
                     'BeTrue', 'BeFalse', 'Contain', 'BeIn', 'Match', 'MatchExactly', 'BeLike', 'BeLikeExactly', 'BeOfType', 'HaveCount', 'Exist', 'Throw'
        $operator = @($operators | Where-Object { $PSBoundParameters.ContainsKey($_) })
        if ($operator.Count -ne 1) { throw "Should needs exactly one operator, such as -Be or -Throw." }
        $operator = $operator[0]
        if (-not $MyInvocation.ExpectingInput) { $inputs.Add($ActualValue) }
        $because = if ($Because) { " because $($Because.Trim() -replace '^because\s'),"} else { '' }
        if ($PSBoundParameters.ContainsKey('RegularExpression')) { $ExpectedValue = $RegularExpression }
        if ($PSBoundParameters.ContainsKey('ExpectedType')) { $ExpectedValue = $ExpectedType }

        # Like Pester: these operators judge the whole input as one collection, the others each item.
        $values = [System.Collections.Generic.List[object]]::new()
        if ($inputs.Count -eq 0) { $values.Add($null) }
        elseif ($inputs.Count -eq 1) { $values.Add($inputs[0]) }
        elseif ($operator -in 'Be', 'BeExactly', 'BeNullOrEmpty', 'Contain', 'HaveCount') { $values.Add($inputs.ToArray()) }
        else { $values.AddRange($inputs) }

        foreach ($actual in $values) {
            $e = Format-PesterLiteValue $ExpectedValue
            $a = Format-PesterLiteValue $actual
            $pass, $message, $negatedMessage = switch ($operator) {
                'Be' { (Test-PesterLiteEqual $actual $ExpectedValue),
                    $(if ($actual -is [string] -and $ExpectedValue -is [string]) { Get-PesterLiteStringDifference $ExpectedValue $actual $because }
                      else { "Expected $e,$because but got $a." }),
                    "Expected $e to be different from the actual value,$because but got the same value." }
                'BeExactly' { (Test-PesterLiteEqual $actual $ExpectedValue -CaseSensitive),
                    $(if ($actual -is [string] -and $ExpectedValue -is [string]) { Get-PesterLiteStringDifference $ExpectedValue $actual $because -CaseSensitive }
                      else { "Expected exactly $e,$because but got $a." }),
                    "Expected $e to be different from the actual value,$because but got exactly the same value." }
                'BeGreaterThan' { [bool]($actual -gt $ExpectedValue), "Expected the actual value to be greater than $e,$because but got $a.",
                    "Expected the actual value to be less than or equal to $e,$because but got $a." }
                'BeGreaterOrEqual' { [bool]($actual -ge $ExpectedValue), "Expected the actual value to be greater than or equal to $e,$because but got $a.",
                    "Expected the actual value to be less than $e,$because but got $a." }
                'BeLessThan' { [bool]($actual -lt $ExpectedValue), "Expected the actual value to be less than $e,$because but got $a.",
                    "Expected the actual value to be greater than or equal to $e,$because but got $a." }
                'BeLessOrEqual' { [bool]($actual -le $ExpectedValue), "Expected the actual value to be less than or equal to $e,$because but got $a.",
                    "Expected the actual value to be greater than $e,$because but got $a." }
                'BeNullOrEmpty' {
                    $items = @($actual)
                    ($items.Count -eq 0 -or ($items.Count -eq 1 -and ($null -eq $items[0] -or ($items[0] -is [string] -and $items[0] -eq '')))),
                    "Expected `$null or empty,$because but got $a.", "Expected a value,$because but got `$null or empty." }
                'BeTrue' { ([bool] $actual), "Expected `$true,$because but got $a.", "Expected `$false,$because but got $a." }
                'BeFalse' { (-not $actual), "Expected `$false,$because but got $a.", "Expected `$true,$because but got $a." }
                'Contain' { (@($actual) -contains $ExpectedValue), "Expected $e to be found in collection $a,$because but it was not found.",
                    "Expected $e to not be found in collection $a,$because but it was found." }
                'BeIn' { (@($ExpectedValue) -contains $actual), "Expected collection $e to contain $a,$because but it was not found.",
                    "Expected collection $e to not contain $a,$because but it was found." }
                'Match' { [bool]($actual -match $ExpectedValue), "Expected regular expression $e to match $a,$because but it did not match.",
                    "Expected regular expression $e to not match $a,$because but it did match." }
                'MatchExactly' { [bool]($actual -cmatch $ExpectedValue), "Expected regular expression $e to case sensitively match $a,$because but it did not match.",
                    "Expected regular expression $e to not case sensitively match $a,$because but it did match." }
                'BeLike' { [bool]($actual -like $ExpectedValue), "Expected like wildcard $e to match $a,$because but it did not match.",
                    "Expected like wildcard $e to not match $a,$because but it did match." }
                'BeLikeExactly' { [bool]($actual -clike $ExpectedValue), "Expected case sensitive like wildcard $e to match $a,$because but it did not match.",
                    "Expected case sensitive like wildcard $e to not match $a,$because but it did match." }
                'BeOfType' {
                    # In argument mode [int] arrives as the text '[int]'.
                    $type = if ($ExpectedValue -is [type]) { $ExpectedValue } else { [type] ("$ExpectedValue" -replace '^\[(.*)\]$', '$1') }
                    $actualType = if ($null -eq $actual) { '<none>' } else { "[$($actual.GetType())]" }
                    ($actual -is $type), "Expected the value to have type [$type] or any of its subtypes,$because but got $a with type $actualType.",
                    "Expected the value to not have type [$type] or any of its subtypes,$because but got $a with type $actualType." }
                'HaveCount' {
                    $count = if ($null -eq $actual) { 0 } else { @($actual).Count }
                    ($count -eq $ExpectedValue),
                    $(if ($ExpectedValue -eq 0) { "Expected an empty collection,$because but got collection with size $count $a." }
                      else { "Expected a collection with size $e,$because but got collection with size $count $a." }),
                    "Expected a collection with size different from $e,$because but got collection with that size $a." }
                'Exist' {
                    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath("$actual")
                    ([System.IO.File]::Exists($full) -or [System.IO.Directory]::Exists($full)),
                    "Expected path $a to exist,$because but it did not exist.", "Expected path $a to not exist,$because but it did exist." }
                'Throw' {
                    if ($actual -isnot [scriptblock]) { throw [ArgumentException] "Input to '-Throw' must be a script block in curly braces." }
                    $thrown = $null
                    try { $null = & $actual } catch { $thrown = $_ }
                    if ($PSBoundParameters.ContainsKey('ExpectedValue')) { $ExpectedMessage = $ExpectedValue }
                    $filters = @(); $buts = @()
                    if ($ExceptionType) {
                        $filters += "type [$ExceptionType]"
                        if ($thrown -and $thrown.Exception -isnot $ExceptionType) { $buts += "the exception type was [$($thrown.Exception.GetType())]" }
                    }
                    if ($ExpectedMessage) {
                        $filters += "message like $(Format-PesterLiteValue ([WildcardPattern]::Unescape($ExpectedMessage)))"
                        if ($thrown -and $thrown.Exception.Message -notlike $ExpectedMessage) { $buts += "the message was $(Format-PesterLiteValue $thrown.Exception.Message)" }
                    }
                    if ($ErrorId) {
                        $filters += "FullyQualifiedErrorId $(Format-PesterLiteValue $ErrorId)"
                        if ($thrown -and $thrown.FullyQualifiedErrorId -notlike $ErrorId) { $buts += "the FullyQualifiedErrorId was $(Format-PesterLiteValue $thrown.FullyQualifiedErrorId)" }
                    }
                    if (-not $thrown) { $buts += 'no exception was thrown' }
                    $with = if ($filters) { " with $($filters -join ' and ')" } else { '' }
                    ($buts.Count -eq 0), "Expected an exception$with to be thrown,$because but $($buts -join ' and ').",
                    "Expected no exception to be thrown,$because but an exception `"$($thrown.Exception.Message)`" was thrown."
                }
            }
            if ($Not) { $pass = -not $pass }
            if (-not $pass) {
                $text = if ($Not) { $negatedMessage } else { $message }
                $where = @{ Message = $text; File = $MyInvocation.ScriptName; Line = $MyInvocation.ScriptLineNumber; LineText = $MyInvocation.Line.Trim() }
                throw [System.Management.Automation.ErrorRecord]::new([Exception]::new($text), 'PesterAssertionFailed', 'InvalidResult', $where)
            }
            if ($PassThru -and $operator -eq 'Throw' -and -not $Not) { $thrown }
        }
    }
}

# ---------------------------------------------------------------------------------------- Run

function Get-PesterLiteTests($Block) {
    foreach ($item in $Block.Items) { if ($item.PSObject.Properties['Items']) { Get-PesterLiteTests $item } else { $item } }
}

function Complete-PesterLiteTest($Test, [string] $Result, $ErrorRecord, $Run) {
    $Test.Result = $Result
    if ($ErrorRecord) { $Test.ErrorRecord.AddRange([System.Management.Automation.ErrorRecord[]] @($ErrorRecord)) }
    $Run.Tests.Add($Test)
    $Run.$Result.Add($Test)
    if ($Run.Output -eq 'Detailed' -or ($Run.Output -eq 'Normal' -and $Result -eq 'Failed')) {
        $mark = @{ Passed = '[+]'; Failed = '[-]'; Skipped = '[!]' }[$Result]
        Write-Host "$mark $($Test.ExpandedPath)"
        foreach ($record in $Test.ErrorRecord) { if ($Result -eq 'Failed') { Write-Host "    $record" } }
    }
}

function Invoke-PesterLiteBlock($___plBlock, $___plRun, [scriptblock[]] $___plBeforeEach = @(), [scriptblock[]] $___plAfterEach = @()) {
    $___plTests = @(Get-PesterLiteTests $___plBlock)
    if (-not ($___plTests | Where-Object { -not $_.Skip })) {
        foreach ($___plTest in $___plTests) { Complete-PesterLiteTest $___plTest 'Skipped' $null $___plRun }
        return   # nothing to run: no setup either, as in Pester
    }
    $___plBeforeEach = $___plBeforeEach + $___plBlock.BeforeEach   # outer blocks first
    $___plAfterEach = $___plBlock.AfterEach + $___plAfterEach      # inner blocks first
    . Set-PesterLiteData $___plBlock.Data
    $_ = $___plBlock.Data
    try {
        foreach ($___plSetup in $___plBlock.BeforeAll) { $null = . $___plSetup }
        foreach ($___plItem in $___plBlock.Items) {
            if ($___plItem.PSObject.Properties['Items']) { Invoke-PesterLiteBlock $___plItem $___plRun $___plBeforeEach $___plAfterEach }
            else { Invoke-PesterLiteTest $___plItem $___plRun $___plBeforeEach $___plAfterEach }
        }
    }
    catch {
        # BeforeAll failed: every test of the block fails with its error.
        foreach ($___plTest in $___plTests) { Complete-PesterLiteTest $___plTest $(if ($___plTest.Skip) { 'Skipped' } else { 'Failed' }) $_ $___plRun }
    }
    try { foreach ($___plTeardown in $___plBlock.AfterAll) { $null = . $___plTeardown } }
    catch { $___plRun.FailedBlocks.Add([pscustomobject]@{ ExpandedPath = $___plBlock.ExpandedPath; ErrorRecord = @($_) }) }
}

function Invoke-PesterLiteTest($___plTest, $___plRun, [scriptblock[]] $___plBeforeEach, [scriptblock[]] $___plAfterEach) {
    if ($___plTest.Skip) { return Complete-PesterLiteTest $___plTest 'Skipped' $null $___plRun }
    $___plClock = [System.Diagnostics.Stopwatch]::StartNew()
    $___plErrors = [System.Collections.Generic.List[object]]::new()
    $___plArguments = @{}
    . Set-PesterLiteData $___plTest.Data
    $_ = $___plTest.Data
    if ($___plTest.Data -is [System.Collections.IDictionary]) {
        # Like Pester: a test case key also binds to a param() of the same name.
        $___plDeclared = @($___plTest.ScriptBlock.Ast.ParamBlock.Parameters.Name.VariablePath.UserPath)
        foreach ($___plKey in $___plTest.Data.Keys) {
            if ($___plKey -in $___plDeclared) { $___plArguments[$___plKey] = $___plTest.Data[$___plKey] }
        }
    }
    try {
        foreach ($___plSetup in $___plBeforeEach) { $null = . $___plSetup }
        $null = . $___plTest.ScriptBlock @___plArguments
    }
    catch { $___plErrors.Add($_) }
    try { foreach ($___plTeardown in $___plAfterEach) { $null = . $___plTeardown } }
    catch { $___plErrors.Add($_) }
    $___plTest.Duration = $___plClock.Elapsed
    $___plResult = if ($___plErrors.Count -eq 0) { 'Passed' }
                   elseif ($___plErrors[0].FullyQualifiedErrorId -eq 'PesterTestSkipped') { 'Skipped' }
                   else { 'Failed' }
    Complete-PesterLiteTest $___plTest $___plResult $___plErrors $___plRun
}

function Invoke-PesterLiteDiscovery([string] $___plFile, $___plCurrentBlock, [string[]] $___plTagFilter, [string[]] $___plExcludeTagFilter) {
    $null = & $___plFile
}

function Invoke-Pester {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]] $Path = '.', [switch] $PassThru,
          [ValidateSet('Diagnostic', 'Detailed', 'Normal', 'Minimal', 'None')][string] $Output = 'Normal',
          [Alias('Tag')][string[]] $TagFilter, [string[]] $ExcludeTagFilter)
    if ($Output -eq 'Diagnostic') { $Output = 'Detailed' }
    if ($Output -eq 'Minimal') { $Output = 'Normal' }
    $files = foreach ($item in $Path) {
        $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($item)
        if ([System.IO.Directory]::Exists($full)) { [System.IO.Directory]::GetFiles($full, '*.Tests.ps1', 'AllDirectories') | Sort-Object }
        elseif ([System.IO.File]::Exists($full)) { $full }
        else { throw "Invoke-Pester: no test file or folder at '$item'." }
    }
    $run = @{ Output = $Output }
    foreach ($name in 'Tests', 'Passed', 'Failed', 'Skipped', 'FailedBlocks', 'FailedContainers') { $run[$name] = [System.Collections.Generic.List[object]]::new() }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    foreach ($file in $files) {
        $root = New-PesterLiteBlock $file $null @() $false $null
        try { Invoke-PesterLiteDiscovery $file $root $TagFilter $ExcludeTagFilter }
        catch {
            $run.FailedContainers.Add([pscustomobject]@{ Item = $file; ErrorRecord = @($_) })
            if ($Output -ne 'None') { Write-Host "[-] Discovery in $file failed: $_" }
            continue
        }
        Invoke-PesterLiteBlock $root $run
    }
    $failures = $run.Failed.Count + $run.FailedBlocks.Count + $run.FailedContainers.Count
    if ($Output -ne 'None') { Write-Host "Tests Passed: $($run.Passed.Count), Failed: $($run.Failed.Count), Skipped: $($run.Skipped.Count)" }
    $run = [pscustomobject]@{
        Result = $(if ($failures) { 'Failed' } else { 'Passed' }); Duration = $clock.Elapsed
        Tests = $run.Tests; Passed = $run.Passed; Failed = $run.Failed; Skipped = $run.Skipped
        FailedBlocks = $run.FailedBlocks; FailedContainers = $run.FailedContainers
        TotalCount = $run.Tests.Count; PassedCount = $run.Passed.Count; FailedCount = $run.Failed.Count; SkippedCount = $run.Skipped.Count
        FailedBlocksCount = $run.FailedBlocks.Count; FailedContainersCount = $run.FailedContainers.Count
    }
    if ($PassThru) { $run }
}
