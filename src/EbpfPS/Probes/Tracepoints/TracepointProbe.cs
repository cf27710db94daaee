using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core;
using EbpfPS.Core.TraceFs;

namespace EbpfPS.Probes.Tracepoints
{
    /// <summary>bpf/tracepoint.bpf.c attached to each given tracepoint; records decoded by their format.</summary>
    internal sealed unsafe class TracepointProbe : RingBufferProbe<BpfTracepointEvent>
    {
        private readonly Dictionary<int, TracepointDecoder> _decoders;
        private readonly HashSet<int> _withSocketAddresses;

        internal TracepointProbe(IReadOnlyList<TracepointFormat> formats, TaskFilter filter,
            EventDelivery? delivery = null)
            : base("tracepoint",
                beforeLoad: obj => filter.Configure(obj, excludeSelf: true),
                afterLoad: obj =>
                {
                    filter.Fill(obj);
                    var layouts = obj.Map("layouts");
                    foreach (var format in formats) layouts.Update((uint)format.Id, Layout(format));
                },
                attach: obj =>
                {
                    var program = obj.Program("ebpfps_tracepoint");
                    foreach (var format in formats) obj.AttachTracepoint(program, format.Category, format.Name, cookie: (ulong)format.Id);
                },
                delivery: delivery)
        {
            _decoders = formats.ToDictionary(f => f.Id, f => new TracepointDecoder(f));
            _withSocketAddresses = formats.Where(SocketAddresses.Apply).Select(f => f.Id).ToHashSet();
        }

        /// <summary>Where the records of a tracepoint end: its fixed part and its __data_loc words.</summary>
        internal static TracepointLayout Layout(TracepointFormat format)
        {
            var layout = new TracepointLayout { FixedSize = (uint)format.FixedSize };
            foreach (var field in format.Fields.Where(f => f.IsDataLoc).Take(TracepointLayout.MaxDataLocs))
                layout.DataLocOffsets[layout.DataLocCount++] = (ushort)field.Offset;
            return layout;
        }

        protected override void OnRecord(ReadOnlySpan<byte> record, List<BpfTracepointEvent> ready)
        {
            var header = MemoryMarshal.Read<TracepointRecordHeader>(record);
            var data = record.Slice(sizeof(TracepointRecordHeader), Math.Min(header.Size, record.Length - sizeof(TracepointRecordHeader)));
            if (!_decoders.TryGetValue((int)header.EventId, out var decoder)) return; // only ours have layouts
            var fields = decoder.Decode(data);
            if (_withSocketAddresses.Contains(decoder.Format.Id)) SocketAddresses.Add(fields);
            ready.Add(new BpfTracepointEvent(fields)
            {
                Timestamp = Clock.ToDateTime(header.TimestampNs),
                Tracepoint = decoder.Format.FullName,
                ProcessId = (int)header.Pid,
                ThreadId = (int)header.Tid,
                Command = Comms.Get(new ReadOnlySpan<byte>(header.Comm, TracepointRecordHeader.CommLength)),
                Cpu = (int)header.Cpu,
                Truncated = (header.Flags & TracepointRecordHeader.Truncated) != 0,
            });
        }
    }
}
