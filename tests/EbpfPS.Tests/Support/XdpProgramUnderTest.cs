using System;
using EbpfPS.Bpf;
using EbpfPS.Introspection.Maps;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Interop;
using EbpfPS.Xdp;

namespace EbpfPS.Tests.Support
{
    /// <summary>The filter program loaded but attached nowhere: BPF_PROG_TEST_RUN runs it on a frame the
    /// test built and returns its verdict, with its maps filled by the same code as a real filter's.</summary>
    internal sealed unsafe class XdpProgramUnderTest : IDisposable
    {
        private readonly XdpFilterSkeleton _skeleton;

        internal XdpProgramUnderTest(params XdpRule[] rules)
        {
            using (var open = new XdpFilterSkeleton.Open()) _skeleton = open.Load();
            Maps = XdpFilterMaps.Of(_skeleton.Object);
            Maps.WriteState(new XdpFilterState { NextRuleId = 1 });
            foreach (var rule in rules) Maps.Add(rule);
        }

        internal XdpFilterMaps Maps { get; }

        internal XdpAction Run(byte[] frame)
        {
            fixed (byte* data = frame)
            {
                var options = new BpfTestRunOptions { Size = (nuint)sizeof(BpfTestRunOptions), DataIn = data, DataSizeIn = (uint)frame.Length, Repeat = 1 };
                int rc = Libbpf.bpf_prog_test_run_opts(_skeleton.XdpFilter.Fd, &options);
                if (rc != 0) throw new InvalidOperationException($"BPF_PROG_TEST_RUN failed: {Errno.Describe(Errno.FromResult(rc))}");
                return (XdpAction)options.ReturnValue;
            }
        }

        internal ulong Total(XdpTotal total) => Maps.Total(total).Packets;

        internal int PrefixEntries() => Keys<XdpPrefixKey>(_skeleton.XdpfPrefixes);

        internal int PortEntries() => Keys<XdpPortKey>(_skeleton.XdpfPorts);

        private static int Keys<T>(BpfMap map) where T : unmanaged
        {
            using var typed = TypedMap.Borrow(map.Fd);
            return typed.Keys<T>().Count;
        }

        public void Dispose()
        {
            Maps.Dispose();
            _skeleton.Dispose();
        }
    }
}
