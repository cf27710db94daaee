using System;
using System.Collections.Generic;
using System.Linq;

namespace EbpfPS.Core.Symbols
{
    /// <summary>The kernel's functions (/proc/kallsyms, see <see cref="Kallsyms"/>) sorted by address, to name the
    /// addresses of kernel stacks: each function reaches to the next one's address.</summary>
    internal sealed class KernelSymbols
    {
        private readonly ulong[] _addresses;
        private readonly KernelSymbol[] _symbols;

        internal KernelSymbols(IEnumerable<KernelSymbol> symbols)
        {
            // T/t code, W/w weak code; data and absolute symbols would split functions into pieces
            var code = symbols.Where(s => s.Address != 0 && s.Type is 'T' or 't' or 'W' or 'w')
                .OrderBy(s => s.Address)
                // of aliases (__do_sys_getppid, __x64_sys_getppid), a global one first, then the fewest leading underscores
                .ThenBy(s => char.IsLower(s.Type)).ThenBy(s => s.Name.Length - s.Name.TrimStart('_').Length).ThenBy(s => s.Name, StringComparer.Ordinal)
                .ToArray();
            _symbols = code;
            _addresses = code.Select(s => s.Address).ToArray();
        }

        /// <summary>This machine's, read now (modules loaded later are not in it).</summary>
        internal static KernelSymbols Load(string path = Kallsyms.DefaultPath) => new(Kallsyms.Read(path));

        /// <summary>False where kallsyms shows zeros (kptr_restrict, not root): no kernel address can be named.</summary>
        internal bool Available => _symbols.Length > 0;

        /// <summary>The function ADDRESS is in and how far into it, or null below the first function.</summary>
        internal (KernelSymbol Symbol, ulong Offset)? Find(ulong address)
        {
            int i = Array.BinarySearch(_addresses, address);
            if (i < 0) i = ~i - 1;
            if (i < 0) return null;
            while (i > 0 && _addresses[i - 1] == _addresses[i]) i--; // the first of aliases, which sorts first
            return (_symbols[i], address - _symbols[i].Address);
        }
    }
}
