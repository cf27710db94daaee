using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace EbpfPS.FlameGraphs
{
    /// <summary>speedscope's own file format (https://www.speedscope.app/file-format-schema.json): the frames once in
    /// shared.frames, and one "sampled" profile whose samples are stacks of frame indices, outermost first, each weighed
    /// by its count.</summary>
    internal static class Speedscope
    {
        internal const string Schema = "https://www.speedscope.app/file-format-schema.json";

        internal static void Write(FoldedStacks stacks, string name, Stream output)
        {
            var frames = new List<string>();
            var index = new Dictionary<string, int>();
            var samples = new List<int[]>();
            var weights = new List<long>();
            foreach (var (stackFrames, count) in stacks.Stacks)
            {
                var sample = new int[stackFrames.Length];
                for (int i = 0; i < stackFrames.Length; i++)
                {
                    if (!index.TryGetValue(stackFrames[i], out int at))
                    {
                        index[stackFrames[i]] = at = frames.Count;
                        frames.Add(stackFrames[i]);
                    }
                    sample[i] = at;
                }
                samples.Add(sample);
                weights.Add(count);
            }

            using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
            json.WriteStartObject();
            json.WriteString("$schema", Schema);
            json.WriteStartObject("shared");
            json.WriteStartArray("frames");
            foreach (var frame in frames)
            {
                json.WriteStartObject();
                json.WriteString("name", frame);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("profiles");
            json.WriteStartObject();
            json.WriteString("type", "sampled");
            json.WriteString("name", name);
            json.WriteString("unit", "none"); // weights are sample counts
            json.WriteNumber("startValue", 0);
            json.WriteNumber("endValue", stacks.Total);
            json.WriteStartArray("samples");
            foreach (var sample in samples)
            {
                json.WriteStartArray();
                foreach (int frame in sample) json.WriteNumberValue(frame);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteStartArray("weights");
            foreach (long weight in weights) json.WriteNumberValue(weight);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("name", name);
            json.WriteNumber("activeProfileIndex", 0);
            json.WriteString("exporter", "EbpfPS Export-BpfFlameGraph");
            json.WriteEndObject();
        }
    }
}
