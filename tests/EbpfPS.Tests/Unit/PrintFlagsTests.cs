using EbpfPS.Core.TraceFs;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Flag names as the kernel's trace_print_flags_seq writes them.</summary>
    public class PrintFlagsTests
    {
        private static readonly PrintFlags Flags = new("|", new[] { (3UL, "BOTH"), (1UL, "ONE"), (2UL, "TWO"), (8UL, "EIGHT") });

        [Theory]
        [InlineData(0UL, "")]
        [InlineData(1UL, "ONE")]
        [InlineData(3UL, "BOTH")]
        [InlineData(11UL, "BOTH|EIGHT")]
        [InlineData(0x31UL, "ONE|0x30")]
        [InlineData(0x40UL, "0x40")]
        public void Masks_are_taken_in_order_and_the_rest_is_hex(ulong value, string text) => Assert.Equal(text, Flags.Format(value));
    }
}
