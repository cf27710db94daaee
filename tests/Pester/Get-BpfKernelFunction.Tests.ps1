#Requires -Version 7.4
# Get-BpfKernelFunction against what the kernel says elsewhere: /proc/kallsyms for presence and address,
# the kprobe PMU and bpftool's feature probe for the ways of hooking a function.

BeforeDiscovery {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $script:IsRoot = Test-BpfPrivilege
}

BeforeAll {
    . "$PSScriptRoot/Support/Kernel.ps1"
    $HeldAtStart = @(Get-OurProgram) # for the leak check at the end of the file
    Import-Module "$PSScriptRoot/../../out/EbpfPS/EbpfPS.psd1" -Force

    $HasKprobes = [System.IO.Directory]::Exists('/sys/bus/event_source/devices/kprobe') -or
        [System.IO.File]::Exists('/sys/kernel/tracing/kprobe_events') -or [System.IO.File]::Exists('/sys/kernel/debug/tracing/kprobe_events')
    $HasFentry = [bool](bpftool feature probe kernel 2>$null | Where-Object { $_ -match 'program_type tracing is available' })

    # The text symbols (functions) of /proc/kallsyms whose names are -clike $Pattern: "address type name [module]".
    function Get-KallsymsFunction([string] $Pattern) {
        foreach ($line in [System.IO.File]::ReadLines('/proc/kallsyms')) {
            $fields = $line.Split(' ', 4)
            if ($fields[1] -in 't', 'T' -and $fields[2] -clike $Pattern) {
                [pscustomobject]@{ Name = $fields[2]; Address = [Convert]::ToUInt64($fields[0], 16) }
            }
        }
    }
}

AfterAll {
    Assert-NothingLeft $HeldAtStart
}

Describe 'Get-BpfKernelFunction' -Skip:(-not $IsRoot) {
    It 'describes do_unlinkat: address from kallsyms, BTF prototype, and the methods this kernel offers' {
        $info = @(Get-BpfKernelFunction do_unlinkat)

        $info.Count | Should -Be 1
        $f = $info[0]
        $f.PSObject.TypeNames[0] | Should -Be 'EbpfPS.BpfKernelFunctionInfo'
        $f.Name | Should -Be 'do_unlinkat'
        $f.Module | Should -Be ''
        $f.Address | Should -Be (Get-KallsymsFunction do_unlinkat | Select-Object -First 1).Address
        $f.HasBtf | Should -BeTrue
        $f.Prototype | Should -Be 'int do_unlinkat(int dfd, struct filename * name)'
        $f.KprobeAvailable | Should -Be $HasKprobes
        if (-not $HasFentry) { $f.FentryAvailable | Should -BeFalse -Because 'bpftool finds no tracing program type' }
    }

    It 'shows the methods and the whole prototype in its table at 80 columns, the hex address in its list' {
        $f = Get-BpfKernelFunction do_unlinkat
        $text = $f | Out-String -Width 80
        $text | Should -Match 'Kprobe\s+Fentry\s+BTF\s+Module\s+Function'
        $text | Should -Match ("{0}\s+{1}\s+True\s+int do_unlinkat\(int dfd, struct filename \* name\)\s*$" -f $f.KprobeAvailable, $f.FentryAvailable)
        $f | Format-List | Out-String | Should -Match ('Address\s+: {0}' -f $f.Address)
    }

    It 'finds functions by wildcard, case-sensitively, as many as kallsyms lists' {
        $found = @(Get-BpfKernelFunction 'tcp_v4_*')
        $names = @($found.Name)
        $names | Should -Contain 'tcp_v4_connect'
        $names | Where-Object { $_ -cnotlike 'tcp_v4_*' } | Should -BeNullOrEmpty
        $names.Count | Should -Be @(Get-KallsymsFunction 'tcp_v4_*' | Select-Object -ExpandProperty Name | Sort-Object -Unique).Count
        @($found | Where-Object FentryAvailable | Where-Object { -not $_.HasBtf }) | Should -HaveCount 0 -Because 'fentry needs BTF'

        @(Get-BpfKernelFunction 'TCP_V4_*') | Should -HaveCount 0
        @(Get-BpfKernelFunction 'no_such_function_*' -ErrorVariable none) | Should -HaveCount 0
        $none | Should -BeNullOrEmpty -Because 'a pattern that matches nothing is not an error'
    }

    It 'takes names from the pipeline' {
        $found = @('vfs_read', 'vfs_write' | Get-BpfKernelFunction)
        @($found.Name | Sort-Object) | Should -Be @('vfs_read', 'vfs_write')
        ($found | Where-Object Name -eq vfs_write).Prototype | Should -BeLike 'ssize_t vfs_write(struct file * file, *'
    }

    It 'writes KernelFunctionNotFound for an unknown name and goes on with the others' {
        $found = @(Get-BpfKernelFunction 'no_such_kernel_function_x', do_unlinkat, 'DO_UNLINKAT' -ErrorVariable missing -ErrorAction SilentlyContinue)

        $found.Name | Should -Be 'do_unlinkat'
        $missing.Count | Should -Be 2
        $missing[0].FullyQualifiedErrorId | Should -Be 'KernelFunctionNotFound,EbpfPS.Commands.GetBpfKernelFunctionCommand'
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @($missing.TargetObject | Sort-Object) | Should -Be @('DO_UNLINKAT', 'no_such_kernel_function_x')
        $missing[0].ErrorDetails.RecommendedAction | Should -BeLike '*Get-BpfKernelFunction*'
    }
}

Describe 'Get-BpfKernelFunction input' {
    It 'requires a name' {
        { Get-BpfKernelFunction -Name @() } | Should -Throw -ErrorId 'ParameterArgumentValidationError*,EbpfPS.Commands.GetBpfKernelFunctionCommand'
    }
}
