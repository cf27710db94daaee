using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace EbpfPS.Tests.Support
{
    /// <summary>The built module (out/EbpfPS) imported into a runspace that runs pipelines on the calling
    /// thread, so that a NetworkNamespace the test entered applies to the cmdlets too.</summary>
    internal sealed class ModuleSession : IDisposable
    {
        private readonly Runspace _runspace;

        internal ModuleSession()
        {
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(Path.Combine(RepoRoot, "out", "EbpfPS", "EbpfPS.psd1"));
            _runspace = RunspaceFactory.CreateRunspace(state);
            _runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
            _runspace.Open();
        }

        internal static string RepoRoot { get; } = FindRepoRoot();

        internal sealed record Result(List<PSObject> Output, List<ErrorRecord> Errors, List<string> Warnings, List<string> Verbose)
        {
            internal T Single<T>() => (T)Xunit.Assert.Single(Output).BaseObject;

            internal void NoErrors()
            {
                if (Errors.Count > 0) throw new Xunit.Sdk.XunitException(string.Join("\n", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
            }
        }

        /// <summary>Runs <paramref name="script"/>; a terminating error lands in Errors like the others.</summary>
        internal Result Run(string script)
        {
            using var powerShell = PowerShell.Create();
            powerShell.Runspace = _runspace;
            powerShell.AddScript(script);
            var output = new List<PSObject>();
            var errors = new List<ErrorRecord>();
            try { output.AddRange(powerShell.Invoke()); }
            catch (RuntimeException e) { errors.Add(e.ErrorRecord); }
            errors.InsertRange(0, powerShell.Streams.Error);
            return new Result(output, errors, powerShell.Streams.Warning.Select(w => w.Message).ToList(),
                powerShell.Streams.Verbose.Select(v => v.Message).ToList());
        }

        public void Dispose() => _runspace.Dispose();

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EbpfPS.sln"))) return dir.FullName;
            throw new InvalidOperationException("EbpfPS.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
