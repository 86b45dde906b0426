using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// The square root in Adam's denominator, which TorchSharp's Adam (and the library's exact update, which
/// must give the same bits) takes with libtorch's <c>sqrt</c>, i.e. MKL's vector math on x86-64: how its
/// time depends on zeros in the second moment, and how often its result differs from the correctly rounded
/// square root that a faster kernel (the fused Adam, or hardware <c>sqrtps</c>) would give.
/// </summary>
/// <param name="Elements">Values per call: BENCH-MLP's parameter count.</param>
/// <param name="Milliseconds">Median time per call by input: no zeros, a third zeros (as the weights of always-blank pixels get), tiny values (subnormal).</param>
/// <param name="Checked">Random non-negative floats compared with the correctly rounded square root.</param>
/// <param name="Different">How many of them libtorch rounds otherwise.</param>
/// <param name="LargestUlps">The largest difference, in units in the last place.</param>
internal sealed record SquareRootCheck(long Elements, IReadOnlyDictionary<string, double> Milliseconds, int Checked, int Different, int LargestUlps)
{
    public static SquareRootCheck Measure(int threads)
    {
        const long elements = 944_176;
        var previous = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var scope = NewDisposeScope();
            var generator = new Generator(1);
            var positive = rand(elements, generator: generator) + 0.1;
            var inputs = new Dictionary<string, Tensor>
            {
                ["no zeros"] = positive,
                ["a third zeros"] = positive * rand(elements, generator: generator).ge(1.0 / 3),
                ["subnormal"] = rand(elements, generator: generator) * 1e-39,
            };
            var times = inputs.ToDictionary(i => i.Key, i => Time(i.Value));

            // Random bit patterns of finite non-negative floats, every exponent alike.
            const int count = 1 << 22;
            var random = new Random(2);
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = BitConverter.Int32BitsToSingle(random.Next(0, 0x7F800000));
            }

            var libtorch = MemoryMarshal.Cast<byte, float>(tensor(values).sqrt().bytes).ToArray();
            var (different, largest) = (0, 0);
            for (var i = 0; i < count; i++)
            {
                // Non-negative floats order like their bit patterns, so the difference of the patterns counts ulps.
                var ulps = Math.Abs(BitConverter.SingleToInt32Bits(libtorch[i]) - BitConverter.SingleToInt32Bits(MathF.Sqrt(values[i])));
                different += ulps == 0 ? 0 : 1;
                largest = Math.Max(largest, ulps);
            }

            return new SquareRootCheck(elements, times, count, different, largest);
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    public JsonObject ToJson() => new()
    {
        ["elements"] = Elements,
        ["ms_per_call"] = new JsonObject(Milliseconds.Select(m => KeyValuePair.Create<string, JsonNode?>(m.Key, m.Value))),
        ["checked"] = Checked,
        ["rounded_otherwise"] = Different,
        ["largest_ulps"] = LargestUlps,
    };

    public string ToMarkdown(int threads)
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $"""
            ## Adam's square root

            `torch.sqrt` of {Elements:N0} float32 values (BENCH-MLP's parameters) at {threads} thread(s), median of 51 calls: {string.Join(", ", Milliseconds.Select(m => string.Create(inv, $"{m.Key} {m.Value:F3} ms")))}. Of {Checked:N0} random non-negative floats, libtorch's square root differs from the correctly rounded one (`MathF.Sqrt`, the hardware instruction) for {Different:N0} ({100.0 * Different / Checked:F1} %), by at most {LargestUlps} unit(s) in the last place: an update bit-identical to TorchSharp's Adam must call it, and no faster kernel rounds the same way.

            """);
    }

    private static double Time(Tensor input)
    {
        var runs = new List<double>();
        for (var i = 0; i < 56; i++)
        {
            using var scope = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            input.sqrt();
            if (i >= 5)
            {
                runs.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return Stats.Median([.. runs]);
    }
}
