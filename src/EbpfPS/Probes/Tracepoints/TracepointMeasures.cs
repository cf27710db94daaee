using System;
using System.Collections.Generic;
using System.Linq;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Core.TraceFs;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes.Tracepoints
{
    /// <summary>What Measure-BpfTrace -Tracepoint counts by and measures: the task (bpf/tracepoint.h's record header,
    /// its user and cgroup), the tracepoint, and the tracepoint's own fixed fields by the names of its format.</summary>
    internal static class TracepointMeasures
    {
        /// <summary>The keys every tracepoint has; any fixed field of up to 8 bytes, or of 16 (a name, an IPv6
        /// address), and any text (__data_loc char[]: a file name, a parent's comm) is one too.</summary>
        internal static readonly string[] KeyNames = TaskKeys.Names.Append("Tracepoint").Concat(TaskKeys.StackNames).ToArray();

        internal static AggregateField Key(string name, IReadOnlyList<TracepointFormat> formats, CgroupNames cgroups, StackKeys? stacks = null)
        {
            var names = formats.ToDictionary(f => (ulong)f.Id, f => f.FullName);
            return TaskKeys.Key<TracepointRecord>(name, cgroups, stacks) ?? name.ToLowerInvariant() switch
            {
                "tracepoint" => new("Tracepoint", AggregateField.Field(TracepointRecord.EventIdOffset, TracepointRecord.EventIdBytes),
                    (w, _) => names.TryGetValue(w, out var tracepoint) ? tracepoint : $"tracepoint {w}"),
                _ => FormatField(name, formats, key: true),
            };
        }

        /// <summary>A numeric field of the tracepoints' formats; tracepoints have no value of their own.</summary>
        internal static AggregateField Value(string name, IReadOnlyList<TracepointFormat> formats) => FormatField(name, formats, key: false);

        /// <summary>A field by name, at the same place in every tracepoint measured. As a key any fixed field of up to 8
        /// bytes or of 16, decoded as Start-BpfTrace decodes it (a state by its name, an address as its text), or a
        /// text; as a value a little-endian integer.</summary>
        private static AggregateField FormatField(string name, IReadOnlyList<TracepointFormat> formats, bool key)
        {
            var fields = formats.Select(f => f.OwnFields.FirstOrDefault(x => x.Name == name)).ToList();
            var field = fields[0];
            bool text = key && field?.IsDataLoc == true && field.Kind == FieldKind.String;
            bool usable = field is not null && fields.All(f => f == field) && (text || !field.IsDataLoc)
                && (key ? text || field.Size is > 0 and <= 8 or 16 : field.Kind == FieldKind.Integer && !field.IsBigEndian && field.ValueSize is 1 or 2 or 4 or 8);
            if (!usable)
                throw new BpfException(BpfErrorKind.NotFound,
                    $"'{name}' is neither one of {string.Join(", ", key ? KeyNames : Array.Empty<string>())} nor a {(key ? "field of up to 8 or of 16 bytes or a text" : "numeric field")} at the same place in every tracepoint measured ({string.Join(", ", formats.Select(f => f.FullName))}).",
                    "Name a field as the tracepoint's format does: (Get-BpfTracepoint -Name sched:sched_process_fork).Fields lists its fields, their types and sizes.")
                { ErrorId = BpfErrorIds.UnknownMeasureField };
            var decoder = new TracepointDecoder(formats[0]);
            int offset = TracepointRecord.DataOffset + field!.Offset;
            if (!key) return new(field.Name, AggregateField.Field(offset, field.ValueSize, field.ValueSigned), (w, _) => (long)w);
            if (text) return new(field.Name, AggregateField.Text(AggSource.DataLoc, offset, TracepointRecord.DataOffset), (_, _) => null);
            return new(field.Name, AggregateField.Field(offset, field.Size, field.Signed),
                (first, second) => decoder.Field(field, AggregateField.Bytes(first, second).AsSpan(0, field.Size)));
        }
    }
}
