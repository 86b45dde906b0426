using System.Text.Json.Nodes;

namespace Autoencoders.Benchmarks;

/// <summary>One workload's sampled profile: how many samples fell in each <see cref="SymbolCategory"/>.</summary>
/// <param name="Network">"mlp" or "conv".</param>
/// <param name="Phase">"training" or "inference".</param>
/// <param name="Side">"library", "fused" (the library with <c>FusedOptimizer</c>) or "handwritten".</param>
/// <param name="SamplesPerSecond">The workload's throughput (images per second) over its timed passes.</param>
/// <param name="Seconds">How long the profiler sampled.</param>
/// <param name="Counts">Profiler samples per category, all threads together, at <see cref="Frequency"/> per second of CPU time.</param>
internal sealed record WorkloadProfile(string Network, string Phase, string Side, double SamplesPerSecond, int Seconds, IReadOnlyDictionary<string, long> Counts)
{
    /// <summary>Profiler samples per second of each thread's CPU time; odd, so as not to beat with periodic work.</summary>
    public const int Frequency = 999;

    private long Total => Counts.Values.Sum();

    public string SideLabel => Side switch
    {
        "handwritten" => "hand-written",
        "fused" => "library, `FusedOptimizer`",
        _ => "library",
    };

    /// <summary>CPU seconds per wall second over the sampling window.</summary>
    public double CpusUtilized => Total / (double)Frequency / Seconds;

    /// <summary>The share of the workload's CPU time in <paramref name="category"/>.</summary>
    public double Share(string category) => Total == 0 ? 0 : Counts.GetValueOrDefault(category) / (double)Total;

    /// <summary>CPU microseconds per image in <paramref name="category"/> (null: all of them).</summary>
    public double MicrosecondsPerSample(string? category) =>
        (category is null ? Total : Counts.GetValueOrDefault(category)) / (double)Frequency / (SamplesPerSecond * Seconds) * 1e6;

    /// <summary>The categories by decreasing share.</summary>
    public IEnumerable<(string Category, double Share)> Shares() =>
        SymbolCategory.All.Select(c => (c, Share(c))).OrderByDescending(s => s.Item2);

    public JsonObject ToJson() => new()
    {
        ["network"] = Network,
        ["phase"] = Phase,
        ["side"] = Side,
        ["samples_per_second"] = SamplesPerSecond,
        ["cpus_utilised"] = CpusUtilized,
        ["cpu_us_per_sample"] = MicrosecondsPerSample(null),
        ["categories"] = new JsonObject(SymbolCategory.All.Select(c => KeyValuePair.Create<string, JsonNode?>(c, new JsonObject
        {
            ["samples"] = Counts.GetValueOrDefault(c),
            ["cpu_us_per_sample"] = MicrosecondsPerSample(c),
            ["share"] = Share(c),
        }))),
    };
}
