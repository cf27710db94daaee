using System.Collections.Generic;
using System.IO;
using System;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core.TraceFs;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Probes.TraceLog
{
    /// <summary>The lines of trace_pipe as BpfTraceLogEntry objects. Nothing is loaded into the kernel:
    /// bpf_printk() output is there as soon as some program calls it.</summary>
    internal sealed class TraceLogSource : IEventSource<BpfTraceLogEntry>
    {
        private const string UnknownCommand = "<...>";

        private readonly TracePipe? _pipe;
        private readonly TraceClock _clock;
        private readonly TraceLogFilter _filter;
        private readonly List<string> _lines = new();
        private readonly List<BpfTraceLogEntry> _batch = new();
        private readonly List<BpfTraceLogEntry> _ready = new();
        private readonly ProcThreads _threads = new();
        private readonly ulong? _since;
        private ulong _lost, _lostPending;

        internal TraceLogSource(TracePipe? pipe, TraceClock clock, TraceLogFilter filter)
        {
            _pipe = pipe;
            _clock = clock;
            _filter = filter;
            // trace_pipe hands out what waited in the buffer first, minutes old perhaps: lines stamped before
            // now are dropped unless asked for (a clock that counts no time cannot tell, and drops none).
            _since = filter.IncludeBacklog ? null : clock.Now();
        }

        /// <summary>Opens trace_pipe of the tracefs mount (mounting it where needed).</summary>
        internal static TraceLogSource Open(TraceLogFilter filter, out bool tracingOn)
        {
            string traceFs = KernelSupport.DemandTraceFs();
            tracingOn = File.ReadAllText(Path.Combine(traceFs, "tracing_on")).Trim() != "0";
            var pipe = TracePipe.Open(Path.Combine(traceFs, "trace_pipe"));
            try
            {
                return new TraceLogSource(pipe, TraceClock.Open(traceFs), filter);
            }
            catch
            {
                pipe.Dispose();
                throw;
            }
        }

        public ulong Lost => _lost;

        public IReadOnlyList<LibbpfLog.Line> Log => Array.Empty<LibbpfLog.Line>();

        public IReadOnlyList<BpfTraceLogEntry> Poll(int timeoutMs)
        {
            _lines.Clear();
            _ready.Clear();
            _pipe?.ReadLines(timeoutMs, _lines);
            Accept(_lines, _ready);
            return _ready;
        }

        public IReadOnlyList<BpfTraceLogEntry> Complete() => Poll(0);

        /// <summary>Turns the lines of one read into entries and keeps those the filter accepts. A line
        /// without the usual header right after an entry continues that entry's message (bpf_printk("a\nb")).</summary>
        internal void Accept(IEnumerable<string> lines, List<BpfTraceLogEntry> ready)
        {
            _batch.Clear();
            BpfTraceLogEntry? previous = null;
            bool dropping = false; // the continuation lines of a dropped backlog line go too
            foreach (var text in lines)
            {
                if (text.Length == 0) continue; // the newline that ended a message which ended in "\n"
                // A LOST notice comes before the next line of its CPU: it counts when that line does, and goes
                // with the backlog otherwise (events lost before the reader started are none of its losses).
                if (TraceLine.TryParseLost(text, out ulong lost))
                {
                    _lostPending += lost;
                    continue;
                }
                if (TraceLine.Parse(text) is { } line)
                {
                    dropping = line.TimeInNanoseconds && line.Time < _since;
                    if (!dropping) _lost += _lostPending;
                    _lostPending = 0;
                    if (dropping)
                    {
                        previous = null;
                        continue;
                    }
                    // Decided before anything is read from /proc for it.
                    previous = _filter.IncludeAll || line.IsBpfPrintk ? Entry(line) : null;
                    if (previous is not null) _batch.Add(previous);
                }
                else if (dropping) continue;
                else if (previous is not null) Continue(previous, text);
                else if (_filter.IncludeAll)
                    _batch.Add(new BpfTraceLogEntry { Timestamp = DateTime.Now, Message = text, Line = text });
            }
            foreach (var entry in _batch)
                if (_filter.Accepts(entry)) ready.Add(entry);
        }

        private static void Continue(BpfTraceLogEntry entry, string text)
        {
            entry.Message += "\n" + text;
            entry.Line += "\n" + text;
        }

        private BpfTraceLogEntry Entry(TraceLine line) => new()
        {
            Timestamp = _clock.ToDateTime(line),
            // The kernel prints <...> when its table of task names no longer holds the thread.
            Command = line.Command == UnknownCommand ? ProcThreads.CommandOf(line.ThreadId) ?? UnknownCommand : line.Command,
            ProcessId = line.ThreadGroupId ?? _threads.ProcessOf(line.ThreadId) ?? line.ThreadId,
            ThreadId = line.ThreadId,
            Cpu = line.Cpu,
            Flags = line.Flags,
            FlagsDescription = TraceFlags.Describe(line.Flags),
            Event = line.Event ?? "",
            Message = line.Message,
            Line = line.Text,
        };

        public void Dispose() => _pipe?.Dispose();
    }
}
