# Children that act once the test's trace is attached, shared by the suites that trace them: dot-source it in
# BeforeAll after setting $Children (a List[Process]) and $ProgramIds (a temporary file).

# Starts `bash -c $Commands` once this process holds a BPF link on each tracepoint in $Tracepoint
# (names as in /proc/PID/fdinfo: sys_exit_write, inet_sock_set_state). The child gives up after 20 s.
function Start-WhenAttached([string[]] $Tracepoint, [string] $Commands) {
    Start-WhenHeld @($Tracepoint | ForEach-Object { "tp_name:[[:space:]]*($_)" }) $Commands
}

# Starts `bash -c $Commands` once this process holds a uprobe's BPF link (Start-BpfTrace -UserFunction); the bash
# runs $Setup first, and is started through $Launcher (unshare --mount) where one is given.
function Start-WhenUprobed([string] $Commands, [string] $Setup, [string[]] $Launcher) {
    Start-WhenHeld 'event_type:[[:space:]]*uprobe' $Commands $Setup $Launcher
}

# Starts `bash -c $Commands` once a line of this process's /proc/PID/fdinfo matches each of the extended regular
# expressions $Line (whole lines), noting the ids of the programs it holds then.
function Start-WhenHeld([string[]] $Line, [string] $Commands, [string] $Setup, [string[]] $Launcher) {
    $fdinfo = "/proc/$PID/fdinfo/*"
    $wait = foreach ($pattern in $Line) {
        "until grep -qsxE '$pattern' $fdinfo; do (( SECONDS < 20 )) || exit 99; sleep 0.01; done"
    }
    $note = "grep -hs '^prog_id:' $fdinfo | sed 's/^prog_id:[[:space:]]*//' >> '$ProgramIds'"
    $script = (@($Setup | Where-Object { $_ }) + $wait + $note + $Commands) -join '; '
    if ($Launcher) { Start-Child $Launcher[0] (@($Launcher | Select-Object -Skip 1) + 'bash', '-c', $script) } else { Start-Bash $script }
}

# -Syscall attaches to the raw sys_exit tracepoint where the kernel has it, else to the syscall's own.
function SyscallExit([string] $Name) { "sys_exit|sys_exit_$Name" }

function Start-Bash([string] $Script) { Start-Child bash '-c', $Script }

# A child in the C locale, so that no error message makes it look up message catalogs (failed openat calls).
function Start-Child([string] $FileName, [string[]] $Arguments) {
    $info = [System.Diagnostics.ProcessStartInfo]::new($FileName)
    foreach ($argument in $Arguments) { $info.ArgumentList.Add($argument) }
    $info.Environment['LC_ALL'] = 'C'
    $child = [System.Diagnostics.Process]::Start($info)
    $Children.Add($child)
    $child
}

function Stop-Children {
    foreach ($process in $Children) { if (-not $process.HasExited) { $process.Kill(); $process.WaitForExit() } }
    $Children.Clear()
}

# The ids of the programs the children saw this process hold.
function Get-NotedProgramId { @([System.IO.File]::ReadAllLines($ProgramIds) | Where-Object { $_ } | Sort-Object -Unique) }

# Those of them the kernel still has (Get-OurProgram shows what this process holds now). The kernel
# frees released programs after an RCU grace period: give it a moment.
function Get-LeftoverProgram {
    $ids = Get-NotedProgramId
    $deadline = [datetime]::UtcNow.AddSeconds(3)
    do {
        $left = @(bpftool prog show | Where-Object { $_ -match '^(\d+):' -and $Matches[1] -in $ids })
        if ($left.Count -eq 0) { break }
        [System.Threading.Thread]::Sleep(20)
    } while ([datetime]::UtcNow -lt $deadline)
    $left
}
