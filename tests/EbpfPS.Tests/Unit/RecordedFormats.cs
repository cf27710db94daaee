using EbpfPS.Core.TraceFs;
using EbpfPS.Tests.Support;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Format files recorded on 6.18 (Fixtures/recorded/formats/CATEGORY.NAME.format).</summary>
    internal static class RecordedFormats
    {
        internal static TracepointFormat Read(string category, string name) =>
            TracepointFormat.Parse(category, Recorded.Text($"formats/{category}.{name}.format"));
    }
}
