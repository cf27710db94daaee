using System.Linq;
using System.Management.Automation;
using EbpfPS.Commands;
using EbpfPS.Core;
using EbpfPS.Interop;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Every errno and libbpf error code becomes words, a stable id, a category and something to do.</summary>
    public class ErrnoTests
    {
        public static TheoryData<int> Codes()
        {
            var data = new TheoryData<int>();
            // 41 and 58 are no errno of Linux (gaps in asm-generic/errno.h)
            foreach (int errno in Enumerable.Range(1, 133).Except(new[] { 41, 58 }).Concat(Enumerable.Range(512, 19)).Concat(Enumerable.Range(4000, 14))) data.Add(errno);
            return data;
        }

        [Theory]
        [MemberData(nameof(Codes))]
        public void Each_code_has_words_and_a_recommendation(int errno)
        {
            var record = BpfErrors.From(ErrnoFailures.Exception(errno, BpfErrorKind.LoadFailed, "Loading 'x' failed"));

            Assert.DoesNotContain("Unknown error", record.Exception.Message);
            Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails.RecommendedAction));
            Assert.NotEqual(ErrorCategory.NotSpecified, record.CategoryInfo.Category);
        }

        [Theory]
        [InlineData(4000, "BpfObjectInvalid", ErrorCategory.InvalidArgument)]
        [InlineData(4001, "BpfObjectInvalid", ErrorCategory.InvalidArgument)]
        [InlineData(4003, "BpfObjectInvalid", ErrorCategory.InvalidArgument)]
        [InlineData(4007, "BpfVerifierRejected", ErrorCategory.InvalidData)]
        [InlineData(4010, "BpfFeatureNotSupported", ErrorCategory.NotImplemented)]
        [InlineData(524, "BpfFeatureNotSupported", ErrorCategory.NotImplemented)]
        [InlineData(Errno.EPERM, "BpfPermissionDenied", ErrorCategory.PermissionDenied)]
        [InlineData(Errno.EACCES, "BpfPermissionDenied", ErrorCategory.PermissionDenied)]
        [InlineData(Errno.EINVAL, "BpfLoadFailed", ErrorCategory.InvalidOperation)]
        public void Libbpf_codes_and_errnos_take_the_id_and_category_of_what_they_mean(int errno, string id, ErrorCategory category)
        {
            var record = BpfErrors.From(ErrnoFailures.Exception(errno, BpfErrorKind.LoadFailed, "Loading 'x' failed"));

            Assert.Equal(id, record.FullyQualifiedErrorId);
            Assert.Equal(category, record.CategoryInfo.Category);
        }

        [Fact]
        public void Permission_hints_name_what_the_process_lacks_not_what_it_has()
        {
            const ulong sysAdmin = 1UL << 21, perfmon = 1UL << 38, bpf = 1UL << 39;

            Assert.Contains("grant CAP_BPF and CAP_PERFMON", Privileges.HintFor(0));
            string withBpf = Privileges.HintFor(bpf | perfmon);
            Assert.Contains("needs CAP_SYS_ADMIN", withBpf);
            Assert.DoesNotContain("grant CAP_BPF", withBpf);
            Assert.Contains("lockdown", Privileges.HintFor(sysAdmin | bpf | perfmon));
        }

        [Fact]
        public void The_xdp_privilege_error_names_the_capability_missing()
        {
            const ulong netAdmin = 1UL << 12, bpf = 1UL << 39;
            Assert.Equal("CAP_NET_ADMIN", EbpfPS.Xdp.XdpPrivileges.Missing(bpf));
            Assert.Equal("CAP_BPF", EbpfPS.Xdp.XdpPrivileges.Missing(netAdmin));
            Assert.Equal("both", EbpfPS.Xdp.XdpPrivileges.Missing(0));
        }

        [Fact]
        public void An_error_without_a_hint_still_recommends_something()
        {
            foreach (var kind in System.Enum.GetValues<BpfErrorKind>())
                Assert.False(string.IsNullOrWhiteSpace(BpfErrors.From(new BpfException(kind, "It failed.")).ErrorDetails.RecommendedAction));
        }
    }
}
