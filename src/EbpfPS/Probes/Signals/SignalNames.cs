using System;
using System.Collections.Generic;
using System.Globalization;

namespace EbpfPS.Probes.Signals
{
    /// <summary>Linux signal numbers, their names as `kill -l` prints them, and what the kernel's
    /// si_code and generation result numbers mean.</summary>
    internal static class SignalNames
    {
        internal const int Max = 64;
        /// <summary>The first real-time signal user space sees (glibc keeps 32 and 33 for itself).</summary>
        internal const int RealTimeMin = 34;

        private static readonly string[] Standard =
        {
            "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
            "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
            "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
            "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
        };

        private static readonly Dictionary<string, int> Aliases = new(StringComparer.OrdinalIgnoreCase)
        {
            ["SIGIOT"] = 6, ["SIGCLD"] = 17, ["SIGPOLL"] = 29, ["SIGRTMIN"] = RealTimeMin, ["SIGRTMAX"] = Max,
        };

        /// <summary>SIGTERM for 15, SIGRTMIN+3 / SIGRTMAX-2 for real-time signals, SIG32 for glibc's own.</summary>
        internal static string Name(int signal)
        {
            if (signal > 0 && signal < Standard.Length) return Standard[signal];
            if (signal == RealTimeMin) return "SIGRTMIN";
            if (signal == Max) return "SIGRTMAX";
            if (signal > RealTimeMin && signal <= (RealTimeMin + Max) / 2) return $"SIGRTMIN+{signal - RealTimeMin}";
            if (signal > RealTimeMin && signal < Max) return $"SIGRTMAX-{Max - signal}";
            return $"SIG{signal}";
        }

        /// <summary>Reads SIGKILL, KILL, kill, 9, RTMIN+3 or SIGRTMAX-1; false for anything else.</summary>
        internal static bool TryParse(string text, out int signal)
        {
            signal = 0;
            string s = text.Trim();
            if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out signal))
                return signal >= 1 && signal <= Max;
            if (!s.StartsWith("SIG", StringComparison.OrdinalIgnoreCase)) s = "SIG" + s;
            for (int i = 1; i < Standard.Length; i++)
                if (string.Equals(Standard[i], s, StringComparison.OrdinalIgnoreCase)) { signal = i; return true; }
            if (Aliases.TryGetValue(s, out signal)) return true;

            int sign = s.IndexOfAny(new[] { '+', '-' });
            if (sign > 0 && Aliases.TryGetValue(s[..sign], out int baseSignal) && baseSignal >= RealTimeMin
                && int.TryParse(s[(sign + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int offset))
            {
                signal = s[sign] == '+' ? baseSignal + offset : baseSignal - offset;
                return signal >= RealTimeMin && signal <= Max;
            }
            signal = 0;
            return false;
        }

        /// <summary>enum trace_signal_result of include/trace/events/signal.h.</summary>
        internal static string ResultName(int result) => result switch
        {
            0 => "Delivered",
            1 => "Ignored",
            2 => "AlreadyPending",
            3 => "OverflowFail",
            4 => "LoseInfo",
            _ => $"Result{result}",
        };

        /// <summary>True when the kernel queued the signal for its target (so a delivery may follow).</summary>
        internal static bool IsQueued(int result) => result == 0 || result == 4;

        /// <summary>si_code names: the generic ones, then those specific to SIGCHLD and SIGSEGV.</summary>
        internal static string CodeName(int signal, int code) => code switch
        {
            0 => "SI_USER",
            0x80 => "SI_KERNEL",
            -1 => "SI_QUEUE",
            -2 => "SI_TIMER",
            -3 => "SI_MESGQ",
            -4 => "SI_ASYNCIO",
            -5 => "SI_SIGIO",
            -6 => "SI_TKILL",
            -7 => "SI_DETHREAD",
            -60 => "SI_ASYNCNL",
            > 0 when signal == 17 && code <= 6 =>
                new[] { "", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED" }[code],
            > 0 when signal == 11 && code <= 2 => code == 1 ? "SEGV_MAPERR" : "SEGV_ACCERR",
            _ => code.ToString(CultureInfo.InvariantCulture),
        };
    }
}
