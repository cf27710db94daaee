using System.Collections.Generic;
using System.Linq;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Core;

namespace EbpfPS
{
    /// <summary>A running trace of Start-BpfTrace: what it traces, and its object's maps, which
    /// Read-BpfMap can read while the trace runs.</summary>
    public sealed class BpfTrace
    {
        private readonly BpfObject _object;

        internal BpfTrace(string name, BpfObject bpfObject)
        {
            Name = name;
            _object = bpfObject;
        }

        public string Name { get; }

        public string[] MapNames => !IsRunning ? Array.Empty<string>() : _object.Maps().Select(m => m.Name).Where(n => !n.Contains('.')).ToArray();

        /// <summary>False once the trace has ended and its maps are gone.</summary>
        public bool IsRunning => !_object.IsDisposed;

        /// <summary>A map of the trace's object by name; throws BpfException when there is none or the trace ended.</summary>
        internal BpfMap Map(string name) => IsRunning
            ? _object.Map(name)
            : throw new BpfException(BpfErrorKind.NotFound, $"The trace '{Name}' has ended: its maps are gone.",
                "Read the maps while the trace runs (before Stop-Job, or within its -Duration).") { ErrorId = BpfErrorIds.TraceEnded };

        public override string ToString() => Name;
    }
}
