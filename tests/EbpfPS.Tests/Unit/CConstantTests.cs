using EbpfPS.Core.TraceFs;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class CConstantTests
    {
        [Theory]
        [InlineData("12", 12)]
        [InlineData("-1", -1)]
        [InlineData("0x1f", 31)]
        [InlineData("4096UL", 4096)]
        [InlineData("(1u << 3)", 8)]
        [InlineData(" ( (1UL << 1) | 0x4 ) ", 6)]
        [InlineData("0xffffffffffffffff", -1)]
        public void Constants_evaluate(string text, long value)
        {
            Assert.True(CConstant.TryEvaluate(text, out long result));
            Assert.Equal(value, result);
        }

        [Theory]
        [InlineData("I_DIRTY_SYNC")]
        [InlineData("( unsigned long)(1)")]
        [InlineData("1 +")]
        [InlineData("(1")]
        [InlineData("")]
        public void Anything_else_does_not(string text) => Assert.False(CConstant.TryEvaluate(text, out _));
    }
}
