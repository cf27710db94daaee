using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>One line of trace_pipe in its default layout (options context-info and irq-info on,
    /// latency-format off), e.g. `  kworker/u4:1-12  [001] d..31  1234.567890: bpf_trace_printk: hello`:
    /// task name and thread id, the thread group id when the record-tgid option is on, CPU, the flags
    /// column, the trace clock's time, the event (or function) that wrote it and its text.</summary>
    internal sealed partial record TraceLine(string Text, string Command, int ThreadId, int? ThreadGroupId, int Cpu,
        string Flags, ulong Time, bool TimeInNanoseconds, string? Event, string Message)
    {
        /// <summary>The event bpf_printk() (bpf_trace_printk/bpf_trace_vprintk helpers) writes.</summary>
        internal const string BpfPrintkEvent = "bpf_trace_printk";

        // The task name is printed with %16s and may hold spaces and dashes ("kworker/u4:1", "Web Content"):
        // the shortest name followed by -PID and the CPU column is the right split. Flags never start with
        // a digit, the time always does.
        [GeneratedRegex(@"^\s*(?<comm>.+?)-(?<pid>\d+)\s+(\(\s*(?<tgid>\d+|-+)\)\s+)?\[(?<cpu>\d+)\]\s+((?<flags>[^\s\d]\S{3,4})\s+)?(?<time>\d+)(\.(?<fraction>\d+))?: (?<rest>.*)$")]
        private static partial Regex Header();

        [GeneratedRegex(@"^(?<event>[^\s:]+): (?<message>.*)$")]
        private static partial Regex EventAndMessage();

        [GeneratedRegex(@"^CPU:(?<cpu>\d+) \[LOST (?<count>\d+) EVENTS\]$")]
        private static partial Regex LostLine();

        internal bool IsBpfPrintk => Event == BpfPrintkEvent;

        /// <summary>The parsed line, or null when it is not in the layout above (a continuation of a message
        /// with a newline, another tracer's layout, a LOST notice).</summary>
        internal static TraceLine? Parse(string text)
        {
            var match = Header().Match(text);
            if (!match.Success) return null;
            string rest = match.Groups["rest"].Value;
            var eventAndMessage = EventAndMessage().Match(rest);
            var tgid = match.Groups["tgid"];
            return new TraceLine(
                text,
                match.Groups["comm"].Value,
                int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture),
                tgid.Success && char.IsDigit(tgid.Value[0]) ? int.Parse(tgid.Value, CultureInfo.InvariantCulture) : null,
                int.Parse(match.Groups["cpu"].Value, CultureInfo.InvariantCulture),
                match.Groups["flags"].Value,
                ParseTime(match.Groups["time"].Value, match.Groups["fraction"]),
                match.Groups["fraction"].Success,
                eventAndMessage.Success ? eventAndMessage.Groups["event"].Value : null,
                eventAndMessage.Success ? eventAndMessage.Groups["message"].Value : rest);
        }

        /// <summary>"CPU:1 [LOST 42 EVENTS]": what the kernel overwrote before it was read.</summary>
        internal static bool TryParseLost(string text, out ulong count)
        {
            var match = LostLine().Match(text);
            count = match.Success ? ulong.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture) : 0;
            return match.Success;
        }

        /// <summary>Clocks that count nanoseconds print seconds.microseconds; the others (counter, uptime,
        /// x86-tsc) print their raw count.</summary>
        private static ulong ParseTime(string whole, Group fraction)
        {
            ulong value = ulong.Parse(whole, CultureInfo.InvariantCulture);
            if (!fraction.Success) return value;
            string nanoseconds = fraction.Value.Length >= 9 ? fraction.Value[..9] : fraction.Value.PadRight(9, '0');
            return value * 1_000_000_000UL + ulong.Parse(nanoseconds, CultureInfo.InvariantCulture);
        }
    }
}
