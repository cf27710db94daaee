using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Sort-Object: a stable sort by -Property keys (or the objects themselves), -Descending, -Unique.</summary>
    [Cmdlet("Sort", "Object")] // "Sort" has no constant among the approved verbs
    public sealed class SortObjectCommand : PSCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(Position = 0)]
        public object[]? Property { get; set; }

        [Parameter]
        public SwitchParameter Descending { get; set; }

        [Parameter]
        public SwitchParameter Unique { get; set; }

        [Parameter]
        public SwitchParameter CaseSensitive { get; set; }

        private readonly List<PSObject> _items = new();

        protected override void ProcessRecord()
        {
            if (InputObject is not null) _items.Add(InputObject);
        }

        protected override void EndProcessing()
        {
            PropertyExpression[] keys = PropertyExpression.ParseAll(Property);
            var rows = _items.Select(item => (item, values: keys.Length == 0
                ? new[] { item.BaseObject }
                : keys.Select(k => k.GetValue(item)).ToArray())).ToList();
            bool[] descending = keys.Length == 0 ? new[] { Descending.IsPresent } : keys.Select(k => k.Descending ?? Descending).ToArray();

            int Compare((PSObject item, object?[] values) a, (PSObject item, object?[] values) b)
            {
                for (int i = 0; i < descending.Length; i++)
                {
                    int order = CompareValues(a.values[i], b.values[i]);
                    if (order != 0) return descending[i] ? -order : order;
                }
                return 0;
            }

            (PSObject item, object?[] values)? previous = null;
            foreach (var row in rows.OrderBy(r => r, Comparer<(PSObject, object?[])>.Create(Compare)))
            {
                if (Unique && previous is { } last && Compare(last, row) == 0) continue;
                previous = row;
                WriteObject(row.item);
            }
        }

        // Nulls first; otherwise PowerShell's own comparison (numbers as numbers, strings ignoring case).
        private int CompareValues(object? a, object? b)
        {
            if (a is null || b is null) return (a is null ? 0 : 1) - (b is null ? 0 : 1);
            try
            {
                return LanguagePrimitives.Compare(a, b, ignoreCase: !CaseSensitive, CultureInfo.CurrentCulture);
            }
            catch (PSInvalidCastException)
            {
                return string.Compare(a.ToString(), b.ToString(), !CaseSensitive, CultureInfo.CurrentCulture);
            }
        }
    }
}
