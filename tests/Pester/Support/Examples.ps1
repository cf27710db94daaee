# The examples of the documentation, for tests/Pester/Examples.Tests.ps1 (dot-source it), and the network
# helpers that the XDP examples' child pwsh also dot-sources.

# Every example: the ```powershell block of each "### Example N: Title" section of en-US/CMDLET.md, and each
# statement of the ```powershell blocks of README.md and en-US/about_EbpfPS.md. In those, statements on one
# line, and a statement with the earlier ones whose variables it uses, are one example, named by its first line.
function Get-DocumentationExample([string] $Root) {
    foreach ($file in Get-ChildItem "$Root/en-US" -Filter '*.md' | Where-Object Name -NE 'about_EbpfPS.md' | Sort-Object Name) {
        $text = [System.IO.File]::ReadAllText($file.FullName)
        foreach ($section in [regex]::Matches($text, '(?ms)^### Example (\d+): ([^\r\n]*)\r?\n(.*?)(?=^#{1,3} |\z)')) {
            $block = [regex]::Match($section.Groups[3].Value, '(?ms)^```powershell\r?\n(.*?)^```')
            # platyPS examples may show prompts; the code is what follows them.
            $code = ($block.Groups[1].Value.TrimEnd() -split '\r?\n' | ForEach-Object { $_ -replace '^PS[^>]*>\s?', '' }) -join "`n"
            @{ File = $file.Name; Key = "$($file.Name): Example $($section.Groups[1].Value)"; Title = $section.Groups[2].Value; Code = $code }
        }
    }
    foreach ($path in "$Root/README.md", "$Root/en-US/about_EbpfPS.md") {
        $name = [System.IO.Path]::GetFileName($path)
        foreach ($block in [regex]::Matches([System.IO.File]::ReadAllText($path), '(?ms)^```powershell\r?\n(.*?)^```')) {
            foreach ($code in Split-CodeBlock $block.Groups[1].Value) {
                @{ File = $name; Key = "${name}: $(($code -split "`n")[0].Trim())"; Title = ''; Code = $code }
            }
        }
    }
}

# The statements of a block of code, grouped as Get-DocumentationExample says, each group with its lines
# (comments included).
function Split-CodeBlock([string] $Code) {
    $lines = $Code.TrimEnd() -split '\r?\n'
    $ast = [System.Management.Automation.Language.Parser]::ParseInput(($lines -join "`n"), [ref] $null, [ref] $null)
    $groups = [System.Collections.Generic.List[hashtable]]::new()
    foreach ($statement in $ast.EndBlock.Statements) {
        $first = $statement.Extent.StartLineNumber; $last = $statement.Extent.EndLineNumber
        $used = @($statement.FindAll({ $args[0] -is [System.Management.Automation.Language.VariableExpressionAst] }, $true) | ForEach-Object { $_.VariablePath.UserPath })
        $owner = $groups | Where-Object { $_.Last -ge $first -or @($_.Assigned | Where-Object { $_ -in $used }).Count } | Select-Object -First 1
        if (-not $owner) { $owner = @{ First = $first; Last = $last; Assigned = @() }; $groups.Add($owner) }
        $owner.Last = [Math]::Max($owner.Last, $last)
        $owner.Assigned += @($statement.FindAll({ $args[0] -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true) |
                ForEach-Object { $_.Left.VariablePath.UserPath })
    }
    foreach ($group in $groups) { ($lines[($group.First - 1)..($group.Last - 1)] -join "`n").Trim() }
}

# Echo replies that -From in the sender's namespace got for -Count echo requests to -To.
function Send-Ping([string] $Sender, [string] $From, [string] $To, [int] $Count = 3) {
    $output = & ip netns exec $Sender ping -n -q -c $Count -i 0.05 -W 1 -I $From $To 2>&1
    [int] [regex]::Match(($output -join "`n"), '(\d+) (packets )?received').Groups[1].Value
}

# Whether a TCP connection from -From (sender's namespace) reaches a listener on -To:-Port (receiver's).
function Test-TcpConnection([string] $Sender, [string] $Receiver, [string] $From, [string] $To, [int] $Port) {
    $listen = "import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); " +
        "s.bind(('$To', $Port)); s.listen(); print('ready', flush=True); s.settimeout(2); c, _ = s.accept(); print(c.recv(5).decode())"
    $info = [System.Diagnostics.ProcessStartInfo]::new('ip')
    foreach ($a in 'netns', 'exec', $Receiver, '/usr/bin/python3', '-c', $listen) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true # a listener that hears nothing times out with a traceback
    $listener = [System.Diagnostics.Process]::Start($info)
    if ($listener.StandardOutput.ReadLine() -ne 'ready') { throw "the listener on port $Port did not start: $($listener.StandardError.ReadToEnd())" }
    & ip netns exec $Sender /usr/bin/python3 -c "import socket; s = socket.socket(); s.settimeout(1); s.bind(('$From', 0)); s.connect(('$To', $Port)); s.send(b'hello')" 2>$null
    $heard = $listener.StandardOutput.ReadToEnd().Trim()
    $listener.WaitForExit()
    $heard -eq 'hello'
}
