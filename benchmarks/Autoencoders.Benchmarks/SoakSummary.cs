namespace Autoencoders.Benchmarks;

/// <summary>The resident-memory figures of a soak run.</summary>
/// <param name="RssFirst">RSS after epoch 1 (MB).</param>
/// <param name="RssLast">RSS after the last epoch (MB).</param>
/// <param name="RssMax">The largest RSS sampled (MB).</param>
/// <param name="GrowthMegabytes">RSS after the last epoch minus RSS after epoch 2 (epoch 1 includes one-off
/// allocations: Adam's state, the allocator's pools).</param>
/// <param name="GrowthPercent">That growth as a percentage of the epoch-2 RSS.</param>
/// <param name="SlopeMegabytesPerEpoch">Least-squares slope of RSS over epochs 2 to the end.</param>
internal sealed record SoakSummary(
    double RssFirst, double RssLast, double RssMax, double GrowthMegabytes, double GrowthPercent, double SlopeMegabytesPerEpoch)
{
    public bool IsFlat => Math.Abs(GrowthPercent) <= Soak.FlatTolerancePercent;

    public static SoakSummary From(IReadOnlyList<SoakSample> samples, double rssBefore)
    {
        if (samples.Count == 0)
        {
            return new(rssBefore, rssBefore, rssBefore, 0, 0, 0);
        }

        var second = samples.Count > 1 ? samples[1].RssMegabytes : samples[0].RssMegabytes;
        var last = samples[^1].RssMegabytes;
        var growth = last - second;
        return new(
            samples[0].RssMegabytes,
            last,
            samples.Max(s => s.RssMegabytes),
            growth,
            growth / second * 100,
            Stats.Slope([.. samples.Skip(1).Select(s => s.RssMegabytes)]));
    }
}
