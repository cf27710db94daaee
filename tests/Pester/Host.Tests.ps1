# The launcher (./ebpfps), its stand-ins for the utility cmdlets, and PesterLite. Runs under Pester 5
# too, where the real cmdlets and Should must pass the same tests.

BeforeAll {
    $Launcher = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'ebpfps')
    $fromFileSetup = 'file setup'
}

Describe 'Select-Object' {
    It '-First 3 on an endless producer returns exactly 3 and ends the producer' {
        $ended = [System.Collections.Generic.List[string]]::new()
        $first = & { try { $i = 0; while ($true) { $i += 1; $i } } finally { $ended.Add('producer ended') } } | Select-Object -First 3
        $first | Should -Be 1, 2, 3
        $ended | Should -Be 'producer ended'
    }

    It 'takes -Last, -Skip, -Property with calculated properties, and -ExpandProperty' {
        1..10 | Select-Object -Last 2 | Should -Be 9, 10
        1..10 | Select-Object -Skip 8 | Should -Be 9, 10
        $item = [pscustomobject]@{ A = 1; B = 2; C = @(3, 4) }
        $selected = $item | Select-Object -Property A, @{ Name = 'D'; Expression = { $_.B * 10 } }
        $selected.PSObject.Properties.Name | Should -Be 'A', 'D'
        $selected.D | Should -Be 20
        $item | Select-Object -ExpandProperty C | Should -Be 3, 4
    }
}

Describe 'Sort-Object, Group-Object and Measure-Object' {
    BeforeAll {
        $people = @(
            [pscustomobject]@{ Name = 'ann'; Team = 'red'; Age = 31 }
            [pscustomobject]@{ Name = 'bob'; Team = 'blue'; Age = 25 }
            [pscustomobject]@{ Name = 'cid'; Team = 'red'; Age = 40 }
        )
    }

    It 'sorts by a property, ascending and -Descending' {
        ($people | Sort-Object Age).Name | Should -Be 'bob', 'ann', 'cid'
        ($people | Sort-Object Age -Descending).Name | Should -Be 'cid', 'ann', 'bob'
        3, 1, 2 | Sort-Object | Should -Be 1, 2, 3
    }

    It 'groups with Count, Name and Group' {
        $groups = @($people | Group-Object Team | Sort-Object Name)
        $groups.Name | Should -Be 'blue', 'red'
        $groups | ForEach-Object { $_.Count } | Should -Be 1, 2
        $groups[1].Group.Name | Should -Be 'ann', 'cid'
    }

    It 'measures Count, Sum, Average, Minimum and Maximum' {
        $measure = $people | Measure-Object Age -Sum -Average -Minimum -Maximum
        $measure.Count | Should -Be 3
        $measure.Sum | Should -Be 96
        $measure.Average | Should -Be 32
        $measure.Minimum | Should -Be 25
        $measure.Maximum | Should -Be 40
        (1..4 | Measure-Object).Count | Should -Be 4
    }
}

Describe 'CSV, JSON and text' {
    It 'Export-Csv writes a file that Import-Csv reads back' {
        $path = [System.IO.Path]::GetTempFileName()
        try {
            [pscustomobject]@{ Id = 1; Text = 'a, "quoted" value' }, [pscustomobject]@{ Id = 2; Text = 'plain' } | Export-Csv -Path $path
            [System.IO.File]::ReadAllLines($path)[0] | Should -Be '"Id","Text"'
            $back = @(Import-Csv -Path $path)
            $back.Count | Should -Be 2
            $back[0].Text | Should -Be 'a, "quoted" value'
            $back[1].Id | Should -Be '2'
        }
        finally { [System.IO.File]::Delete($path) }
    }

    It 'ConvertTo-Csv quotes every field and writes no type line' {
        [pscustomobject]@{ A = 1; B = 'x' } | ConvertTo-Csv | Should -Be '"A","B"', '"1","x"'
    }

    It 'ConvertTo-Json writes plain objects, -Compress on one line' {
        [pscustomobject]@{ A = 1; B = 'x'; C = $true; D = $null } | ConvertTo-Json -Compress | Should -Be '{"A":1,"B":"x","C":true,"D":null}'
        @{ list = 1, 2 } | ConvertTo-Json -Compress | Should -Be '{"list":[1,2]}'
    }

    It 'Out-String and Format-Table print a table' {
        $text = [pscustomobject]@{ Name = 'ann'; Age = 31 } | Format-Table | Out-String
        $text | Should -Match 'Name\s+Age'
        $text | Should -Match 'ann\s+31'
    }
}

Describe 'Should' {
    It 'passes when the assertion holds' {
        1 | Should -Be 1
        'abc' | Should -BeExactly 'abc'
        5 | Should -BeGreaterThan 4
        5 | Should -BeGreaterOrEqual 5
        4 | Should -BeLessThan 5
        4 | Should -BeLessOrEqual 4
        $null | Should -BeNullOrEmpty
        @() | Should -BeNullOrEmpty
        $true | Should -BeTrue
        0 | Should -BeFalse
        1, 2, 3 | Should -Contain 2
        2 | Should -BeIn 1, 2, 3
        'hello' | Should -Match '^h'
        'hello' | Should -BeLike 'h*o'
        1 | Should -BeOfType [int]
        1, 2, 3 | Should -HaveCount 3
        'x' | Should -Not -Be 'y'
        { throw 'boom' } | Should -Throw '*oo*'
        { 1 } | Should -Not -Throw
    }

    It 'fails with Pester''s message: <Expected>' -TestCases @(
        @{ Assertion = { 15 | Should -Be 9 }; Expected = 'Expected 9, but got 15.' }
        @{ Assertion = { 1 | Should -Be 2 -Because 'it adds up' }; Expected = 'Expected 2, because it adds up, but got 1.' }
        @{ Assertion = { 1 | Should -BeGreaterThan 5 }; Expected = 'Expected the actual value to be greater than 5, but got 1.' }
        @{ Assertion = { $null | Should -Not -BeNullOrEmpty }; Expected = 'Expected a value, but got $null or empty.' }
        @{ Assertion = { 1, 2 | Should -HaveCount 3 }; Expected = 'Expected a collection with size 3, but got collection with size 2 @(1, 2).' }
        @{ Assertion = { 'abc' | Should -Match 'x' }; Expected = "Expected regular expression 'x' to match 'abc', but it did not match." }
        @{ Assertion = { { 1 } | Should -Throw }; Expected = 'Expected an exception to be thrown, but no exception was thrown.' }
    ) {
        param($Assertion, $Expected)
        $Assertion | Should -Throw -ExpectedMessage ([WildcardPattern]::Escape($Expected))
    }

    It '-Throw matches -ErrorId against the FullyQualifiedErrorId and -PassThru returns the error' {
        $err = { Get-Command -Name no-such-command-anywhere -ErrorAction Stop } |
            Should -Throw -ErrorId 'CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand' -PassThru
        $err | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        { { throw 'x' } | Should -Throw -ErrorId 'SomethingElse' } | Should -Throw '*FullyQualifiedErrorId*'
    }
}

Describe 'Scoping' {
    BeforeAll {
        $outer = 'outer'
        $afterEachRuns = [System.Collections.Generic.List[string]]::new()
    }
    BeforeEach { $each = "each of $outer" }
    AfterEach { $afterEachRuns.Add($each) }
    AfterAll { $afterEachRuns.Count | Should -Be 6 }

    It 'sees the file BeforeAll, the block BeforeAll and BeforeEach' {
        $fromFileSetup | Should -Be 'file setup'
        $outer | Should -Be 'outer'
        $each | Should -Be 'each of outer'
        $leaked = 'set by a test'
    }

    It 'does not see what another test set' {
        $leaked | Should -BeNullOrEmpty
    }

    It 'has $PSScriptRoot as the test file''s folder' {
        [System.IO.File]::Exists([System.IO.Path]::Combine($PSScriptRoot, 'Host.Tests.ps1')) | Should -BeTrue
    }

    It 'binds test case <A> + <B> to param() and variables' -TestCases @(@{ A = 2; B = 3; Sum = 5 }) {
        param($A, $B)
        $A + $B | Should -Be $Sum
    }

    Context 'nested' {
        BeforeAll { $inner = "inner of $outer" }

        It 'sees its own and the outer BeforeAll' {
            $inner | Should -Be 'inner of outer'
            $each | Should -Be 'each of outer'
        }

        It 'gets $_ from -ForEach: <_>' -ForEach 'item' {
            $_ | Should -Be 'item'
        }
    }
}

Describe 'PesterLite' {
    It 'runs a fixture file with the exact counts' {
        $pesterLite = [System.IO.Path]::Combine($PSScriptRoot, '..', 'PesterLite', 'PesterLite.ps1')
        $fixture = [System.IO.Path]::Combine($PSScriptRoot, '..', 'PesterLite', 'fixtures', 'Sample.Fixture.ps1')
        $script = ". '$pesterLite'; `$r = Invoke-Pester -Path '$fixture' -ExcludeTagFilter Slow -Output None -PassThru; " +
                  "'{0} passed, {1} failed, {2} skipped' -f `$r.PassedCount, `$r.FailedCount, `$r.SkippedCount"
        & $Launcher -NoProfile -Command $script | Should -Be '5 passed, 3 failed, 3 skipped'
    }
}

Describe 'ebpfps' {
    It 'prints objects as a table and exits 0' {
        $output = & $Launcher -Command '1..2 | ForEach-Object { [pscustomobject]@{ A = $_ } }'
        $LASTEXITCODE | Should -Be 0
        ($output -join "`n") | Should -Match 'A\n-\n1\n2'
    }

    It 'passes -File arguments as parameters and returns exit N' {
        $script = [System.IO.Path]::GetTempFileName() + '.ps1'
        try {
            [System.IO.File]::WriteAllText($script, 'param([string] $Name, [int] $Code) "hello $Name"; exit $Code')
            & $Launcher -File $script -Name 'you' -Code 7 | Should -Be 'hello you'
            $LASTEXITCODE | Should -Be 7
        }
        finally { [System.IO.File]::Delete($script) }
    }

    It 'prints a terminating error on stderr and exits 1' {
        $output = & $Launcher -Command 'throw "broken on purpose"' 2>&1
        $LASTEXITCODE | Should -Be 1
        ($output -join "`n") | Should -Match 'broken on purpose'
    }
}
