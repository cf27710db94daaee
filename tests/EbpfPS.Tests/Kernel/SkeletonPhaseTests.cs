using System;
using EbpfPS.Bpf;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>The two phases of a generated skeleton: the open one is set before load and hands the object to the
    /// loaded one, which alone reaches the kernel's maps and programs.</summary>
    public class SkeletonPhaseTests : IClassFixture<KernelLeakCheck>
    {
        [KernelFact]
        public void Load_hands_the_object_to_the_loaded_skeleton_and_ends_the_open_phase()
        {
            using var open = new XdpFilterSkeleton.Open();
            open.XdpfPorts.SetMaxEntries(XdpFilterSkeleton.XdpfPortsMaxEntries / 2);
            using var loaded = open.Load();

            // What is set before load cannot be set any more: libbpf has handed .rodata and the maps to the kernel.
            Assert.Throws<InvalidOperationException>(() => open.XdpfPorts);
            Assert.Throws<InvalidOperationException>(open.Load);
            open.Dispose(); // the open phase no longer owns the object: the loaded skeleton keeps it
            Assert.True(loaded.XdpFilter.Fd > 0);
            loaded.XdpfState.Update(0u, new XdpFilterState { NextRuleId = 1 });
            Assert.Equal(XdpFilterSkeleton.XdpfPortsMaxEntries / 2, loaded.XdpfPorts.MaxEntries);
        }
    }
}
