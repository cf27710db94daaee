using EbpfPS.Core.TraceFs;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class TraceFlagsTests
    {
        [Theory]
        [InlineData(".....", "")]
        [InlineData("...21", "preempt-depth 2, migrate-disable 1")]
        [InlineData("d.h1.", "irqs-off, hardirq, preempt-depth 1")]
        [InlineData("dNh1.", "irqs-off, need-resched, hardirq, preempt-depth 1")]
        [InlineData("d.H1.", "irqs-off, hardirq in softirq, preempt-depth 1")]
        [InlineData("..s1.", "softirq, preempt-depth 1")]
        [InlineData("D.z..", "irqs-off, bh-off, nmi")]
        [InlineData("b.Zf.", "bh-off, nmi in hardirq, preempt-depth 15")]
        [InlineData(".L...", "need-resched-lazy")]
        [InlineData(".p...", "preempt-resched")]
        [InlineData("d.h1", "irqs-off, hardirq, preempt-depth 1")]
        [InlineData("", "")]
        public void Describes_each_column(string flags, string description) => Assert.Equal(description, TraceFlags.Describe(flags));
    }
}
