using System;
using System.Globalization;

namespace EbpfPS.Core
{
    /// <summary>Bytes as text the way bpftool prints them ("0a 00 00 01"), and back.</summary>
    internal static class Hex
    {
        internal static string Format(ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty) return "";
            return string.Create(bytes.Length * 3 - 1, bytes.ToArray(), static (text, data) =>
            {
                for (int i = 0; i < data.Length; i++)
                {
                    if (i > 0) text[i * 3 - 1] = ' ';
                    data[i].TryFormat(text[(i * 3)..], out _, "x2", CultureInfo.InvariantCulture);
                }
            });
        }

        /// <summary>Hex digits in pairs, optionally separated by spaces, ':' or '-', optionally after "0x";
        /// null when the text is not that.</summary>
        internal static byte[]? TryParse(string text)
        {
            var digits = text.Trim();
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
            digits = digits.Replace(" ", "").Replace(":", "").Replace("-", "");
            if (digits.Length == 0 || digits.Length % 2 != 0) return null;
            try { return Convert.FromHexString(digits); }
            catch (FormatException) { return null; }
        }
    }
}
