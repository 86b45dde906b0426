using static TorchSharp.torch;

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

    /// <summary>Fits the per-feature minimum and maximum of a dataset's flattened features.</summary>
    /// <param name="data">The data to fit on.</param>
    /// <returns>The fitted scaler.</returns>
    public static MinMaxScaler Fit(InMemoryDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var x = data.Features.reshape(data.Count, data.FeatureCount).to_type(ScalarType.Float64);
        var mins = x.amin([0L]).data<double>().ToArray();
        var maxs = x.amax([0L]).data<double>().ToArray();
        var offset = new float[mins.Length];
        var scale = new float[mins.Length];
        for (int i = 0; i < mins.Length; i++)
        {
            double range = maxs[i] - mins[i];
            offset[i] = (float)mins[i];
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
