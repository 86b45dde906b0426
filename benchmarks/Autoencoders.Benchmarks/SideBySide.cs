namespace Autoencoders.Benchmarks;

/// <summary>Interleaved throughput runs (samples/s) of the library and the hand-written loop.</summary>
/// <param name="Library">One value per timed library run; empty when the library could not be measured.</param>
/// <param name="Handwritten">One value per timed hand-written run.</param>
internal sealed record SideBySide(IReadOnlyList<double> Library, IReadOnlyList<double> Handwritten)
{
    public double? LibraryMedian => Library.Count == 0 ? null : Stats.Median([.. Library]);

    public double HandwrittenMedian => Stats.Median([.. Handwritten]);

    /// <summary>Library median / hand-written median: 1 means no overhead.</summary>
    public double? Ratio => LibraryMedian / HandwrittenMedian;
}
