using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace EbpfPS.Tests.Support
{
    /// <summary>A child process a test signals; killed and reaped when the test ends.</summary>
    internal sealed partial class Child : IDisposable
    {
        private readonly Process _process;

        private Child(Process process) => _process = process;

        internal int Pid => _process.Id;

        /// <summary>Starts `bash -c script`; <paramref name="readyComm"/> is the comm once it is ready
        /// (e.g. "sleep" after `exec sleep`), so that signal dispositions are in place before the test sends.</summary>
        internal static Child Bash(string script, string readyComm)
        {
            var start = new ProcessStartInfo("bash") { ArgumentList = { "-c", script }, RedirectStandardInput = true };
            var child = new Child(Process.Start(start)!);
            child.WaitForComm(readyComm);
            return child;
        }

        /// <summary>How long a child may take to exec and get ready: python3 took over 30 s to block a signal once in the
        /// 5.10 guest while another guest shared the two CPUs (emulated, its files read over the host's file system).</summary>
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

        internal void WaitForComm(string comm)
        {
            var deadline = DateTime.UtcNow.Add(StartTimeout);
            while (ReadComm() != comm)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"child {Pid} never became '{comm}'");
                Thread.Sleep(10);
            }
        }

        /// <summary>Waits until a signal mask of /proc/PID/status has <paramref name="signal"/>:
        /// "SigBlk" once the child blocks it, "SigCgt" once it has a handler for it.</summary>
        internal void WaitForSignalMask(string mask, int signal)
        {
            var deadline = DateTime.UtcNow.Add(StartTimeout);
            while (!HasInMask(mask, signal))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"child {Pid} never had signal {signal} in {mask}");
                Thread.Sleep(10);
            }
        }

        private bool HasInMask(string mask, int signal)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
                    if (line.StartsWith(mask + ":", StringComparison.Ordinal))
                        return (Convert.ToUInt64(line[(mask.Length + 1)..].Trim(), 16) & (1UL << (signal - 1))) != 0;
            }
            catch (IOException) { }
            return false;
        }

        private string? ReadComm()
        {
            try { return File.ReadAllText($"/proc/{Pid}/comm").Trim(); }
            catch (IOException) { return null; }
        }

        internal void Signal(int signal)
        {
            if (kill(Pid, signal) != 0) throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        /// <summary>sigqueue(3): a signal with a value, si_code SI_QUEUE.</summary>
        internal void Queue(int signal, int value)
        {
            if (sigqueue(Pid, signal, value) != 0) throw new InvalidOperationException($"sigqueue({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        internal bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

        public void Dispose()
        {
            try { if (!_process.HasExited) _process.Kill(); _process.WaitForExit(5000); }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }

        [LibraryImport("libc", SetLastError = true)] private static partial int kill(int pid, int signal);
        [LibraryImport("libc", SetLastError = true)] private static partial int sigqueue(int pid, int signal, nint value);

        [LibraryImport("libc")] internal static partial int gettid();
    }
}
