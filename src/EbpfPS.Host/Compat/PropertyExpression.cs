using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>
    /// A -Property item as the utility cmdlets take it: a property name, a script block over $_,
    /// or a hashtable @{ Name/Label = ...; Expression = name or script block; Descending = ... }.
    /// </summary>
    internal sealed class PropertyExpression
    {
        private readonly string? _propertyName;
        private readonly ScriptBlock? _script;

        public string Name { get; }
        public bool? Descending { get; }

        private PropertyExpression(string name, string? propertyName, ScriptBlock? script, bool? descending)
        {
            Name = name;
            _propertyName = propertyName;
            _script = script;
            Descending = descending;
        }

        public static PropertyExpression Parse(object item)
        {
            object value = item is PSObject wrapped ? wrapped.BaseObject : item;
            switch (value)
            {
                case string name:
                    return new PropertyExpression(name, name, null, null);
                case ScriptBlock script:
                    return new PropertyExpression(script.ToString().Trim(), null, script, null);
                case IDictionary table:
                    object expression = Entry(table, "Expression", "E")
                        ?? throw new ArgumentException("A calculated property needs an Expression (E) entry.");
                    PropertyExpression inner = Parse(expression);
                    string label = Entry(table, "Name", "N", "Label", "L")?.ToString() ?? inner.Name;
                    bool? descending = Entry(table, "Descending") is { } d ? LanguagePrimitives.IsTrue(d) : null;
                    return new PropertyExpression(label, inner._propertyName, inner._script, descending);
                default:
                    throw new ArgumentException($"'{value}' is not a property name, script block or hashtable.");
            }
        }

        public static PropertyExpression[] ParseAll(object[]? items) =>
            items is null ? Array.Empty<PropertyExpression>() : Array.ConvertAll(items, Parse);

        /// <summary>The value for one input object; null where the object has no such property.</summary>
        public object? GetValue(PSObject input)
        {
            if (_script is null) return input.Properties[_propertyName!]?.Value;
            var dollarUnder = new List<PSVariable> { new("_", input) };
            var results = _script.InvokeWithContext(null, dollarUnder);
            return results.Count switch
            {
                0 => null,
                1 => results[0]?.BaseObject,
                _ => results,
            };
        }

        private static object? Entry(IDictionary table, params string[] keys)
        {
            foreach (DictionaryEntry entry in table)
                foreach (string key in keys)
                    if (string.Equals(entry.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase))
                        return entry.Value;
            return null;
        }
    }
}
