using System.IO;
using System.Text;
using EbpfPS.Core;
using EbpfPS.Probes;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>What -Command and -Cgroup become before the kernel compares them.</summary>
    public class TaskFilterTests
    {
        [Theory]
        [InlineData("bash", "bash", 5)]                         // exact: the NUL counts, so bashbug differs
        [InlineData("Python*", "python", 6)]                    // a prefix, folded to lower case
        [InlineData("systemd-journald", "systemd-journal", 15)] // the kernel keeps 15 bytes of a name
        [InlineData("*", "", 0)]
        public void Command_patterns_become_lower_case_bytes_and_a_length(string pattern, string text, int length)
        {
            var (bytes, count) = TaskFilter.Pattern(pattern);
            Assert.Equal(text, Encoding.UTF8.GetString(bytes));
            Assert.Equal(length, count);
        }

        [Theory]
        [InlineData("a*b")]
        [InlineData("*sh")]
        [InlineData("ba?h")]
        [InlineData("[bd]ash")]
        public void Wildcards_the_kernel_cannot_match_are_refused(string pattern)
        {
            var e = Assert.Throws<BpfException>(() => TaskFilter.Pattern(pattern));
            Assert.Equal("InvalidCommandPattern", e.ErrorId);
            Assert.Contains("Where-Object", e.Hint);
        }

        [Theory]
        [InlineData("4242 (bash) S 1 4242 4242 0 -1", 1)]
        [InlineData("77 (my (odd) name) R 4242 77 1 0", 4242)]
        [InlineData("garbage", null)]
        public void The_parent_is_read_after_the_command_name_whatever_it_holds(string stat, int? parent) =>
            Assert.Equal(parent, ProcessTree.ParentOf(stat));

        /// <summary>/proc/self/mountinfo of a machine with cgroup v2 beside v1 (systemd's hybrid layout), with
        /// the cgroup2 mount at <paramref name="unified"/>.</summary>
        private static string[] HybridMounts(string unified) => new[]
        {
            "31 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
            $"32 31 0:27 / {unified} rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate",
            "35 31 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory",
        };

        [Fact]
        public void A_relative_cgroup_is_under_the_cgroup2_mount_and_others_are_refused()
        {
            string unified = Directory.CreateTempSubdirectory("ebpfps-cgroup2-").FullName;
            try
            {
                Directory.CreateDirectory(Path.Combine(unified, "system.slice"));
                var mounts = HybridMounts(unified);
                Assert.Equal(Path.Combine(unified, "system.slice"), TaskFilter.ResolveCgroup("system.slice", mounts));
                Assert.Equal(Path.Combine(unified, "system.slice"), TaskFilter.ResolveCgroup(unified + "/system.slice/", mounts).TrimEnd('/'));
                Assert.Equal("CgroupNotV2", Assert.Throws<BpfException>(() => TaskFilter.ResolveCgroup(Path.GetTempPath(), mounts)).ErrorId);
                Assert.Equal("CgroupNotFound", Assert.Throws<BpfException>(() => TaskFilter.ResolveCgroup("no-such.slice", mounts)).ErrorId);
                // a file or FIFO is no cgroup, and not a missing one (it said "does not exist")
                File.WriteAllText(Path.Combine(unified, "cgroup.procs"), "");
                var file = Assert.Throws<BpfException>(() => TaskFilter.ResolveCgroup("cgroup.procs", mounts));
                Assert.Equal("CgroupNotADirectory", file.ErrorId);
                Assert.Contains("is a regular file, not a cgroup", file.Message);
                Assert.Equal("CgroupV2NotMounted", Assert.Throws<BpfException>(() => TaskFilter.ResolveCgroup("system.slice", mounts[..1])).ErrorId);
            }
            finally { Directory.Delete(unified, recursive: true); }
        }
    }
}
