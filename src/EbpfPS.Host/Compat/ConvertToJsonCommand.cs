using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EbpfPS.Host.Compat
{
    /// <summary>
    /// ConvertTo-Json: plain objects, hashtables and arrays to JSON, two-space indented unless -Compress.
    /// Past -Depth an object is written as its string, with a warning, like the real one.
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "Json")]
    [OutputType(typeof(string))]
    public sealed class ConvertToJsonCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowNull]
        public object? InputObject { get; set; }

        [Parameter]
        [ValidateRange(0, 100)]
        public int Depth { get; set; } = 2;

        [Parameter] public SwitchParameter Compress { get; set; }
        [Parameter] public SwitchParameter AsArray { get; set; }
        [Parameter] public SwitchParameter EnumsAsStrings { get; set; }

        private readonly List<object?> _items = new();
        private bool _truncated;

        protected override void ProcessRecord() => _items.Add(InputObject);

        protected override void EndProcessing()
        {
            using var buffer = new MemoryStream();
            var options = new JsonWriterOptions { Indented = !Compress, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            using (var json = new Utf8JsonWriter(buffer, options))
            {
                if (_items.Count == 1 && !AsArray) Write(json, _items[0], 0);
                else Write(json, _items, 0);
            }
            if (_truncated) WriteWarning($"Resulting JSON is truncated as serialization has exceeded the set depth of {Depth}.");
            WriteObject(Encoding.UTF8.GetString(buffer.ToArray()).Replace("\n", Environment.NewLine));
        }

        private void Write(Utf8JsonWriter json, object? value, int depth)
        {
            if (value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject) value = wrapped.BaseObject;
            switch (value)
            {
                case null: json.WriteNullValue(); return;
                case bool flag: json.WriteBooleanValue(flag); return;
                case string or char or Guid or Uri or Version: json.WriteStringValue(value.ToString()); return;
                case DateTime time: json.WriteStringValue(time.ToString("o", CultureInfo.InvariantCulture)); return;
                case DateTimeOffset time: json.WriteStringValue(time.ToString("o", CultureInfo.InvariantCulture)); return;
                case Enum when EnumsAsStrings: json.WriteStringValue(value.ToString()); return;
                case Enum: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); return;
                case decimal number: json.WriteNumberValue(number); return;
                case double or float when double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                    json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)); return;
                case ulong number: json.WriteNumberValue(number); return;
                case sbyte or byte or short or ushort or int or uint or long:
                    json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); return;
            }
            if (depth > Depth)
            {
                _truncated = true;
                json.WriteStringValue(value.ToString());
                return;
            }
            switch (value)
            {
                case IDictionary table:
                    json.WriteStartObject();
                    foreach (DictionaryEntry entry in table)
                    {
                        json.WritePropertyName(entry.Key.ToString() ?? "");
                        Write(json, entry.Value, depth + 1);
                    }
                    json.WriteEndObject();
                    return;
                case IEnumerable items:
                    json.WriteStartArray();
                    foreach (object? item in items) Write(json, item, depth + 1);
                    json.WriteEndArray();
                    return;
            }
            json.WriteStartObject();
            foreach (PSPropertyInfo property in PSObject.AsPSObject(value).Properties)
            {
                if (!property.IsGettable || !TryGetValue(property, out object? propertyValue)) continue;
                json.WritePropertyName(property.Name);
                Write(json, propertyValue, depth + 1);
            }
            json.WriteEndObject();
        }

        // Some getters throw for some instances (IPAddress.ScopeId on IPv4); the real cmdlet leaves those out too.
        private static bool TryGetValue(PSPropertyInfo property, out object? value)
        {
            try
            {
                value = property.Value;
                return true;
            }
            catch (GetValueException)
            {
                value = null;
                return false;
            }
        }
    }
}
