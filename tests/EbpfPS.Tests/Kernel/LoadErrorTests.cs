using System.IO;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    public class LoadErrorTests : IClassFixture<KernelLeakCheck>
    {
        [KernelFact]
        public void A_program_the_verifier_rejects_gives_its_log()
        {
            using var obj = BpfObject.Open(FixtureObjects.Read("rejected"), "rejected");
            var e = Assert.Throws<BpfException>(obj.Load);
            Assert.Equal(BpfErrorKind.VerifierRejected, e.Kind);
            Assert.Contains("invalid mem access 'map_value_or_null'", e.Detail);
            Assert.Contains("verifier", e.Message);
        }

        [Fact]
        public void Garbage_is_not_a_bpf_object()
        {
            var e = Assert.Throws<BpfException>(() => BpfObject.Open(new byte[] { 1, 2, 3, 4 }, "garbage"));
            // libbpf's LIBBPF_ERRNO__FORMAT: the user's input is wrong, not the load
            Assert.Equal(BpfErrorKind.InvalidArgument, e.Kind);
            Assert.Equal("BpfObjectInvalid", e.ErrorId);
            Assert.Contains("libbpf error 4001", e.Message);
            Assert.Contains("clang", e.Hint);
        }

        [Fact]
        public void Missing_kernel_btf_is_named()
        {
            var e = Assert.Throws<BpfException>(() => KernelSupport.DemandKernelBtf(Path.Combine(Path.GetTempPath(), "no-such-btf")));
            Assert.Equal(BpfErrorKind.KernelBtfMissing, e.Kind);
            Assert.Contains("CONFIG_DEBUG_INFO_BTF", e.Hint);
        }

        [Fact]
        public void Libbpf_is_at_least_1_0() => Assert.True(KernelSupport.LibbpfVersion() >= KernelSupport.MinimumLibbpf);

        [KernelFact]
        public void Tracefs_is_found_or_mounted()
        {
            string path = KernelSupport.DemandTraceFs();
            Assert.True(Directory.Exists(Path.Combine(path, "events", "signal")));
        }
    }
}
