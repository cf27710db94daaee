using System;
using System.Globalization;
using System.Management.Automation;

namespace EbpfPS
{
    /// <summary>Timestamps as PowerShell sees them (EbpfPS.types.ps1xml). Export-Csv writes a property as its
    /// value's ToString(), and DateTime's is the culture's short form without the fraction of a second
    /// (12/06/2026 13:23:56); so the events' Timestamp is, in PowerShell, the same DateTime in a PSObject
    /// whose ToString is ISO 8601 with the fraction (2026-12-06T13:23:56.3684144+00:00). Everything else
    /// sees the DateTime: comparisons, Sort-Object, ConvertTo-Json (ISO 8601 already), remoting (a
    /// DateTime again), .ToString('HH:mm:ss.fff') and C# code. Public only because types.ps1xml calls it.</summary>
    public static class EventTimestamp
    {
        internal const string TypeName = "EbpfPS.Timestamp";

        /// <summary>CodeProperty getter: the event's Timestamp, wrapped.</summary>
        public static object? Get(PSObject instance)
        {
            if (instance?.BaseObject is not ITimestamped e) return null;
            var wrapped = new PSObject(e.Timestamp);
            wrapped.TypeNames.Insert(0, TypeName);
            return wrapped;
        }

        /// <summary>CodeProperty setter: anything PowerShell converts to a DateTime.</summary>
        public static void Set(PSObject instance, object value)
        {
            if (instance?.BaseObject is ITimestamped e) e.Timestamp = LanguagePrimitives.ConvertTo<DateTime>(value);
        }

        /// <summary>The ToString of EbpfPS.Timestamp: round-trip ISO 8601, which Import-Csv and [datetime] read
        /// back; with a format (.ToString('HH:mm:ss.fff'), as the views call it) that format.</summary>
        public static string ToText(PSObject instance, string? format = null, IFormatProvider? provider = null)
        {
            if (instance?.BaseObject is not DateTime time) return instance?.ToString() ?? "";
            return format is null ? time.ToString("o", CultureInfo.InvariantCulture) : time.ToString(format, provider ?? CultureInfo.CurrentCulture);
        }
    }
}
