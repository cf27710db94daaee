using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;

namespace EbpfPS
{
    /// <summary>An array of a map's key or value (or a per-CPU map's values): a list to index and enumerate,
    /// which prints its items ("{1, 0, 0, 0}") where PowerShell makes text of it, as Export-Csv does,
    /// instead of "System.Object[]".</summary>
    public sealed class BpfArray : ReadOnlyCollection<object?>
    {
        public BpfArray(IList<object?> items) : base(items)
        {
        }

        public override string ToString() => "{" + string.Join(", ", this.Select(Text)) + "}";

        /// <summary>An item as text: numbers without culture, other items (records, arrays) by their own ToString.</summary>
        internal static string Text(object? item) => item is System.IFormattable number
            ? number.ToString(null, CultureInfo.InvariantCulture)
            : item?.ToString() ?? "";
    }
}
