@{
    RootModule           = 'EbpfPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c2a7e-3c1b-4b7e-9a51-2f6d8e0b4c11'
    Author               = 'EbpfPS contributors'
    CompanyName          = 'EbpfPS contributors'
    Copyright            = '(c) 2026 EbpfPS contributors. MIT License.'
    Description          = 'eBPF for PowerShell on Linux: trace signals, syscalls, execs, TCP state and kernel functions as typed objects, filter packets with XDP and read BPF maps. Needs root (or CAP_BPF and CAP_PERFMON) and a kernel with BTF.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    TypesToProcess       = @('EbpfPS.types.ps1xml')
    FormatsToProcess     = @('EbpfPS.format.ps1xml')
    CmdletsToExport      = @('Get-BpfSignalEvent', 'Start-BpfTrace', 'Measure-BpfTrace', 'Get-BpfKernelFunction', 'Get-BpfUserFunction', 'Get-BpfTraceLog', 'Get-BpfTracepoint',
                             'Get-BpfProgram', 'Get-BpfMap', 'Get-BpfLink', 'Read-BpfMap', 'Write-BpfMap', 'Remove-BpfMapEntry', 'Get-BpfFeature',
                             'Add-BpfXdpFilter', 'Get-BpfXdpFilter', 'Remove-BpfXdpFilter', 'Get-BpfCpuProfile', 'Export-BpfFlameGraph',
                             'Register-BpfProgram', 'Unregister-BpfProgram', 'Get-BpfRegistration')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('eBPF', 'BPF', 'Linux', 'Tracing', 'Observability', 'XDP', 'libbpf', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/EbpfPS/EbpfPS'
            LicenseUri   = 'https://github.com/EbpfPS/EbpfPS/blob/main/LICENSE'
            ReleaseNotes = 'https://github.com/EbpfPS/EbpfPS/blob/main/README.md'
        }
    }
}
