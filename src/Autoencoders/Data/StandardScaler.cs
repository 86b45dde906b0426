namespace Autoencoders.Data;

/// <summary>
/// Standardises each feature to zero mean and unit variance: Offset = mean, Scale = population standard
/// deviation (computed in float64). Constant features (standard deviation below 1e-12) get Scale = 1, as in
/// scikit-learn, so they map to 0.
/// </summary>
/// <remarks>
/// <example>
/// <code>
/// var scaler = StandardScaler.Fit(train);          // train: any DataSource, in memory or streamed
/// using var scaled = scaler.Transform(train);
/// </code>
/// </example>
/// </remarks>
public sealed class StandardScaler : Scaler
{
    internal const string KindName = "standard";

    internal StandardScaler(float[] offset, float[] scale)
        : base(offset, scale)
    {
    }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>
    /// Fits the per-feature mean and standard deviation of a source's flattened features: one pass over a
    /// stream (or none, when its statistics were computed before; see <see cref="DataSource.ComputeStatistics"/>).
    /// </summary>
    /// <param name="data">The data to fit on, in memory or streamed.</param>
    /// <returns>The fitted scaler.</returns>
    public static StandardScaler Fit(DataSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(data.ComputeStatistics());
    }

    /// <summary>The scaler of already computed statistics.</summary>
    internal static StandardScaler Fit(DataStatistics statistics)
    {
        var offset = new float[statistics.Mean.Count];
        var scale = new float[offset.Length];
        for (int i = 0; i < offset.Length; i++)
        {
            var std = Math.Sqrt(statistics.Variance[i]);
            offset[i] = (float)statistics.Mean[i];
            scale[i] = std < 1e-12 ? 1f : (float)std;
        }

        return new StandardScaler(offset, scale);
    }

    /// <summary>Fits the per-column mean and standard deviation of rows.</summary>
    /// <param name="rows">The rows to fit on (finite, at least one row and column).</param>
    /// <returns>The fitted scaler.</returns>
    public static StandardScaler Fit(float[,] rows)
    {
        using var data = InMemoryDataset.FromArray(rows);
        return Fit(data);
    }
}
