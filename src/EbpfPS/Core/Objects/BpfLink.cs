using System;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>An attached program; disposing it detaches the program from its hook.</summary>
    internal sealed class BpfLink : IDisposable
    {
        private readonly BpfLinkHandle _handle;

        internal BpfLink(BpfLinkHandle handle, string programName)
        {
            _handle = handle;
            ProgramName = programName;
        }

        internal string ProgramName { get; }
        internal bool IsAttached => !_handle.IsClosed;

        public void Dispose() => _handle.Dispose();
    }
}
