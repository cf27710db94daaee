using System;
using System.Collections.Generic;
using System.Linq;
using EbpfPS.Core.TraceFs;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Every format file of the running kernel (some thousands on 6.18) parses into a sane layout and
    /// a print format whose conversions and arguments pair up.</summary>
    public class KernelFormatsTests
    {
        private static readonly Lazy<List<TracepointFormat>> All = new(() =>
            Tracepoints.List(TraceFsFactAttribute.Path).Select(t => TracepointFormat.Read(TraceFsFactAttribute.Path, t.Category, t.Name)).ToList());

        [TraceFsFact]
        public void Every_format_parses_with_its_name_and_a_unique_id()
        {
            var formats = All.Value;
            Assert.True(formats.Count > 500, $"only {formats.Count} tracepoints");
            Assert.All(formats, f => Assert.True(f.Id > 0, f.FullName));
            var duplicates = formats.GroupBy(f => f.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.Empty(duplicates);
            Assert.Contains(formats, f => f.FullName == "sched:sched_process_exec");
        }

        [TraceFsFact]
        public void Every_layout_starts_with_the_common_header_and_its_fields_do_not_overlap()
        {
            var problems = new List<string>();
            foreach (var format in All.Value)
            {
                var common = format.Fields.Where(f => f.IsCommon).Select(f => (f.Name, f.Offset, f.Size)).ToList();
                if (!common.SequenceEqual(new[] { ("common_type", 0, 2), ("common_flags", 2, 1), ("common_preempt_count", 3, 1), ("common_pid", 4, 4) }))
                    problems.Add($"{format.FullName}: common header {string.Join(", ", common)}");
                int end = 8;
                foreach (var field in format.OwnFields.OrderBy(f => f.Offset))
                {
                    if (field.Offset < end) problems.Add($"{format.FullName}: {field.Name} at {field.Offset} overlaps what ends at {end}");
                    if (field.ArrayLength > 0 && field.Size % field.ArrayLength != 0) problems.Add($"{format.FullName}: {field.Name}[{field.ArrayLength}] in {field.Size} bytes");
                    if (field.IsDataLoc && field.Size != 4) problems.Add($"{format.FullName}: __data_loc {field.Name} of {field.Size} bytes");
                    if (field.ValueSize > field.Size) problems.Add($"{format.FullName}: {field.Name} reads past itself");
                    end = Math.Max(end, field.Offset + field.Size);
                }
                if (end != format.FixedSize && format.OwnFields.Any()) problems.Add($"{format.FullName}: fixed size {format.FixedSize}, fields end at {end}");
            }
            Assert.Empty(problems);
        }

        [TraceFsFact]
        public void Every_print_format_has_one_argument_per_conversion_and_names_only_its_own_fields()
        {
            var problems = new List<string>();
            foreach (var format in All.Value)
            {
                var print = format.Print;
                if (print.ArgumentsTaken != print.Arguments.Count)
                    problems.Add($"{format.FullName}: {print.ArgumentsTaken} conversions, {print.Arguments.Count} arguments");
                var names = format.Fields.Select(f => f.Name).ToHashSet();
                foreach (var field in print.Symbols.Keys.Concat(print.FlagNames.Keys).Concat(print.Addresses.Keys))
                    if (!names.Contains(field)) problems.Add($"{format.FullName}: print fmt names {field}, which is no field");
            }
            Assert.Empty(problems);
        }

        [TraceFsFact]
        public void Every_format_decodes_a_zeroed_record_and_a_cut_one()
        {
            foreach (var format in All.Value)
            {
                var decoder = new TracepointDecoder(format);
                int properties = decoder.Decode(new byte[format.FixedSize]).Count;
                Assert.Equal(properties, decoder.Decode(new byte[format.FixedSize / 2]).Count);
            }
        }
    }
}
