using System.Management.Automation;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace EbpfPS.Host.Compat
{
    /// <summary>Format-List: the engine's list formatter, with all its parameters (-Property, -GroupBy, ...).</summary>
    [Cmdlet(VerbsCommon.Format, "List")]
    public sealed class FormatListCommand : OuterFormatTableAndListBase
    {
        public FormatListCommand() => FormattingEngine.UseShape(this, "List");
    }
}
