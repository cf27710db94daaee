using EbpfPS.Core;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class KallsymsTests
    {
        [Fact]
        public void Lines_of_the_kernel_and_of_modules_parse()
        {
            var core = KernelSymbol.Parse("ffffffff816d4e50 T do_unlinkat")!.Value;
            Assert.Equal(0xffffffff816d4e50UL, core.Address);
            Assert.Equal("do_unlinkat", core.Name);
            Assert.Null(core.Module);
            Assert.True(core.IsFunction);

            var module = KernelSymbol.Parse("ffffffffc0a01000 t veth_xmit\t[veth]")!.Value;
            Assert.Equal("veth_xmit", module.Name);
            Assert.Equal("veth", module.Module);

            var data = KernelSymbol.Parse("0000000000000000 D jiffies")!.Value; // addresses hidden from non-root
            Assert.False(data.IsFunction);
            Assert.Equal(0UL, data.Address);
            Assert.Null(KernelSymbol.Parse("garbage"));
        }
    }
}
