namespace Autoencoders.Benchmarks;

/// <summary>Small statistics over repeated measurements.</summary>
internal static class Stats
{
    /// <summary>The median (mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The least-squares slope of <paramref name="y"/> against 0, 1, 2, ...</summary>
    public static double Slope(IReadOnlyList<double> y)
    {
        if (y.Count < 2)
        {
            return 0;
        }

        var meanX = (y.Count - 1) / 2.0;
        var meanY = y.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < y.Count; i++)
        {
            sxy += (i - meanX) * (y[i] - meanY);
            sxx += (i - meanX) * (i - meanX);
        }

        return sxy / sxx;
    }
}
