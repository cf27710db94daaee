using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using EbpfPS.Core;
using EbpfPS.Core.Btf;

namespace EbpfPS.Commands
{
    /// <summary>Between the engine's plain values (BtfRecord, object[]) and PowerShell's: records become
    /// PSCustomObjects with one property per field; what users pass in (PSCustomObjects, hashtables, arrays,
    /// all possibly wrapped in PSObject) becomes dictionaries and arrays the encoder reads.</summary>
    internal static class PSValues
    {
        private static readonly MethodInfo RecordToString = typeof(RecordText).GetMethod(nameof(RecordText.Format))!;

        /// <summary>-Set's name -> value, as the values a user object's globals are encoded from.</summary>
        internal static Dictionary<string, object?> Globals(Hashtable? set)
        {
            var globals = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in set ?? new Hashtable())
                globals[entry.Key.ToString() ?? ""] = FromPowerShell(entry.Value);
            return globals;
        }

        /// <summary>Records become PSCustomObjects that print their content (@{a=1; b={1, 2}}) wherever
        /// PowerShell makes text of them: a table cell, Export-Csv, "$x". Bytes become hex and addresses
        /// their text, so that Export-Csv and ConvertTo-Json write what the view shows.</summary>
        internal static object? ToPowerShell(object? value)
        {
            switch (value)
            {
                case BtfRecord record:
                    var result = new PSObject();
                    foreach (var field in record)
                        result.Properties.Add(new PSNoteProperty(field.Key, ToPowerShell(field.Value)));
                    result.Methods.Add(new PSCodeMethod("ToString", RecordToString));
                    return result;
                case object?[] items:
                    var converted = new object?[items.Length];
                    for (int i = 0; i < items.Length; i++) converted[i] = ToPowerShell(items[i]);
                    return new BpfArray(converted);
                case byte[] bytes:
                    return Hex.Format(bytes);
                case IPAddress address:
                    return address.ToString();
                default:
                    return value;
            }
        }

        internal static object? FromPowerShell(object? value)
        {
            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    var fields = new OrderedDictionary(System.StringComparer.OrdinalIgnoreCase);
                    foreach (var property in wrapped.Properties)
                        fields[property.Name] = FromPowerShell(property.Value);
                    return fields;
                }
                value = wrapped.BaseObject;
            }
            switch (value)
            {
                case IDictionary dictionary:
                    var copy = new OrderedDictionary(System.StringComparer.OrdinalIgnoreCase);
                    foreach (DictionaryEntry entry in dictionary)
                        copy[entry.Key.ToString() ?? ""] = FromPowerShell(entry.Value);
                    return copy;
                case byte[] or string:
                    return value;
                case IList list:
                    var items = new object?[list.Count];
                    for (int i = 0; i < items.Length; i++) items[i] = FromPowerShell(list[i]);
                    return items;
                default:
                    return value;
            }
        }
    }
}
