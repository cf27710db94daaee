using System.Management.Automation;
using System.Numerics;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;

namespace EbpfPS.Commands
{
    /// <summary>The streaming cmdlets whose probes hand records over through a kernel buffer (ring or perf):
    /// -BufferSize says how large a backlog the kernel keeps while the pipeline is behind.</summary>
    public abstract class BpfProbeCommand<TEvent> : BpfStreamCommand<TEvent> where TEvent : class
    {
        /// <summary>Bytes of the kernel buffer the events wait in while the pipeline is behind (a power of two,
        /// 4KB to 1GB; default 64MB). Only a full buffer loses events.</summary>
        [Parameter]
        public long BufferSize { get; set; } = EventDelivery.DefaultBufferBytes;

        /// <summary>How the probe delivers: batched, through a buffer of -BufferSize bytes.</summary>
        private protected EventDelivery Delivery => EventDelivery.Batched with { BufferBytes = (uint)BufferSize };

        internal override string LossAdvice => "Give a larger -BufferSize, or narrow the trace with filters.";

        private protected bool BufferSizeGiven => MyInvocation.BoundParameters.ContainsKey(nameof(BufferSize));

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (BufferSize < EventDelivery.MinBufferBytes || BufferSize > EventDelivery.MaxBufferBytes || !BitOperations.IsPow2(BufferSize))
                ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.InvalidBufferSize,
                    $"The buffer size {BufferSize} is not a power of two from 4KB to 1GB.",
                    "Give a power of two such as -BufferSize 16MB or 256MB (the kernel's ring buffers are sized so).", BufferSize));
        }
    }
}
