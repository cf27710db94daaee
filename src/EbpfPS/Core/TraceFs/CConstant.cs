using System;
using System.Globalization;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>Evaluates the constant expressions print formats use as symbol and flag values:
    /// numbers (12, 0x1f, 4096UL, -1), parentheses, `a &lt;&lt; b` and `a | b`. Anything else (casts,
    /// names the kernel left unexpanded such as I_DIRTY_SYNC) is not evaluated.</summary>
    internal ref struct CConstant
    {
        private readonly ReadOnlySpan<char> _text;
        private int _at;

        private CConstant(ReadOnlySpan<char> text)
        {
            _text = text;
            _at = 0;
        }

        internal static bool TryEvaluate(string text, out long value)
        {
            var parser = new CConstant(text.AsSpan());
            bool ok = parser.Or(out value);
            parser.SkipSpaces();
            return ok && parser._at == parser._text.Length;
        }

        private bool Or(out long value)
        {
            if (!Shift(out value)) return false;
            while (Take("|"))
            {
                if (!Shift(out long right)) return false;
                value |= right;
            }
            return true;
        }

        private bool Shift(out long value)
        {
            if (!Unary(out value)) return false;
            if (!Take("<<")) return true;
            if (!Unary(out long bits) || bits is < 0 or > 63) return false;
            value <<= (int)bits;
            return true;
        }

        private bool Unary(out long value)
        {
            bool negative = Take("-");
            if (!Primary(out value)) return false;
            if (negative) value = -value;
            return true;
        }

        private bool Primary(out long value)
        {
            value = 0;
            if (Take("(")) return Or(out value) && Take(")");
            SkipSpaces();
            int start = _at;
            while (_at < _text.Length && char.IsAsciiLetterOrDigit(_text[_at])) _at++;
            var number = _text[start.._at].TrimEnd("uUlL");
            if (number.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                bool ok = ulong.TryParse(number[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex);
                value = unchecked((long)hex);
                return ok;
            }
            return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        private bool Take(string token)
        {
            SkipSpaces();
            if (!_text[_at..].StartsWith(token, StringComparison.Ordinal)) return false;
            _at += token.Length;
            return true;
        }

        private void SkipSpaces()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++;
        }
    }
}
