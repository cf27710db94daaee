using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace EbpfPS.Host.Compat
{
    /// <summary>Select-Object: -First/-Last/-Skip, -Property (names, wildcards, calculated) and -ExpandProperty.</summary>
    [Cmdlet(VerbsCommon.Select, "Object")]
    public sealed class SelectObjectCommand : PSCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(Position = 0)]
        public object[]? Property { get; set; }

        [Parameter]
        public string? ExpandProperty { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int First { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Last { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Skip { get; set; }

        // The engine's own way to end the commands upstream of -First, the one the real Select-Object throws.
        // It is internal, so it is built through its constructor that takes the requesting command.
        private static readonly ConstructorInfo s_stopUpstream = typeof(PSCmdlet).Assembly
            .GetType("System.Management.Automation.StopUpstreamCommandsException", throwOnError: true)!
            .GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Single(c => c.GetParameters() is [{ ParameterType: var t }] && t.IsAssignableFrom(typeof(PSCmdlet)));

        private readonly Queue<PSObject> _tail = new();
        private int _seen;
        private int _written;

        protected override void ProcessRecord()
        {
            if (InputObject is null) return;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Last)))
            {
                _tail.Enqueue(InputObject);
                if (_tail.Count > Last + Skip) _tail.Dequeue();
                return;
            }
            if (_seen++ < Skip) return;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(First)) && _written >= First) StopUpstream();
            Emit(InputObject);
            _written++;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(First)) && _written >= First) StopUpstream();
        }

        protected override void EndProcessing()
        {
            // With -Last, -Skip counts from the end.
            foreach (PSObject item in _tail.Take(Math.Max(0, _tail.Count - Skip))) Emit(item);
        }

        private void StopUpstream() => throw (Exception)s_stopUpstream.Invoke(new object[] { this });

        private void Emit(PSObject input)
        {
            if (ExpandProperty is not null)
            {
                object? value = input.Properties[ExpandProperty]?.Value
                    ?? throw new PSArgumentException($"Property \"{ExpandProperty}\" cannot be found.", nameof(ExpandProperty));
                WriteObject(value, enumerateCollection: value is not string && value is IEnumerable);
            }
            else if (Property is { Length: > 0 })
            {
                WriteObject(Selected(input));
            }
            else
            {
                WriteObject(input);
            }
        }

        private PSObject Selected(PSObject input)
        {
            var result = new PSObject();
            foreach (object item in Property!)
            {
                if (item is string or PSObject { BaseObject: string } && WildcardPattern.ContainsWildcardCharacters(item.ToString()))
                {
                    var pattern = new WildcardPattern(item.ToString()!, WildcardOptions.IgnoreCase);
                    foreach (PSPropertyInfo property in input.Properties.Where(p => pattern.IsMatch(p.Name)))
                        AddNote(result, property.Name, property.Value);
                    continue;
                }
                PropertyExpression expression = PropertyExpression.Parse(item);
                AddNote(result, expression.Name, expression.GetValue(input));
            }
            result.TypeNames.Insert(0, "Selected." + input.TypeNames.FirstOrDefault());
            return result;
        }

        private static void AddNote(PSObject target, string name, object? value)
        {
            if (target.Properties[name] is null) target.Properties.Add(new PSNoteProperty(name, value));
        }
    }
}
