using System;
using EbpfPS.Core;
using EbpfPS.Core.Maps;
using EbpfPS.Interop;
using EbpfPS.Xdp;

namespace EbpfPS.Tests.Support
{
    /// <summary>The filter program loaded but attached nowhere: BPF_PROG_TEST_RUN runs it on a frame the
    /// test built and returns its verdict, with its maps filled by the same code as a real filter's.</summary>
    internal sealed unsafe class XdpProgramUnderTest : IDisposable
    {
        private readonly BpfObject _object;

        internal XdpProgramUnderTest(params XdpRule[] rules)
        {
            _object = BpfObject.Open(EmbeddedObjects.Read(XdpFilter.ObjectName), "ebpfps_xdp_test");
            _object.Load();
            Maps = XdpFilterMaps.Of(_object);
            Maps.WriteState(new XdpFilterState { NextRuleId = 1 });
            foreach (var rule in rules) Maps.Add(rule);
        }

        internal XdpFilterMaps Maps { get; }

        internal XdpAction Run(byte[] frame)
        {
            fixed (byte* data = frame)
            {
                var options = new BpfTestRunOptions { Size = (nuint)sizeof(BpfTestRunOptions), DataIn = data, DataSizeIn = (uint)frame.Length, Repeat = 1 };
                int rc = Libbpf.bpf_prog_test_run_opts(_object.Program(XdpFilter.ProgramName).Fd, &options);
                if (rc != 0) throw new InvalidOperationException($"BPF_PROG_TEST_RUN failed: {Errno.Describe(Errno.FromResult(rc))}");
                return (XdpAction)options.ReturnValue;
            }
        }

        internal ulong Total(XdpTotal total) => Maps.Total(total).Packets;

        internal int PrefixEntries() => Keys<XdpPrefixKey>("xdpf_prefixes");

        internal int PortEntries() => Keys<XdpPortKey>("xdpf_ports");

        private int Keys<T>(string map) where T : unmanaged
        {
            using var typed = TypedMap.Borrow(_object.Map(map).Fd);
            return typed.Keys<T>().Count;
        }

        public void Dispose()
        {
            Maps.Dispose();
            _object.Dispose();
        }
    }
}
