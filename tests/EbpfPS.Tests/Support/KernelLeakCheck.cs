using System;
using System.Linq;
using System.Threading;

namespace EbpfPS.Tests.Support
{
    /// <summary>A leak check around a whole test class (IClassFixture): what the class's tests leave open of the
    /// kernel objects <see cref="KernelObjects.HeldByThisProcess"/> counts fails the class. Test classes run one
    /// after another (xunit.runner.json), so nothing else opens them meanwhile.</summary>
    public sealed class KernelLeakCheck : IDisposable
    {
        private readonly string[] _before = Targets();

        public void Dispose()
        {
            // A reader thread or a finalizer may still be closing: give them a moment before calling it a leak.
            string[] left = Array.Empty<string>();
            for (int attempt = 0; attempt < 20; attempt++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                left = Left();
                if (left.Length == 0) return;
                Thread.Sleep(50);
            }
            throw new Xunit.Sdk.XunitException($"The test class left open: {string.Join(", ", left)}");
        }

        private string[] Left()
        {
            var remaining = _before.ToList();
            return Targets().Where(target => !remaining.Remove(target)).ToArray();
        }

        private static string[] Targets() => KernelObjects.HeldByThisProcess().Select(h => h[(h.IndexOf(':') + 1)..]).ToArray();
    }
}
