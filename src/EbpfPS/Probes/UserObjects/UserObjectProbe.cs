using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System;
using EbpfPS.Core.Btf;
using EbpfPS.Introspection.Maps;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Probes.UserObjects
{
    /// <summary>The user's own compiled object: globals set by name through its BTF before load, programs
    /// attached where their SEC() names say, and the records of its ring buffers and perf buffers decoded
    /// through its BTF as the event struct. Its buffers are read as the built-in probes' are: batched, by a
    /// thread of their own into a bounded queue (<see cref="EventReader{TEvent}"/>).</summary>
    internal sealed class UserObjectProbe : IEventSource<object?>
    {
        private readonly BpfObject _object;
        private readonly List<PerfBuffer> _perfBuffers = new();
        private readonly EventReader<object?> _reader;
        private readonly EventDecoder _decoder = new();

        /// <summary>The `const volatile` globals by which programs written like libbpf-tools take the process to
        /// trace (their -p), in the order -ProcessId looks for them.</summary>
        internal static readonly string[] ProcessIdGlobals = { "targ_tgid", "target_tgid", "targ_pid", "target_pid", "filter_pid", "pid_filter" };

        /// <param name="globals">Name -> value of `const volatile` globals (.rodata), encoded by their BTF type.</param>
        /// <param name="processId">Written into the object's process id global (<see cref="ProcessIdGlobals"/>).</param>
        /// <param name="eventType">The struct the event maps carry; by default "event", or the one struct named *event.</param>
        /// <param name="delivery">Batched by default; its BufferBytes sizes the perf buffers.</param>
        /// <param name="resizeRingBuffers">Also give the object's ring buffers the delivery's BufferBytes (else
        /// they keep the size the object declares).</param>
        /// <param name="progress">Cancels before and after load and between attachments; what was attached is detached.</param>
        /// <param name="targets">The cgroup and interface of the programs that attach to one; closed once they are attached.</param>
        /// <param name="warn">Gets what the caller should be warned of while the object is opened.</param>
        internal UserObjectProbe(string path, IReadOnlyDictionary<string, object?> globals, string? eventType, EventDelivery? delivery = null,
            bool resizeRingBuffers = false, int? processId = null, AttachProgress? progress = null, AttachTargets? targets = null,
            Action<string>? warn = null)
        {
            progress ??= AttachProgress.None;
            targets ??= AttachTargets.None;
            _reader = new EventReader<object?>(delivery ?? EventDelivery.Batched, _decoder);
            try
            {
                KernelSupport.DemandTracing();
                _object = UserObjectFile.Open(path, globals, targets, warn ?? (_ => { }));
            }
            catch
            {
                _reader.Dispose();
                targets.Dispose();
                throw;
            }
            try
            {
                var spec = _object.Spec;
                if (processId is int pid) UserObjectFile.SetGlobal(_object, ProcessIdGlobal(spec, globals), pid);
                if (resizeRingBuffers)
                    foreach (var map in _object.OpenMaps().Where(m => m.Type == MapTypes.RingBuffer)) map.SetMaxEntries(delivery!.BufferBytes);
                progress.ThrowIfCancelled();
                _object.Load();
                progress.ThrowIfCancelled();
                _decoder.Decoder = new BtfDecoder(spec);
                _decoder.EventType = EventType(spec, eventType);
                _decoder.EventSize = _decoder.EventType is { } id ? spec.SizeOf(id) : 0;
                foreach (var map in _object.Maps())
                {
                    if (map.Type == MapTypes.RingBuffer)
                        _reader.Add(handler => new RingBuffer(map, handler, (delivery ?? EventDelivery.Batched).RingWindowBytes));
                    else if (map.Type == MapTypes.PerfEventArray)
                        _perfBuffers.Add(_reader.Add(handler => new PerfBuffer(map, handler, delivery)));
                }
                // Reading starts before anything is attached: the thread's start (the runtime calls getpid) and
                // all that follows on it stay out of what the programs see.
                _reader.Start();
                ProgramTargets.AttachAll(_object, targets, progress);
            }
            catch
            {
                Dispose();
                throw;
            }
            finally { targets.Dispose(); }
        }

        /// <summary>Samples the kernel dropped from full perf buffers. (Ring buffers of the user's object count
        /// their own losses, if they do, in its maps.)</summary>
        public ulong Lost => (ulong)_perfBuffers.Sum(p => (long)p.Lost);
        public IReadOnlyList<LibbpfLog.Line> Log => _object.Log;

        /// <summary>The object's perf buffers, to see how they wake their reader.</summary>
        internal IReadOnlyList<PerfBuffer> PerfBuffers => _perfBuffers;
        public BpfObject? Object => _object;

        public IReadOnlyList<object?> Poll(int timeoutMs) => _reader.Poll(timeoutMs);

        public IReadOnlyList<object?> Complete() => _reader.Complete();

        public long Discard() => _reader.Discard();

        /// <summary>A record as the event struct, decoded through the object's BTF; as its bytes when there is
        /// no such struct or the record is shorter.</summary>
        private sealed class EventDecoder : IRecordDecoder<object?>
        {
            internal BtfDecoder? Decoder;
            internal uint? EventType;
            internal int EventSize;

            public void Decode(ReadOnlySpan<byte> record, List<object?> ready) =>
                ready.Add(EventType is { } id && record.Length >= EventSize ? Decoder!.Decode(id, record) : record.ToArray());
        }

        /// <summary>The first of <see cref="ProcessIdGlobals"/> the object declares, unless -Set gives it too.</summary>
        private string ProcessIdGlobal(BtfSpec spec, IReadOnlyDictionary<string, object?> globals)
        {
            var section = spec.Find<BtfSection>(".rodata") is { } id ? (BtfSection)spec[id] : null;
            var names = section?.Variables.Select(v => spec[v.Type].Name).ToHashSet() ?? new HashSet<string>();
            string? name = ProcessIdGlobals.FirstOrDefault(names.Contains);
            if (name is null)
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"'{_object.Name}' has no global that takes a process id, so -ProcessId cannot filter it: it sets the first of {string.Join(", ", ProcessIdGlobals)} that the object declares.",
                    "Declare `const volatile pid_t targ_tgid = 0;` and return early when it is set and bpf_get_current_pid_tgid() >> 32 differs, " +
                    "or set your own global with -Set.") { ErrorId = BpfErrorIds.ProcessIdGlobalNotFound };
            if (globals.ContainsKey(name))
                throw new BpfException(BpfErrorKind.InvalidArgument, $"-ProcessId and -Set both give '{name}'.",
                    "Give the process id one way.") { ErrorId = BpfErrorIds.ProcessIdGlobalSetTwice };
            return name;
        }

        private static uint? EventType(BtfSpec spec, string? name)
        {
            if (name is not null)
            {
                string bare = name.StartsWith("struct ", StringComparison.Ordinal) ? name[7..] : name;
                return spec.Find<BtfComposite>(bare) ?? throw new BpfException(BpfErrorKind.NotFound,
                    $"The object's BTF has no struct '{bare}'.", "Name the struct its ring buffer carries, as in the C source.") { ErrorId = BpfErrorIds.BpfEventTypeNotFound };
            }
            if (spec.Find<BtfComposite>("event") is { } byConvention) return byConvention;
            var candidates = Enumerable.Range(1, spec.Count - 1).Select(i => spec[(uint)i])
                .OfType<BtfComposite>().Where(c => c.Name.EndsWith("event", StringComparison.Ordinal)).ToList();
            return candidates.Count == 1 ? candidates[0].Id : null;
        }

        public void Dispose()
        {
            _reader.Dispose();
            _object.Dispose();
        }
    }
}
