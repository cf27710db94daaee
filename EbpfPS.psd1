@{
    RootModule           = 'EbpfPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c2a7e-3c1b-4b7e-9a51-2f6d8e0b4c11'
    Author               = 'EbpfPS contributors'
    Description          = 'eBPF for PowerShell on Linux: trace signals, syscalls and kernel events as typed objects.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('EbpfPS.format.ps1xml')
    CmdletsToExport      = @('Get-BpfSignalEvent', 'Start-BpfTrace', 'Get-BpfKernelFunction', 'Get-BpfTraceLog', 'Get-BpfTracepoint',
                             'Get-BpfProgram', 'Get-BpfMap', 'Get-BpfLink', 'Read-BpfMap', 'Write-BpfMap', 'Remove-BpfMapEntry', 'Get-BpfFeature',
                             'Add-BpfXdpFilter', 'Get-BpfXdpFilter', 'Remove-BpfXdpFilter')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('eBPF', 'BPF', 'Linux', 'Tracing', 'Observability')
            ProjectUri = ''
        }
    }
}
