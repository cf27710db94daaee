using System.IO;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.FlameGraphs;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The pieces of a profile that need no kernel: CPU lists, frames folded, stacks merged and written.</summary>
    public class FlameGraphTests
    {
        [Fact]
        public void A_cpu_list_of_ranges_and_single_cpus_parses()
        {
            Assert.Equal(new[] { 0, 1, 2, 3, 6, 8, 9 }, Cpus.Parse("0-3,6,8-9\n"));
            Assert.Equal(new[] { 0 }, Cpus.Parse("0"));
        }

        [Fact]
        public void Frames_fold_outermost_first_with_kernel_and_jit_marks_and_no_separator_inside()
        {
            var frames = new[]
            {
                new BpfStackFrame { Symbol = "do_syscall_64", Module = "kernel", Kind = BpfStackFrameKind.Kernel },
                new BpfStackFrame { Symbol = "Foo::Bar(int;int)", Module = "/tmp/perf-1.map", Kind = BpfStackFrameKind.Jit },
                new BpfStackFrame { Module = "/usr/lib/x86_64-linux-gnu/libc.so.6", Kind = BpfStackFrameKind.User },
                new BpfStackFrame { Kind = BpfStackFrameKind.User },
            };
            Assert.Equal("[unknown];[libc.so.6];Foo::Bar(int:int)_[j];do_syscall_64_[k]", BpfStack.Fold(frames));
        }

        [Fact]
        public void Equal_stacks_merge_and_fold_as_flamegraph_pl_reads_them()
        {
            var stacks = new FoldedStacks();
            stacks.Add("app", "main;work", 3);
            stacks.Add("app", "main;work", 4); // another process of the same command
            stacks.Add("app", "main", 1);
            stacks.Add("a;b", "", 2);          // a command with the separator in it is one frame
            stacks.Add("app", "main;never", 0);
            var text = new StringWriter();
            stacks.WriteFolded(text);
            Assert.Equal("a:b 2\napp;main 1\napp;main;work 7\n", text.ToString());
            Assert.Equal(10, stacks.Total);
        }

        [Fact]
        public void The_svg_is_well_formed_with_frames_as_wide_as_their_samples()
        {
            var stacks = new FoldedStacks();
            stacks.Add("app", "main;hot", 3);
            stacks.Add("app", "main;cold", 1);
            var text = new StringWriter();
            FlameGraphSvg.Write(stacks, "a <title> & more", text);
            var svg = System.Xml.Linq.XDocument.Parse(text.ToString());
            var frames = svg.Descendants().Where(e => e.Name.LocalName == "g" && (string?)e.Attribute("class") == "f")
                .ToDictionary(e => (string)e.Attribute("data-name")!, e => double.Parse((string)e.Elements().First(c => c.Name.LocalName == "rect").Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(3 * frames["cold"], frames["hot"], 3);
            Assert.Equal(frames["app"], frames["main"], 3);
            Assert.Equal(frames["hot"] + frames["cold"], frames["main"], 3);
        }
    }
}
