using System.Management.Automation;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace EbpfPS.Host.Compat
{
    /// <summary>Format-Table: the engine's table formatter, with all its parameters (-Property, -AutoSize, -GroupBy, ...).</summary>
    [Cmdlet(VerbsCommon.Format, "Table")]
    public sealed class FormatTableCommand : OuterFormatTableBase
    {
        public FormatTableCommand() => FormattingEngine.UseShape(this, "Table");
    }
}
