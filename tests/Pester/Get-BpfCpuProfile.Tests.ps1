#Requires -Version 7.4
# Get-BpfCpuProfile and Export-BpfFlameGraph on the real kernel: children whose hot code the test knows (a C program
# built here, spinning in ebpfps_hot ten times as long as in ebpfps_cold, or calling getppid without end; pwsh itself
# with DOTNET_PerfMapEnabled=1) are profiled, and their profiles, folded stacks, speedscope JSON and SVG (opened in
# headless Chromium) must show exactly that code on top.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
    $script:Chromium = (Get-Command chromium, chromium-browser -ErrorAction SilentlyContinue | Select-Object -First 1).Source
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram)
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force
    $Children = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    $ProgramIds = [System.IO.Path]::GetTempFileName()
    . "$PSScriptRoot/Support/Children.ps1"
    . "$PSScriptRoot/Support/Pwsh.ps1"
    $Chromium = (Get-Command chromium, chromium-browser -ErrorAction SilentlyContinue | Select-Object -First 1).Source

    $Work = (New-Item -ItemType Directory -Path ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "ebpfps-profile-$PID"))).FullName
    $Target = "$Work/profile-target"
    Build-FixtureProgram profile-target $Target

    # The frames' names of a sample, innermost first.
    function Get-Symbol($Frames) { @($Frames | ForEach-Object Symbol) }

    # The DOM of an SVG after Chromium has loaded it and run its script (with ?s=TERM: searched on load).
    function Get-RenderedDom([string] $Svg, [string] $Search) {
        $url = "file://$Svg" + $(if ($Search) { "?s=$([uri]::EscapeDataString($Search))" })
        $dom = & $Chromium --headless --no-sandbox --disable-gpu --user-data-dir="$Work/chromium" --virtual-time-budget=2000 --dump-dom $url 2>$null
        if ($LASTEXITCODE) { throw "chromium failed on $url" }
        $dom -join "`n"
    }
}

AfterAll {
    Stop-Children
    [System.IO.File]::Delete($ProgramIds)
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
    Assert-NothingLeft $HeldAtStart
}

Describe 'Get-BpfCpuProfile' -Skip:(-not $IsRoot) {
    BeforeAll {
        $spin = Start-Child $Target @('spin')
        # 999 Hz: enough samples of the child even where other work leaves it a small part of a CPU
        $Profile = @(Get-BpfCpuProfile -Duration 3 -Frequency 999 -ProcessId $spin.Id)
        Stop-Children
        $SpinId = $spin.Id
    }

    It 'counts only the process asked for, most counted first, with shares that add up to one' {
        $Profile.Count | Should -BeGreaterThan 0
        $Profile[0].PSObject.TypeNames | Should -Contain 'EbpfPS.BpfCpuProfileSample'
        $Profile | ForEach-Object { $_.ProcessId | Should -Be $SpinId; $_.Command | Should -Be 'profile-target' }
        $counts = @($Profile.Count)
        $counts | Should -Be @($counts | Sort-Object -Descending)
        ($Profile | Measure-Object Share -Sum).Sum | Should -BeGreaterThan 0.999
        ($Profile | Measure-Object Share -Sum).Sum | Should -BeLessThan 1.001
    }

    It 'finds the child in its hot function on top, called from main, ten times as often as in the cold one' {
        # 3 s at 999 Hz of a child that is always runnable: up to 2997 samples, fewer on a machine whose CPUs others use too
        ($Profile | Measure-Object Count -Sum).Sum | Should -BeGreaterThan 50
        $top = $Profile[0]
        $top.Share | Should -BeGreaterThan 0.6
        $top.UserFrames[0].Symbol | Should -Be 'ebpfps_hot'
        $top.UserFrames[0].Module | Should -Be $Target
        $top.UserFrames[0].ToString() | Should -Match '^ebpfps_hot\+0x[0-9a-f]+ \(.*/profile-target\)$'
        (Get-Symbol $top.UserFrames)[1] | Should -Be 'main'
        $top.Stack | Should -BeLike '*;main;ebpfps_hot'
        $hot = ($Profile | Where-Object { $_.UserFrames.Count -and $_.UserFrames[0].Symbol -eq 'ebpfps_hot' } | Measure-Object Count -Sum).Sum
        $cold = ($Profile | Where-Object { $_.UserFrames.Count -and $_.UserFrames[0].Symbol -eq 'ebpfps_cold' } | Measure-Object Count -Sum).Sum
        $hot | Should -BeGreaterThan (4 * $cold)
    }

    It 'names the hot function of a child that exited before the profile was read, found by build id on the PATH' {
        $spin = Start-Child $Target @('spin')
        $null = Start-Child bash '-c', "sleep 1.5; kill $($spin.Id)"
        $path = $env:PATH
        try {
            $env:PATH = "${path}:$Work" # where a program is found by its command's name once its process is gone
            $gone = @(Get-BpfCpuProfile -Duration 3 -Frequency 999 -ProcessId $spin.Id)
        }
        finally { $env:PATH = $path }

        $spin.WaitForExit(0) | Should -BeTrue -Because 'it was killed half-way through the profile'
        $top = $gone[0]
        $top.UserFrames[0].Symbol | Should -Be 'ebpfps_hot'
        $top.UserFrames[0].Module | Should -Be $Target
        $top.UserFrames[0].Address | Should -Be 0 -Because 'its mappings were gone: the frame is known by its file and offset'
        $top.UserFrames[0].FileOffset | Should -BeGreaterThan 0
        $top.Stack | Should -BeLike '*;main;ebpfps_hot'
    }

    It 'names the syscall entry path in the kernel frames of a child that lives in getppid' {
        $child = Start-Child $Target @('getppid')
        $samples = @(Get-BpfCpuProfile -Duration 2 -ProcessId $child.Id)
        Stop-Children
        $kernel = @($samples | Where-Object { $_.KernelFrames.Count })
        $kernel.Count | Should -BeGreaterThan 0
        $names = @($kernel | ForEach-Object { Get-Symbol $_.KernelFrames })
        $names | Should -Contain 'do_syscall_64'
        $names | Should -Contain 'entry_SYSCALL_64_after_hwframe'
        $kernel[0].KernelFrames[0].Kind | Should -Be 'Kernel'
        $kernel[0].KernelFrames[0].ToString() | Should -Match '^\S+\+0x[0-9a-f]+ \[kernel\]$'
        # its user part: the C function that makes the calls, below libc's syscall()
        $samples.UserFrames.Symbol | Should -Contain 'ebpfps_syscalls'
    }

    It 'names JIT-compiled .NET methods from the perf map of a pwsh run with DOTNET_PerfMapEnabled=1' {
        $program, $arguments = Get-PwshCommandLine
        $info = [System.Diagnostics.ProcessStartInfo]::new($program)
        foreach ($argument in @($arguments) + '-NonInteractive', '-Command', 'while ($true) { $s = 0; foreach ($i in 1..10000) { $s += $i } }') { $info.ArgumentList.Add($argument) }
        $info.Environment['DOTNET_PerfMapEnabled'] = '1'
        $child = [System.Diagnostics.Process]::Start($info)
        $Children.Add($child)
        $map = "/tmp/perf-$($child.Id).map"
        $deadline = [datetime]::UtcNow.AddSeconds(20)
        while (-not (Test-Path $map) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Start-Sleep -Seconds 2 # its loop compiled
        $samples = @(Get-BpfCpuProfile -Duration 2 -ProcessId $child.Id -WarningAction SilentlyContinue)
        Stop-Children
        Remove-Item $map -ErrorAction SilentlyContinue
        $jit = @($samples.UserFrames | Where-Object Kind -EQ Jit)
        $jit.Count | Should -BeGreaterThan 0
        $jit[0].Module | Should -Be $map
        $jit.Symbol -match 'System\.Management\.Automation' | Should -Not -BeNullOrEmpty
        ($samples | Where-Object Stack -Like '*_`[j`]*').Count | Should -BeGreaterThan 0
    }

    It 'leaves out the idle task unless -IncludeIdle' {
        $idle = @(Get-BpfCpuProfile -Duration 2 -Frequency 999 -IncludeIdle | Where-Object ProcessId -EQ 0)
        if (-not $idle) { Set-ItResult -Skipped -Because 'no CPU was idle for two seconds (a loaded machine)'; return }
        $idle.Command | ForEach-Object { $_ | Should -BeLike 'swapper/*' }
        $idle.UserFrames | Should -BeNullOrEmpty
        @(Get-BpfCpuProfile -Duration 2 -Frequency 999).ProcessId | Should -Not -Contain 0
    }

    It 'ends at Select-Object -First with nothing left attached' {
        $spin = Start-Child $Target @('spin')
        $first = @(Get-BpfCpuProfile -Duration 1 -ProcessId $spin.Id | Select-Object -First 1)
        Stop-Children
        $first.Count | Should -Be 1
        Get-OurProgram | Where-Object { $_ -notin $HeldAtStart } | Should -BeNullOrEmpty
    }

    It 'ends at Ctrl-C (a stopped pipeline) with nothing left attached' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1'; Get-BpfCpuProfile -Duration 60")
            $run = $ps.BeginInvoke()
            $cpus = @(Get-Content /sys/devices/system/cpu/online) # one perf event per online CPU
            $deadline = [datetime]::UtcNow.AddSeconds(20)
            while (@(Get-OurProgram | Where-Object { $_ -like '*perf_event*' }).Count -lt 1 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            @(Get-OurProgram | Where-Object { $_ -like '*perf_event*' }).Count | Should -BeGreaterThan 0 -Because "the profile attaches to CPUs $cpus"
            $ps.Stop()
            $run.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }
        Get-OurProgram | Where-Object { $_ -notin $HeldAtStart } | Should -BeNullOrEmpty
    }

    It 'stops with <ErrorId> for <Case>' -ForEach @(
        @{ Case = 'a frequency above the kernel''s maximum'; Arguments = @{ Frequency = 999999 }; ErrorId = 'InvalidFrequency' }
        @{ Case = 'a CPU that is not online'; Arguments = @{ Cpu = 4095 }; ErrorId = 'UnknownCpu' }
        @{ Case = 'a duration that is not positive'; Arguments = @{ Duration = [timespan]::Zero }; ErrorId = 'InvalidDuration' }
    ) {
        $parameters = @{ Duration = 1 }
        foreach ($name in $Arguments.Keys) { $parameters[$name] = $Arguments[$name] }
        $err = { Get-BpfCpuProfile @parameters } | Should -Throw -ErrorId "$ErrorId,EbpfPS.Commands.GetBpfCpuProfileCommand" -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}

Describe 'Export-BpfFlameGraph' -Skip:(-not $IsRoot) {
    BeforeAll {
        $spin = Start-Child $Target @('spin')
        $Samples = @(Get-BpfCpuProfile -Duration 3 -Frequency 999 -ProcessId $spin.Id -WarningAction SilentlyContinue)
        Stop-Children
        $Total = ($Samples | Measure-Object Count -Sum).Sum
        # what the hot function's frame stands for: every sample with it on the stack
        $Hot = ($Samples | Where-Object Stack -Match '(^|;)ebpfps_hot(;|$)' | Measure-Object Count -Sum).Sum
    }

    It 'writes folded stacks as flamegraph.pl reads them: command;outermost;...;innermost count' {
        $Samples | Export-BpfFlameGraph -Path "$Work/cpu.folded"
        $lines = @(Get-Content "$Work/cpu.folded")
        $lines | ForEach-Object { $_ | Should -Match '^profile-target;[^ ].* \d+$' }
        ($lines | ForEach-Object { [long]($_ -split ' ')[-1] } | Measure-Object -Sum).Sum | Should -Be $Total
        $hotLine = $lines | Where-Object { $_ -match ';main;ebpfps_hot \d+$' }
        [long]($hotLine -split ' ')[-1] | Should -Be ($Samples | Where-Object Stack -Like '*;main;ebpfps_hot').Count
    }

    It 'writes speedscope''s JSON: shared frames and one sampled profile weighed by the counts' {
        $Samples | Export-BpfFlameGraph -Path "$Work/cpu.json"
        $json = Get-Content -Raw "$Work/cpu.json" | ConvertFrom-Json
        $json.'$schema' | Should -Be 'https://www.speedscope.app/file-format-schema.json'
        $json.profiles.Count | Should -Be 1
        $json.profiles[0].type | Should -Be 'sampled'
        ($json.profiles[0].weights | Measure-Object -Sum).Sum | Should -Be $Total
        $json.profiles[0].samples.Count | Should -Be $json.profiles[0].weights.Count
        $hotFrame = [array]::IndexOf(@($json.shared.frames.name), 'ebpfps_hot')
        $weighed = 0
        for ($i = 0; $i -lt $json.profiles[0].samples.Count; $i++) { if ($hotFrame -in $json.profiles[0].samples[$i]) { $weighed += $json.profiles[0].weights[$i] } }
        $weighed | Should -Be $Hot
        $json.shared.frames[$json.profiles[0].samples[0][0]].name | Should -Be 'profile-target' # outermost first
    }

    It 'draws an SVG that Chromium renders, with the hot function the widest frame above main' -Skip:(-not $Chromium) {
        $Samples | Export-BpfFlameGraph -Path "$Work/cpu.svg"
        [xml] $svg = Get-Content -Raw "$Work/cpu.svg" # well-formed
        $dom = Get-RenderedDom "$Work/cpu.svg" -Search '^ebpfps_hot$'
        $dom | Should -Not -Match 'This page contains the following errors'
        [xml] $rendered = $dom
        $ns = @{ s = 'http://www.w3.org/2000/svg' }
        $frames = @(Select-Xml -Xml $rendered -XPath '//s:g[@class="f"]' -Namespace $ns | ForEach-Object Node)
        $main = $frames | Where-Object { $_.'data-name' -eq 'main' }
        $main | Should -HaveCount 1
        # the frames on main: one row above it, within its span
        $mainRect = $main.rect
        $above = @($frames | Where-Object { [double]$_.rect.y -eq [double]$mainRect.y - 16 -and [double]$_.rect.x -ge [double]$mainRect.x -and
                [double]$_.rect.x -lt [double]$mainRect.x + [double]$mainRect.width })
        $widest = $above | Sort-Object { [double]$_.rect.width } -Descending | Select-Object -First 1
        $widest.'data-name' | Should -Be 'ebpfps_hot'
        @($above.'data-name') | Should -Contain 'ebpfps_cold'
        # the search ran in the browser: it painted the hot frame and measured it on the laid-out graph
        $widest.'data-matched' | Should -Be 'true'
        $matched = (Select-Xml -Xml $rendered -XPath '//s:text[@id="matched"]' -Namespace $ns).Node.InnerText
        $matched | Should -Match '^Matched: [\d.]+%$'
        [double]($matched -replace '[^\d.]') | Should -BeGreaterThan (100.0 * $Hot / $Total - 0.2)
        [double]($matched -replace '[^\d.]') | Should -BeLessThan (100.0 * $Hot / $Total + 0.2)
        $widest.title | Should -BeLike "ebpfps_hot ($($Hot.ToString('N0', [cultureinfo]::InvariantCulture)) samples, *" # 2,724 samples
    }

    It 'takes the format from -Format over the extension' {
        $Samples | Export-BpfFlameGraph -Path "$Work/graph.out" -Format Folded
        Get-Content "$Work/graph.out" -TotalCount 1 | Should -Match '^profile-target;.* \d+$'
    }

    It 'writes nothing with -WhatIf, keeps a file with -NoClobber, and replaces a read-only one with -Force' {
        $Samples | Export-BpfFlameGraph -Path "$Work/whatif.svg" -WhatIf
        Test-Path "$Work/whatif.svg" | Should -BeFalse
        Set-Content "$Work/kept.svg" 'mine'
        { $Samples | Export-BpfFlameGraph -Path "$Work/kept.svg" -NoClobber } |
            Should -Throw -ErrorId 'FlameGraphFileExists,EbpfPS.Commands.ExportBpfFlameGraphCommand'
        Get-Content "$Work/kept.svg" | Should -Be 'mine'
        $Samples | Export-BpfFlameGraph -Path "$Work/kept.svg"
        Get-Content "$Work/kept.svg" -TotalCount 1 | Should -BeLike '<?xml*'
        # read-only: refused to a user without -Force (root writes anyway, so the mode is what -Force must change)
        chmod 0444 "$Work/kept.svg"
        $file = $Samples | Export-BpfFlameGraph -Path "$Work/kept.svg" -Force -PassThru
        $file.FullName | Should -Be "$Work/kept.svg"
        (Get-Item "$Work/kept.svg").UnixFileMode.HasFlag([System.IO.UnixFileMode]::UserWrite) | Should -BeTrue
    }

    It 'stops with <ErrorId> for <Case>' -ForEach @(
        @{ Case = 'an extension that names no format'; Path = 'graph.png'; Profiled = $true; ErrorId = 'UnknownFlameGraphFormat' }
        @{ Case = 'no samples'; Path = 'empty.svg'; Profiled = $false; ErrorId = 'FlameGraphSamplesMissing' }
    ) {
        $in = if ($Profiled) { $Samples } else { @([pscustomobject]@{ Command = 'x'; Stack = 'a'; Count = 0 }) }
        @($in).Length | Should -BeGreaterThan 0
        $err = { $in | Export-BpfFlameGraph -Path "$Work/$Path" } | Should -Throw -ErrorId "$ErrorId,EbpfPS.Commands.ExportBpfFlameGraphCommand" -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Test-Path "$Work/$Path" | Should -BeFalse
    }
}
