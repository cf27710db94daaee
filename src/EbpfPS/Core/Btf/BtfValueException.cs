using System;

namespace EbpfPS.Core.Btf
{
    /// <summary>A value that does not fit its BTF type; <see cref="Path"/> names the field, e.g. "points[1].x".</summary>
    internal sealed class BtfValueException : Exception
    {
        internal BtfValueException(string path, string problem)
            : base(path.Length == 0 ? problem : $"{path}: {problem}") => Path = path;

        internal string Path { get; }
    }
}
