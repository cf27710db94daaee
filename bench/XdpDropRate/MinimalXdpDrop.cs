using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Interop;
using EbpfPS.Xdp;
using EbpfPS;

namespace EbpfPS.Bench.XdpDropRate
{
    /// <summary>An XDP program that drops every frame and does nothing else (or passes every frame to the stack,
    /// which the iptables variants need: veth takes redirected frames only while its peer runs XDP).</summary>
    internal sealed class MinimalXdpDrop : IDropper
    {
        private readonly BpfObject _object;
        private readonly FileDescriptorHandle _link;

        internal MinimalXdpDrop(BenchPair pair, string program = "ebpfps_bench_drop", string name = "minimal XDP_DROP program")
        {
            Name = name;
            _object = BpfObject.Open(TrafficGenerator.Resource("bench"), program);
            foreach (var p in _object.OpenPrograms()) p.SetAutoload(p.Name == program);
            _object.Load();
            using var inReceiver = BenchNetwork.Enter(pair.ReceiverNamespace);
            _link = XdpAttachment.Attach(_object.Program(program).Fd, pair.ReceiverInterface, Interfaces.DemandIndex(pair.ReceiverInterface),
                XdpMode.Native, _ => { }, out _);
        }

        public string Name { get; }

        public ulong? Dropped() => null;

        public void Dispose()
        {
            _link.Dispose();
            _object.Dispose();
        }
    }
}
