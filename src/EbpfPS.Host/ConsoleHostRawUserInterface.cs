using System;
using System.Management.Automation.Host;

namespace EbpfPS.Host
{
    /// <summary>
    /// What the formatter asks of the console: mostly its width. Redirected output gets $COLUMNS or 120
    /// columns, so tables in files and pipes are not cut to a terminal that is not there.
    /// </summary>
    internal sealed class ConsoleHostRawUserInterface : PSHostRawUserInterface
    {
        private const int RedirectedWidth = 120;

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Size BufferSize
        {
            get => new(Width, Console.IsOutputRedirected ? short.MaxValue : Console.BufferHeight);
            set => throw new NotSupportedException("ebpfps does not resize the console.");
        }

        public override Size WindowSize
        {
            get => new(Width, Console.IsOutputRedirected ? 50 : Console.WindowHeight);
            set => throw new NotSupportedException("ebpfps does not resize the console.");
        }

        public override Size MaxWindowSize => WindowSize;
        public override Size MaxPhysicalWindowSize => WindowSize;
        public override Coordinates CursorPosition { get; set; }
        public override Coordinates WindowPosition { get; set; }
        public override int CursorSize { get; set; } = 25;
        public override string WindowTitle { get; set; } = "ebpfps";
        public override bool KeyAvailable => !Console.IsInputRedirected && Console.KeyAvailable;

        private static int Width
        {
            get
            {
                if (!Console.IsOutputRedirected && Console.WindowWidth > 0) return Console.WindowWidth;
                return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 0
                    ? columns : RedirectedWidth;
            }
        }

        public override KeyInfo ReadKey(ReadKeyOptions options)
        {
            ConsoleKeyInfo key = Console.ReadKey((options & ReadKeyOptions.NoEcho) != 0);
            return new KeyInfo((int)key.Key, key.KeyChar, default, keyDown: true);
        }

        public override void FlushInputBuffer() { }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
            throw new NotSupportedException("ebpfps cannot read the screen buffer.");

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
            throw new NotSupportedException("ebpfps cannot scroll the screen buffer.");

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) =>
            throw new NotSupportedException("ebpfps cannot write the screen buffer.");

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) =>
            throw new NotSupportedException("ebpfps cannot write the screen buffer.");
    }
}
