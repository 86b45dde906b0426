namespace Autoencoders.Data;

/// <summary>
/// Per-feature statistics of a <see cref="DataSource"/> from one pass: the count, mean, population variance,
/// minimum and maximum of every flattened feature. The scalers are fitted from them
/// (<see cref="StandardScaler.Fit(DataSource)"/>, <see cref="MinMaxScaler.Fit(DataSource)"/>).
/// </summary>
/// <remarks>
/// A stream accumulates the mean and variance with Welford's algorithm in float64, sample by sample in the
/// source's order, so the result does not depend on chunk sizes or threads. Data in memory is reduced by
/// libtorch in float64 in two passes (mean, then mean squared deviation); both agree to about 1e-15
/// relative, and exactly once rounded to a scaler's float32 but for values within that distance of a
/// float32 rounding boundary.
/// <example>
/// <code>
/// using var source = DataSource.FromCsv("sensors.csv");
/// DataStatistics stats = source.ComputeStatistics();          // one pass
/// Console.WriteLine($"{stats.Count} rows, in [0, 1]: {stats.IsUnitInterval}");
/// var scaler = StandardScaler.Fit(source);                    // no second pass: the statistics are kept
/// </code>
/// </example>
/// </remarks>
public sealed class DataStatistics
{
    internal DataStatistics(long count, double[] mean, double[] variance, double[] minimum, double[] maximum)
    {
        Count = count;
        Mean = Array.AsReadOnly(mean);
        Variance = Array.AsReadOnly(variance);
        Minimum = Array.AsReadOnly(minimum);
        Maximum = Array.AsReadOnly(maximum);
    }

    /// <summary>The number of samples.</summary>
    public long Count { get; }

    /// <summary>The mean of each feature.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>The population variance (denominator N) of each feature.</summary>
    public IReadOnlyList<double> Variance { get; }

    /// <summary>The smallest value of each feature.</summary>
    public IReadOnlyList<double> Minimum { get; }

    /// <summary>The largest value of each feature.</summary>
    public IReadOnlyList<double> Maximum { get; }

    /// <summary>Whether every value lies in [0, 1] (images scaled to the unit interval, probabilities).</summary>
    public bool IsUnitInterval => Minimum.All(v => v >= 0) && Maximum.All(v => v <= 1);
}
