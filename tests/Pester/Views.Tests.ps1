#Requires -Version 7.4
# Every table view of the module fits pwsh's default 80 columns: declared widths, the headers of the columns
# that share what is left, and the spaces between them add up to 80 at most, and no column is declared narrower
# than its header (pwsh would cut it). Rendering with events is tested by each cmdlet's own file.

BeforeDiscovery {
    $formatFile = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/EbpfPS/EbpfPS.format.ps1xml")
    $script:Views = foreach ($view in ([xml](Get-Content -Raw $formatFile)).Configuration.ViewDefinitions.View) {
        if (-not $view.TableControl) { continue }
        $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
        @{
            Name    = $view.Name
            Columns = @(foreach ($header in $headers) { @{ Label = [string]$header.Label; Width = [int]$header.Width } })
        }
    }
}

Describe 'The table view <Name>' -ForEach $Views {
    It 'fits 80 columns' {
        $widths = $Columns | ForEach-Object { if ($_.Width) { $_.Width } else { $_.Label.Length } }
        ($widths | Measure-Object -Sum).Sum + $Columns.Count - 1 | Should -BeLessOrEqual 80
    }

    It 'declares no column narrower than its header' {
        foreach ($column in $Columns | Where-Object Width) {
            $column.Width | Should -BeGreaterOrEqual $column.Label.Length -Because "the header $($column.Label) would be cut"
        }
    }
}
