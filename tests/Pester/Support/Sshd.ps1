# Debian's sshd for tests of PowerShell remoting over SSH: on the loopback only, with a port, host key,
# client key and pwsh subsystem of its own, in a directory that Stop-TestSshd deletes. Dot-source it in
# BeforeAll after Support/Pwsh.ps1.

# Starts sshd and waits until it listens on every -Address; -ModulePath is prepended to PSModulePath in the
# sessions (sshd's SetEnv), so that commands of modules found there load by name as installed ones do.
function Start-TestSshd([string[]] $Address = '127.0.0.1', [string] $ModulePath) {
    $dir = (New-Item -ItemType Directory ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "ebpfps-sshd-$([guid]::NewGuid().ToString('N'))"))).FullName
    foreach ($key in "$dir/host_key", "$dir/client_key") { & ssh-keygen -q -t ed25519 -N '' -C ebpfps-test -f $key }
    Copy-Item "$dir/client_key.pub" "$dir/authorized_keys"
    $free = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $free.Start(); $port = $free.LocalEndpoint.Port; $free.Stop()
    $program, $arguments = Get-PwshCommandLine
    @(
        "Port $port"
        foreach ($a in $Address) { "ListenAddress $a" }
        "HostKey $dir/host_key"
        "PidFile $dir/sshd.pid"
        "AuthorizedKeysFile $dir/authorized_keys"
        'PermitRootLogin prohibit-password'
        'PasswordAuthentication no'
        'KbdInteractiveAuthentication no'
        'UsePAM no'
        'StrictModes no'
        if ($ModulePath) { "SetEnv PSModulePath=$ModulePath`:$env:PSModulePath" }
        "Subsystem powershell $program $($arguments -join ' ') -sshs"
    ) | Set-Content "$dir/sshd_config"
    $null = New-Item -ItemType Directory -Force /run/sshd   # sshd's privilege separation directory
    $info = [System.Diagnostics.ProcessStartInfo]::new('/usr/sbin/sshd')
    foreach ($a in '-D', '-f', "$dir/sshd_config", '-E', "$dir/sshd.log") { $info.ArgumentList.Add($a) }
    $process = [System.Diagnostics.Process]::Start($info)
    $deadline = [datetime]::UtcNow.AddSeconds(10)
    foreach ($a in $Address) {
        while ($true) {
            try { [System.Net.Sockets.TcpClient]::new($a, $port).Dispose(); break }
            catch { if ([datetime]::UtcNow -gt $deadline) { throw "sshd did not listen on ${a}:$port`: $(Get-Content -Raw "$dir/sshd.log")" } }
            [System.Threading.Thread]::Sleep(50)
        }
    }
    [pscustomobject]@{
        Process   = $process
        Directory = $dir
        Port      = $port
        ClientKey = "$dir/client_key"
        # ssh options for Invoke-Command -Options: this sshd's port, its key and a known_hosts of its own.
        Options   = @{ Port = "$port"; IdentityFile = "$dir/client_key"; IdentitiesOnly = 'yes'; StrictHostKeyChecking = 'no'; UserKnownHostsFile = "$dir/known_hosts"; LogLevel = 'ERROR' }
    }
}

function Stop-TestSshd($Sshd) {
    if (-not $Sshd) { return }
    if (-not $Sshd.Process.HasExited) { $Sshd.Process.Kill(); $Sshd.Process.WaitForExit() }
    Remove-Item $Sshd.Directory -Recurse -Force
}
