using System;
using System.Globalization;
using System.Management.Automation;

namespace EbpfPS
{
    /// <summary>Timestamps as PowerShell sees them (EbpfPS.types.ps1xml). Export-Csv writes a property as its
    /// value's ToString(), and DateTime's is the culture's short form without the fraction of a second
    /// (12/06/2026 13:23:56); so the events' Timestamp (and a signal's DeliveredAt) is, in PowerShell, the same DateTime in a PSObject
    /// whose ToString is ISO 8601 with the fraction (2026-12-06T13:23:56.3684144+00:00). Everything else
    /// sees the DateTime: comparisons, Sort-Object, ConvertTo-Json (ISO 8601 already), remoting (a
    /// DateTime again), .ToString('HH:mm:ss.fff') and C# code. Public only because types.ps1xml calls it.</summary>
    public static class EventTimestamp
    {
        internal const string TypeName = "EbpfPS.Timestamp";

        /// <summary>CodeProperty getter: the event's Timestamp, wrapped.</summary>
        public static object? Get(PSObject instance) => instance?.BaseObject is ITimestamped e ? Wrap(e.Timestamp) : null;

        /// <summary>CodeProperty setter: anything PowerShell converts to a DateTime.</summary>
        public static void Set(PSObject instance, object value)
        {
            if (instance?.BaseObject is ITimestamped e) e.Timestamp = LanguagePrimitives.ConvertTo<DateTime>(value);
        }

        /// <summary>CodeProperty getter of a signal's DeliveredAt (empty when it was not delivered).</summary>
        public static object? GetDeliveredAt(PSObject instance) =>
            instance?.BaseObject is BpfSignalEvent { DeliveredAt: { } time } ? Wrap(time) : null;

        public static void SetDeliveredAt(PSObject instance, object? value)
        {
            if (instance?.BaseObject is BpfSignalEvent e) e.DeliveredAt = value is null ? null : LanguagePrimitives.ConvertTo<DateTime>(value);
        }

        private static PSObject Wrap(DateTime time)
        {
            var wrapped = new PSObject(time);
            wrapped.TypeNames.Insert(0, TypeName);
            return wrapped;
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
