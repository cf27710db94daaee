using System.Collections.Generic;
using System.Threading;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Probes.Tracepoints;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Progress and Ctrl-C while a probe attaches many links, and the warning about what a wildcard skipped.</summary>
    public class AttachProgressTests
    {
        [Fact]
        public void Reports_the_first_of_many_at_once_then_at_most_every_interval()
        {
            var reports = new List<(int Done, int Total, string Next)>();
            var progress = new AttachProgress { Report = (done, total, next) => reports.Add((done, total, next)) };
            for (int i = 0; i < 100; i++) progress.Step(i, 100, $"tp{i}");
            Assert.Equal((0, 100, "tp0"), reports[0]);
            Assert.Single(reports); // 100 steps take far less than the interval
            Assert.True(progress.Reported);
            Thread.Sleep(AttachProgress.ReportInterval + TimeSpan.FromMilliseconds(50));
            progress.Step(100, 101, "tp100");
            Assert.Equal(2, reports.Count);
            Assert.Equal((100, 101, "tp100"), reports[1]);
        }

        [Fact]
        public void Does_not_report_a_few_attachments()
        {
            int reports = 0;
            var progress = new AttachProgress { Report = (_, _, _) => reports++ };
            for (int i = 0; i < AttachProgress.ReportFrom - 1; i++) progress.Step(i, AttachProgress.ReportFrom - 1, "tp");
            Assert.Equal(0, reports);
            Assert.False(progress.Reported);
        }

        [Fact]
        public void Throws_at_the_next_step_once_cancelled()
        {
            using var cancel = new CancellationTokenSource();
            var progress = new AttachProgress { Token = cancel.Token };
            progress.Step(0, 1000, "tp0");
            cancel.Cancel();
            Assert.Throws<OperationCanceledException>(() => progress.Step(1, 1000, "tp1"));
            Assert.Throws<OperationCanceledException>(progress.ThrowIfCancelled);
        }

        [Fact]
        public void Names_the_first_five_skipped_tracepoints_and_counts_the_rest()
        {
            var skipped = new List<TracepointProbe.SkippedTracepoint>();
            for (int i = 0; i < 7; i++) skipped.Add(new($"ftrace:e{i}", "ENOENT"));
            Assert.Equal("ftrace:e0 (ENOENT), ftrace:e1 (ENOENT), ftrace:e2 (ENOENT), ftrace:e3 (ENOENT), ftrace:e4 (ENOENT) and 2 more",
                TracepointProbe.Describe(skipped));
            Assert.Equal("ftrace:e0 (ENOENT)", TracepointProbe.Describe(skipped.GetRange(0, 1)));
        }
    }
}
