using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using EbpfPS.Commands;
using EbpfPS.Core;
using EbpfPS.Core.Btf;
using EbpfPS.Introspection.Features;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The small pieces the cmdlets stand on: name filters, PowerShell values, hex, kernel config.</summary>
    public class CommandHelpersTests
    {
        [Fact]
        public void Name_filters_take_wildcards_ignore_case_and_cut_long_names_like_the_kernel()
        {
            var filter = new NameFilter(new[] { "ebpfps*", "COUNTS", "connection_counts_by_port", "missing" });
            Assert.True(filter.Matches("ebpfps_signal"));
            Assert.True(filter.Matches("counts"));
            Assert.True(filter.Matches("connection_coun")); // what the kernel kept of the long name
            Assert.False(filter.Matches("other"));
            Assert.Equal(new[] { "missing" }, filter.Unmatched());
            Assert.True(new NameFilter(null).Matches("anything"));
        }

        [Fact]
        public void Records_become_objects_with_a_property_per_field_and_objects_become_dictionaries()
        {
            var inner = new BtfRecord("struct p");
            inner.Add("x", (short)-1);
            var record = new BtfRecord("struct s");
            record.Add("comm", "bash");
            record.Add("points", new object?[] { inner, inner });
            record.Add("mac", new byte[] { 2, 0xfc, 1 });
            record.Add("source", System.Net.IPAddress.Parse("203.0.113.7"));
            var shown = Assert.IsType<PSObject>(PSValues.ToPowerShell(record));
            Assert.Equal("bash", shown.Properties["comm"].Value);
            var point = Assert.IsType<PSObject>(Assert.IsType<BpfArray>(shown.Properties["points"].Value)[0]);
            Assert.Equal((short)-1, point.Properties["x"].Value);
            Assert.Equal("02 fc 01", shown.Properties["mac"].Value);      // bytes as hex text
            Assert.Equal("203.0.113.7", shown.Properties["source"].Value); // addresses as their text
            // The text PowerShell makes of it (a table cell, Export-Csv), not @{points=System.Object[]}:
            Assert.Equal("@{comm=bash; points={@{x=-1}, @{x=-1}}; mac=02 fc 01; source=203.0.113.7}", shown.ToString());
            Assert.Equal("{@{x=-1}, @{x=-1}}", shown.Properties["points"].Value.ToString());

            var back = Assert.IsType<OrderedDictionary>(PSValues.FromPowerShell(shown));
            Assert.Equal("bash", back["COMM"]); // field names ignore case
            Assert.IsType<OrderedDictionary>(((object?[])back["points"]!)[0]);
            var fromHashtable = Assert.IsType<OrderedDictionary>(PSValues.FromPowerShell(new PSObject(new Hashtable { ["a"] = PSObject.AsPSObject(5) })));
            Assert.Equal(5, Assert.IsType<int>(fromHashtable["a"]));
            Assert.Equal(new byte[] { 1 }, PSValues.FromPowerShell(new PSObject(new byte[] { 1 })));
        }

        [Fact]
        public void Lost_events_warnings_advise_on_the_buffer_that_overflowed()
        {
            // Get-BpfTraceLog has no -BufferSize: its buffer is tracefs's
            string traceLog = BpfStreamCommand<object>.LostWarning(5, ended: true, new GetBpfTraceLogCommand().LossAdvice);
            Assert.StartsWith("5 events were lost in all", traceLog);
            Assert.Contains("/sys/kernel/tracing/buffer_size_kb", traceLog);
            Assert.DoesNotContain("-BufferSize", traceLog);
            string probe = BpfStreamCommand<object>.LostWarning(7, ended: false, new StartBpfTraceCommand().LossAdvice);
            Assert.StartsWith("7 events lost so far", probe);
            Assert.Contains("Give a larger -BufferSize", probe);
            Assert.Contains("-BufferSize", BpfStreamCommand<object>.LostWarning(1, ended: true, new GetBpfSignalEventCommand().LossAdvice));
        }

        [Fact]
        public void Hex_is_printed_as_bpftool_prints_it_and_read_with_any_separator()
        {
            Assert.Equal("0a 00 ff", Hex.Format(new byte[] { 10, 0, 255 }));
            Assert.Equal("", Hex.Format(System.Array.Empty<byte>()));
            Assert.Equal(new byte[] { 2, 0xfc, 0, 1 }, Hex.TryParse("02:fc:00:01"));
            Assert.Equal(new byte[] { 2, 0xfc }, Hex.TryParse("0x02fc"));
            Assert.Null(Hex.TryParse("abc"));
            Assert.Null(Hex.TryParse("zz"));
        }

        [Fact]
        public void The_kernel_config_names_what_is_missing()
        {
            var config = KernelConfig.Parse("CONFIG_BPF=y\n# CONFIG_KPROBES is not set\nCONFIG_UPROBES=y\nCONFIG_MODULAR=m\n");
            Assert.Equal("CONFIG_KPROBES is not set in this kernel's config.", config.Missing("CONFIG_KPROBES"));
            Assert.Equal("CONFIG_KPROBES and CONFIG_KPROBE_EVENTS are not set in this kernel's config.", config.Missing("CONFIG_KPROBES", "CONFIG_KPROBE_EVENTS"));
            Assert.Equal("", config.Missing("CONFIG_UPROBES", "CONFIG_MODULAR"));
        }
    }
}
