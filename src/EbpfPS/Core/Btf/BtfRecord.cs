using System;
using System.Collections;
using System.Collections.Generic;

namespace EbpfPS.Core.Btf
{
    /// <summary>A decoded struct, union or data section: its fields in declaration order, by name.
    /// Plain .NET, so that the engine stays free of PowerShell; the cmdlets turn it into a PSObject.</summary>
    internal sealed class BtfRecord : IEnumerable<KeyValuePair<string, object?>>
    {
        private readonly List<KeyValuePair<string, object?>> _fields = new();

        internal BtfRecord(string typeName) => TypeName = typeName;

        /// <summary>The C type it was decoded from, e.g. "struct flow_key".</summary>
        internal string TypeName { get; }

        internal int Count => _fields.Count;

        internal void Add(string name, object? value) => _fields.Add(new(name, value));

        /// <summary>Replaces the value of the field added as <paramref name="name"/>.</summary>
        internal void Set(string name, object? value) => _fields[_fields.FindIndex(f => f.Key == name)] = new(name, value);

        internal object? this[string name]
        {
            get
            {
                foreach (var field in _fields)
                    if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase)) return field.Value;
                throw new KeyNotFoundException($"{TypeName} has no field '{name}'.");
            }
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _fields.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => "@{" + string.Join("; ", _fields.ConvertAll(f => $"{f.Key}={f.Value}")) + "}";
    }
}
