using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace EbpfPS.Host
{
    internal enum RunOutcome { Succeeded, Failed, Stopped }

    /// <summary>
    /// One runspace with the module imported; runs scripts one at a time, their output through
    /// Out-Default and their errors to stderr, and stops the running one on request (Ctrl-C, SIGTERM).
    /// </summary>
    internal sealed class ScriptSession : IDisposable
    {
        private readonly ConsoleHost _host;
        private readonly Runspace _runspace;
        private readonly object _gate = new();
        private PowerShell? _running;
        private bool _stopRequested;

        private ScriptSession(ConsoleHost host, Runspace runspace)
        {
            _host = host;
            _runspace = runspace;
        }

        /// <summary>Opens the runspace and imports the module; null when the import failed (its errors are printed).</summary>
        public static ScriptSession? Open(ConsoleHost host, string modulePath)
        {
            // CreateDefault2: CreateDefault() also wants the console host and utility assemblies, which are not here.
            InitialSessionState state = InitialSessionState.CreateDefault2();
            Compat.CompatCmdlets.AddMissing(state);
            Runspace runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            var session = new ScriptSession(host, runspace);
            if (session.Invoke(ps => ps.AddCommand("Import-Module").AddParameter("Name", modulePath), toOutDefault: false) == RunOutcome.Succeeded)
                return session;
            session.Dispose();
            return null;
        }

        // $? is reset when a pipeline ends, so the script itself hands over the status of its last statement.
        private const string StatusVariable = "__ebpfpsLastStatus";

        public RunOutcome Run(string script)
        {
            _runspace.SessionStateProxy.SetVariable(StatusVariable, true);
            return Invoke(ps => ps.AddScript(script + $"\n$global:{StatusVariable} = $?"), toOutDefault: true);
        }

        /// <summary>$LASTEXITCODE: what 'exit N' inside a script file, or the last native program, left.</summary>
        public int LastExitCode => _runspace.SessionStateProxy.GetVariable("LASTEXITCODE") as int? ?? 0;

        /// <summary>Asks the running script to stop; false when nothing runs.</summary>
        public bool TryStop()
        {
            lock (_gate)
            {
                if (_running is null) return false;
                _stopRequested = true;
                _running.BeginStop(null, null);
                return true;
            }
        }

        public bool IsStopping
        {
            get { lock (_gate) return _running is not null && _stopRequested; }
        }

        private RunOutcome Invoke(Action<PowerShell> addCommands, bool toOutDefault)
        {
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = _runspace;
            addCommands(ps);
            if (toOutDefault) ps.AddCommand("Out-Default");
            ps.Streams.Error.DataAdded += (_, e) => PrintError(ps.Streams.Error[e.Index]);
            lock (_gate)
            {
                _running = ps;
                _stopRequested = false;
            }
            try
            {
                ps.Invoke();
                if (ps.InvocationStateInfo.State == PSInvocationState.Stopped) return RunOutcome.Stopped;
                return LastStatementSucceeded() ? RunOutcome.Succeeded : RunOutcome.Failed;
            }
            catch (PipelineStoppedException)
            {
                return RunOutcome.Stopped;
            }
            catch (RuntimeException ex)
            {
                PrintError(ex.ErrorRecord);
                return RunOutcome.Failed;
            }
            finally
            {
                lock (_gate) _running = null;
            }
        }

        private bool LastStatementSucceeded() => _runspace.SessionStateProxy.GetVariable(StatusVariable) is not false;

        private void PrintError(ErrorRecord error) => _host.UI.WriteErrorLine(ErrorView.Format(error));

        public void Dispose() => _runspace.Dispose();
    }
}
