using System;
using System.Collections.Generic;
using System.Linq;
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

        public string[] MapNames => _object.Maps().Select(m => m.Name).Where(n => !n.Contains('.')).ToArray();

        /// <summary>A map of the trace's object by name; throws BpfException when there is none.</summary>
        internal BpfMap Map(string name) => _object.Map(name);

        public override string ToString() => Name;
    }
}
