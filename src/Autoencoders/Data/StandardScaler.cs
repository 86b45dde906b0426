using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Data;

/// <summary>
/// Standardises each feature to zero mean and unit variance: Offset = mean, Scale = population standard
/// deviation (computed in float64). Constant features (standard deviation below 1e-12) get Scale = 1, as in
/// scikit-learn, so they map to 0.
/// </summary>
/// <remarks>
/// <example>
/// <code>
/// var scaler = StandardScaler.Fit(train);          // train: InMemoryDataset
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

    /// <summary>Fits the per-feature mean and standard deviation of a dataset's flattened features.</summary>
    /// <param name="data">The data to fit on.</param>
    /// <returns>The fitted scaler.</returns>
    public static StandardScaler Fit(InMemoryDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var x = data.Features.reshape(data.Count, data.FeatureCount).to_type(ScalarType.Float64);
        var mean = x.mean([0L]);
        var std = x.sub(mean).Square().mean([0L]).sqrt_();
        var means = mean.data<double>().ToArray();
        var stds = std.data<double>().ToArray();
        var offset = new float[means.Length];
        var scale = new float[means.Length];
        for (int i = 0; i < means.Length; i++)
        {
            offset[i] = (float)means[i];
            scale[i] = stds[i] < 1e-12 ? 1f : (float)stds[i];
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
