using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System;
using EbpfPS.Bpf;
using EbpfPS.Introspection.Features;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core.TraceFs;
using EbpfPS.Core;
using EbpfPS.Interop;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes.Tracepoints
{
    /// <summary>bpf/tracepoint.bpf.c attached to each given tracepoint; records decoded by their format.</summary>
    internal sealed unsafe class TracepointProbe : TaskProbe<BpfTracepointEvent, TracepointSkeleton.Open, TracepointSkeleton>
    {
        private readonly Dictionary<int, TracepointDecoder> _decoders;
        private readonly HashSet<int> _withSocketAddresses;
        private readonly StackCapture? _stacks;

        /// <param name="skippable">Ids of tracepoints that only a wildcard named: one that cannot be attached (no
        /// id file, refused by the kernel) is skipped and listed in <see cref="Skipped"/>; the probe fails only
        /// when no tracepoint could be attached. Any other tracepoint that cannot be attached fails it.</param>
        /// <param name="progress">Cancels between two attachments and reports how far they are.</param>
        /// <param name="measure">Counts in the kernel as the plan says (Measure-BpfTrace) instead of sending records.</param>
        /// <param name="stacks">The stacks each hit's event carries.</param>
        internal TracepointProbe(IReadOnlyList<TracepointFormat> formats, TaskFilter filter,
            EventDelivery? delivery = null, IReadOnlySet<int>? skippable = null, AttachProgress? progress = null, AggregationPlan? measure = null,
            BpfStackKind stacks = BpfStackKind.None)
            : this(Attachable(formats), filter, delivery, skippable ?? new HashSet<int>(), progress ?? AttachProgress.None, new List<SkippedTracepoint>(), measure, stacks)
        {
        }

        /// <summary>The program tells the tracepoints it serves apart by their links' cookies; a kernel without them
        /// (before 5.15) gets the one tracepoint's id as a constant, and can serve no more.</summary>
        private static IReadOnlyList<TracepointFormat> Attachable(IReadOnlyList<TracepointFormat> formats)
        {
            if (formats.Count > 1 && !KernelFeatures.HasCookies)
                throw new BpfException(BpfErrorKind.NotSupported,
                    $"This kernel has no BPF cookies (5.15), which one trace of {formats.Count} tracepoints needs to tell them apart.",
                    "Trace one tracepoint at a time (a name without wildcards), or use kernel 5.15 or later; Get-BpfFeature -Name BpfCookies tells why.")
                { ErrorId = BpfErrorIds.BpfFeatureNotSupported };
            return formats;
        }

        private TracepointProbe(IReadOnlyList<TracepointFormat> formats, TaskFilter filter, EventDelivery? delivery,
            IReadOnlySet<int> skippable, AttachProgress progress, List<SkippedTracepoint> skipped, AggregationPlan? measure, BpfStackKind stacks)
            : base(filter, measure, excludeSelf: true,
                beforeLoad: skeleton =>
                {
                    StackCapture.Configure(skeleton, stacks);
                    if (!KernelFeatures.HasCookies && formats.Count == 1) skeleton.OnlyId = (uint)formats[0].Id;
                },
                afterLoad: skeleton =>
                {
                    foreach (var format in formats) skeleton.Layouts.Update((uint)format.Id, Layout(format));
                },
                attach: skeleton =>
                {
                    var obj = skeleton.Object;
                    var program = skeleton.Tracepoint;
                    BpfException? first = null;
                    for (int i = 0; i < formats.Count; i++)
                    {
                        var format = formats[i];
                        progress.Step(i, formats.Count, format.FullName);
                        try { obj.AttachTracepoint(program, format.Category, format.Name, cookie: KernelFeatures.HasCookies ? (ulong)format.Id : 0); }
                        catch (BpfException e) when (skippable.Contains(format.Id))
                        {
                            first ??= e;
                            skipped.Add(new SkippedTracepoint(format.FullName, e.Errno != 0 ? Errno.Name(e.Errno) : e.Message));
                        }
                    }
                    if (skipped.Count == formats.Count) throw NothingAttached(skipped, first!);
                },
                delivery: delivery, progress: progress)
        {
            _decoders = formats.ToDictionary(f => f.Id, f => new TracepointDecoder(f));
            _withSocketAddresses = formats.Where(SocketAddresses.Apply).Select(f => f.Id).ToHashSet();
            Skipped = skipped;
            _stacks = StackCapture.For(Skeleton, stacks);
        }

        /// <summary>A tracepoint a wildcard matched that could not be attached, and why (an errno name).</summary>
        internal sealed record SkippedTracepoint(string Name, string Reason);

        /// <summary>Tracepoints a wildcard matched that could not be attached; the others are traced.</summary>
        internal IReadOnlyList<SkippedTracepoint> Skipped { get; }

        /// <summary>The warning that says which of the <paramref name="matched"/> tracepoints were skipped.</summary>
        internal static string SkippedWarning(IReadOnlyList<SkippedTracepoint> skipped, int matched, string othersAre) =>
            $"Skipped {skipped.Count} of the {matched} tracepoints that match, as they cannot be attached: {Describe(skipped)}. The others are {othersAre}.";

        /// <summary>The first few of the skipped, for a message: "ftrace:bprint (ENOENT), ftrace:print (ENOENT), ... and 3 more".</summary>
        internal static string Describe(IReadOnlyList<SkippedTracepoint> skipped, int first = 5)
        {
            string names = string.Join(", ", skipped.Take(first).Select(s => $"{s.Name} ({s.Reason})"));
            return skipped.Count > first ? $"{names} and {skipped.Count - first} more" : names;
        }

        private static BpfException NothingAttached(List<SkippedTracepoint> skipped, BpfException first) =>
            new(BpfErrorKind.AttachFailed, $"None of the {skipped.Count} tracepoints that match could be attached: {Describe(skipped)}. The first failed so: {first.Message}",
                first.Hint ?? "Get-BpfTracepoint lists the tracepoints; those without an id file (ftrace:*) cannot be traced.", first)
            { ErrorId = first.ErrorId, Errno = first.Errno, Detail = first.Detail };

        /// <summary>Where the records of a tracepoint end: its fixed part and its __data_loc words.</summary>
        internal static TracepointLayout Layout(TracepointFormat format)
        {
            var layout = new TracepointLayout { FixedSize = (uint)format.FixedSize };
            foreach (var field in format.Fields.Where(f => f.IsDataLoc).Take(TracepointLayout.DataLocOffsetsLength))
                layout.DataLocOffsets[layout.DataLocCount++] = (ushort)field.Offset;
            return layout;
        }

        protected override void OnRecord(ReadOnlySpan<byte> record, List<BpfTracepointEvent> ready)
        {
            // The kernel sends the header and as much of data as the raw record had: only the header is read as struct.
            if (record.Length < TracepointRecord.DataOffset) throw new InvalidDataException($"A tracepoint record of {record.Length} bytes is shorter than its header.");
            ref readonly var header = ref Unsafe.As<byte, TracepointRecord>(ref MemoryMarshal.GetReference(record));
            var data = record.Slice(TracepointRecord.DataOffset, Math.Min(header.Size, record.Length - TracepointRecord.DataOffset));
            if (!_decoders.TryGetValue((int)header.EventId, out var decoder)) return; // only ours have layouts
            string command;
            fixed (byte* comm = header.Comm) command = Comms.Get(new ReadOnlySpan<byte>(comm, TracepointRecord.CommLength));
            var fields = decoder.Decode(data);
            if (_withSocketAddresses.Contains(decoder.Format.Id)) SocketAddresses.Add(fields);
            var e = new BpfTracepointEvent(fields)
            {
                Timestamp = Clock.ToDateTime(header.TimestampNs),
                Tracepoint = decoder.Format.FullName,
                ProcessId = (int)header.Pid,
                ThreadId = (int)header.Tid,
                Command = command,
                Cpu = (int)header.Cpu,
                Truncated = ((TracepointRecordFlags)header.Flags).HasFlag(TracepointRecordFlags.Truncated),
            };
            _stacks?.Fill(e, e.ProcessId, header.KernelStack, header.UserStack);
            ready.Add(e);
        }
    }
}
