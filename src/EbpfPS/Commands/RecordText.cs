using System.Linq;
using System.Management.Automation;

namespace EbpfPS.Commands
{
    /// <summary>The ToString of the PSCustomObjects that BTF records become (a code method must be public):
    /// @{name=value; ...} with arrays as {1, 2} (see BpfArray) and nested records alike, instead of PowerShell's
    /// @{words=System.Object[]}.</summary>
    public static class RecordText
    {
        public static string Format(PSObject instance) =>
            "@{" + string.Join("; ", instance.Properties.Select(p => $"{p.Name}={Text(p.Value)}")) + "}";

        private static string Text(object? value) =>
            value is PSObject { BaseObject: PSCustomObject } record ? Format(record) : BpfArray.Text(value);
    }
}
