using System;
using System.Management.Automation;
using EbpfPS.Commands;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>What -Duration accepts: a number means seconds, units add up, hh:mm:ss as .NET reads it.</summary>
    public class TimeSpanTextTests
    {
        [Theory]
        [InlineData("5", 5_000)]
        [InlineData(" 1.5 ", 1_500)]
        [InlineData("5s", 5_000)]
        [InlineData("5S", 5_000)]
        [InlineData("500ms", 500)]
        [InlineData("2m", 120_000)]
        [InlineData("1h30m", 5_400_000)]
        [InlineData("1h 30m 15s", 5_415_000)]
        [InlineData("1d", 86_400_000)]
        [InlineData("1m30s250ms", 90_250)]
        [InlineData("00:00:05", 5_000)]
        [InlineData("01:02:03", 3_723_000)]
        [InlineData("1.00:00:00", 86_400_000)]
        [InlineData("00:00:00.250", 250)]
        [InlineData("0", 0)]
        [InlineData("-5", -5_000)]
        public void Parses(string text, long milliseconds)
        {
            Assert.True(TimeSpanText.TryParse(text, out var value));
            Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("five")]
        [InlineData("5x")]
        [InlineData("5 seconds")]
        [InlineData("s")]
        [InlineData("30m1h")]   // units largest first
        [InlineData("5s5s")]    // each once
        [InlineData("5s junk")]
        [InlineData("1e300")]   // beyond TimeSpan
        [InlineData("NaN")]
        [InlineData("25:99:99")]
        public void Rejects(string text) => Assert.False(TimeSpanText.TryParse(text, out _));

        [Fact]
        public void Transforms_numbers_as_seconds_and_keeps_a_TimeSpan()
        {
            var attribute = new TimeSpanArgumentAttribute();
            Assert.Equal(TimeSpan.FromSeconds(5), attribute.Transform(null!, 5));
            Assert.Equal(TimeSpan.FromSeconds(5), attribute.Transform(null!, 5L));
            Assert.Equal(TimeSpan.FromMilliseconds(2500), attribute.Transform(null!, 2.5));
            Assert.Equal(TimeSpan.FromSeconds(5), attribute.Transform(null!, PSObject.AsPSObject(5)));
            Assert.Equal(TimeSpan.FromMinutes(2), attribute.Transform(null!, "2m"));
            Assert.Equal(TimeSpan.FromTicks(7), attribute.Transform(null!, TimeSpan.FromTicks(7)));
        }

        [Fact]
        public void Explains_text_it_cannot_read()
        {
            var e = Assert.Throws<ArgumentTransformationMetadataException>(() => new TimeSpanArgumentAttribute().Transform(null!, "5 sec"));
            Assert.Equal("'5 sec' is not a time span. Give seconds (5), a number with units (500ms, 5s, 2m, 1h30m, 1d) or hours:minutes:seconds (00:00:05).", e.Message);
        }
    }
}
