namespace Autoencoders.Data;

/// <summary>
/// Maps each feature's fitted range [min, max] to [0, 1]: Offset = min, Scale = max − min (computed in
/// float64). Constant features get Scale = 1, so they map to 0.
/// </summary>
/// <remarks>
/// <example>
/// <code>
/// var scaler = MinMaxScaler.Fit(rows);             // rows: float[,]
/// float[,] unit = scaler.Transform(rows);          // every column in [0, 1]
/// </code>
/// </example>
/// </remarks>
public sealed class MinMaxScaler : Scaler
{
    internal const string KindName = "minmax";

    internal MinMaxScaler(float[] offset, float[] scale)
        : base(offset, scale)
    {
    }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>
    /// Fits the per-feature minimum and maximum of a source's flattened features: one pass over a stream
    /// (or none, when its statistics were computed before; see <see cref="DataSource.ComputeStatistics"/>).
    /// </summary>
    /// <param name="data">The data to fit on, in memory or streamed.</param>
    /// <returns>The fitted scaler.</returns>
    public static MinMaxScaler Fit(DataSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(data.ComputeStatistics());
    }

    /// <summary>The scaler of already computed statistics.</summary>
    internal static MinMaxScaler Fit(DataStatistics statistics)
    {
        var offset = new float[statistics.Minimum.Count];
        var scale = new float[offset.Length];
        for (int i = 0; i < offset.Length; i++)
        {
            double range = statistics.Maximum[i] - statistics.Minimum[i];
            offset[i] = (float)statistics.Minimum[i];
            scale[i] = range < 1e-12 ? 1f : (float)range;
        }

        return new MinMaxScaler(offset, scale);
    }

    /// <summary>Fits the per-column minimum and maximum of rows.</summary>
    /// <param name="rows">The rows to fit on (finite, at least one row and column).</param>
    /// <returns>The fitted scaler.</returns>
    public static MinMaxScaler Fit(float[,] rows)
    {
        using var data = InMemoryDataset.FromArray(rows);
        return Fit(data);
    }
}
