using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>
    /// Measure-Object: Count, and on request Sum, Average, Minimum, Maximum of the objects or of each
    /// -Property; typed as the real GenericMeasureInfo so that its list view applies.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "Object")]
    public sealed class MeasureObjectCommand : PSCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(Position = 0)]
        public string[]? Property { get; set; }

        [Parameter] public SwitchParameter Sum { get; set; }
        [Parameter] public SwitchParameter Average { get; set; }
        [Parameter] public SwitchParameter Minimum { get; set; }
        [Parameter] public SwitchParameter Maximum { get; set; }

        private sealed class Measured
        {
            public int Count;
            public readonly List<double> Numbers = new();
        }

        // Keyed by property name; "" measures the input objects themselves.
        private readonly Dictionary<string, Measured> _measured = new(StringComparer.OrdinalIgnoreCase);

        private bool WantsNumbers => Sum || Average || Minimum || Maximum;

        protected override void BeginProcessing()
        {
            foreach (string name in Property ?? new[] { "" }) _measured[name] = new Measured();
        }

        protected override void ProcessRecord()
        {
            if (InputObject is null) return;
            if (Property is null)
            {
                Add(_measured[""], InputObject.BaseObject);
                return;
            }
            foreach (string name in Property)
            {
                if (InputObject.Properties[name]?.Value is { } value) Add(_measured[name], value);
            }
        }

        protected override void EndProcessing()
        {
            foreach (var (name, measured) in _measured) WriteObject(Result(measured, name.Length == 0 ? null : name));
        }

        private void Add(Measured measured, object value)
        {
            measured.Count++;
            if (!WantsNumbers) return;
            if (LanguagePrimitives.TryConvertTo(value, out double number))
                measured.Numbers.Add(number);
            else
                WriteError(new ErrorRecord(new PSInvalidCastException($"Input object \"{value}\" is not numeric."),
                    "NonNumericInputObject", ErrorCategory.InvalidType, value));
        }

        private PSObject Result(Measured measured, string? property)
        {
            List<double> numbers = measured.Numbers;
            bool any = numbers.Count > 0;
            var info = new PSObject();
            info.Properties.Add(new PSNoteProperty("Count", measured.Count));
            info.Properties.Add(new PSNoteProperty("Average", Average && any ? numbers.Average() : null));
            info.Properties.Add(new PSNoteProperty("Sum", Sum ? numbers.Sum() : null));
            info.Properties.Add(new PSNoteProperty("Maximum", Maximum && any ? numbers.Max() : null));
            info.Properties.Add(new PSNoteProperty("Minimum", Minimum && any ? numbers.Min() : null));
            info.Properties.Add(new PSNoteProperty("Property", property));
            info.TypeNames.Insert(0, "Microsoft.PowerShell.Commands.GenericMeasureInfo");
            return info;
        }
    }
}
