using System.Collections.Generic;
using System.Linq;
using EbpfPS.Core;

namespace EbpfPS
{
    /// <summary>Bytes copied from the traced program: a list of bytes ($e.Data[0], [Text.Encoding]::UTF8.GetString($e.Data)),
    /// which as text (Export-Csv, $e.Data.ToString()) is hex as bpftool prints it, "68 65 6c 6c 6f", not "System.Byte[]".</summary>
    public sealed class BpfBytes : BpfList<byte>
    {
        public BpfBytes(IList<byte> bytes) : base(bytes) { }

        public override string ToString() => Hex.Format(this.ToArray());
    }
}
