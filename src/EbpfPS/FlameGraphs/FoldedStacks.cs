using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace EbpfPS.FlameGraphs
{
    /// <summary>Counted stacks, outermost frame first, with the command as the root frame: what every flame graph format is
    /// written from. Equal stacks (of several processes of one command, say) are one, their counts summed.</summary>
    internal sealed class FoldedStacks
    {
        private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);

        /// <summary>Adds a profile sample's stack: COMMAND;STACK, COUNT times.</summary>
        internal void Add(string command, string stack, long count)
        {
            if (count <= 0) return;
            // a folded line's frames are split at ';' and the count at its last space
            string root = string.IsNullOrEmpty(command) ? "[unknown]" : command.Replace(';', ':');
            string line = stack.Length > 0 ? $"{root};{stack}" : root;
            _counts[line] = _counts.GetValueOrDefault(line) + count;
        }

        internal int Count => _counts.Count;
        internal long Total => _counts.Values.Sum();

        /// <summary>Each stack's frames, outermost first, and its count, in the order of their text.</summary>
        internal IEnumerable<(string[] Frames, long Count)> Stacks => _counts.Select(c => (c.Key.Split(';'), c.Value));

        /// <summary>flamegraph.pl's input: "comm;outer;inner 42" a line.</summary>
        internal void WriteFolded(TextWriter writer)
        {
            foreach (var (line, count) in _counts)
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{line} {count}\n"));
        }
    }
}
