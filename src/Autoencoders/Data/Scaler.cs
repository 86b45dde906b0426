using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Data;

/// <summary>
/// A fitted per-feature affine map over the flattened features of a sample:
/// <c>transform(x) = (x − Offset) / Scale</c> and <c>inverse(z) = z · Scale + Offset</c>.
/// </summary>
/// <remarks>
/// <para>A scaler holds only managed numbers (no native tensors), so it needs no disposal and can be
/// saved with a model. Fit one with <see cref="StandardScaler.Fit(DataSource)"/> or
/// <see cref="MinMaxScaler.Fit(DataSource)"/>, on data in memory or streamed.</para>
/// <example>
/// <code>
/// Scaler scaler = StandardScaler.Fit(rows);            // rows: float[,]
/// float[,] z = scaler.Transform(rows);                 // zero mean, unit variance per column
/// float[,] back = scaler.InverseTransform(z);          // ≈ rows
/// </code>
/// </example>
/// </remarks>
public abstract class Scaler
{
    private readonly float[] _offset;
    private readonly float[] _scale;

    /// <summary>Validates and stores the parameters (copies of the arrays).</summary>
    private protected Scaler(float[] offset, float[] scale)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(scale);
        if (offset.Length == 0 || offset.Length != scale.Length)
        {
            throw new ArgumentException(
                $"A scaler needs one offset and one scale per feature (at least one); got {offset.Length} offset(s) and {scale.Length} scale(s).",
                nameof(scale));
        }

        for (int i = 0; i < offset.Length; i++)
        {
            if (!float.IsFinite(offset[i]))
            {
                throw new ArgumentException($"Offset of feature {i} is {offset[i]}; it must be finite.", nameof(offset));
            }

            if (!float.IsFinite(scale[i]) || !(scale[i] > 0))
            {
                throw new ArgumentException($"Scale of feature {i} is {scale[i]}; it must be finite and > 0.", nameof(scale));
            }
        }

        _offset = (float[])offset.Clone();
        _scale = (float[])scale.Clone();
    }

    /// <summary>The kind of scaler: <c>"standard"</c> or <c>"minmax"</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The per-feature offset subtracted by <see cref="Transform(Tensor)"/>.</summary>
    public IReadOnlyList<float> Offset => Array.AsReadOnly(_offset);

    /// <summary>The per-feature divisor applied by <see cref="Transform(Tensor)"/>; always finite and &gt; 0.</summary>
    public IReadOnlyList<float> Scale => Array.AsReadOnly(_scale);

    /// <summary>The number of (flattened) features the scaler was fitted on.</summary>
    public int FeatureCount => _offset.Length;

    /// <summary>Rebuilds a scaler from saved parameters, validating lengths, finiteness and scale &gt; 0.</summary>
    internal static Scaler FromParameters(string kind, float[] offset, float[] scale) => kind switch
    {
        StandardScaler.KindName => new StandardScaler(offset, scale),
        MinMaxScaler.KindName => new MinMaxScaler(offset, scale),
        _ => throw new ArgumentException(
            $"Unknown scaler kind '{kind}'; expected '{StandardScaler.KindName}' or '{MinMaxScaler.KindName}'.", nameof(kind)),
    };

    /// <summary>Scales a batch: <c>(x − Offset) / Scale</c> per flattened feature.</summary>
    /// <param name="x">A floating-point tensor [N, ...sampleShape] whose sample shape has <see cref="FeatureCount"/> elements.</param>
    /// <returns>A new tensor of the same shape, dtype and device, in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">The feature count does not match.</exception>
    public Tensor Transform(Tensor x) => Apply(x, inverse: false);

    /// <summary>Undoes <see cref="Transform(Tensor)"/>: <c>z · Scale + Offset</c> per flattened feature.</summary>
    /// <param name="z">A floating-point tensor [N, ...sampleShape] whose sample shape has <see cref="FeatureCount"/> elements.</param>
    /// <returns>A new tensor of the same shape, dtype and device, in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">The feature count does not match.</exception>
    public Tensor InverseTransform(Tensor z) => Apply(z, inverse: true);

    /// <summary>Scales rows: <c>(x − Offset) / Scale</c> per column.</summary>
    /// <param name="x">Rows of <see cref="FeatureCount"/> features.</param>
    /// <returns>A new array of the same shape.</returns>
    /// <exception cref="ArgumentException">The column count does not match.</exception>
    public float[,] Transform(float[,] x) => Apply(x, inverse: false);

    /// <summary>Undoes <see cref="Transform(float[,])"/>: <c>z · Scale + Offset</c> per column.</summary>
    /// <param name="z">Rows of <see cref="FeatureCount"/> features.</param>
    /// <returns>A new array of the same shape.</returns>
    /// <exception cref="ArgumentException">The column count does not match.</exception>
    public float[,] InverseTransform(float[,] z) => Apply(z, inverse: true);

    /// <summary>Returns a new dataset with scaled features and the same labels and sample shape.</summary>
    /// <param name="data">The dataset to scale; it is not changed.</param>
    /// <returns>A new dataset; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The feature count does not match.</exception>
    public InMemoryDataset Transform(InMemoryDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckFeatureCount(data.FeatureCount, nameof(data));
        using var scope = NewDisposeScope();
        var features = Apply(data.Features, inverse: false).contiguous();
        var labels = data.Labels?.clone();
        return InMemoryDataset.Own(features, labels, nameof(data));
    }

    private Tensor Apply(Tensor x, bool inverse)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() < 2)
        {
            throw new ArgumentException(
                $"Expected a batch [N, ...sampleShape] but got shape [{string.Join(", ", x.shape)}]; use unsqueeze(0) for one sample.",
                nameof(x));
        }

        if (!x.is_floating_point())
        {
            throw new ArgumentException($"Expected a floating-point tensor but got {x.dtype}.", nameof(x));
        }

        CheckFeatureCount(Shapes.Product(x.shape[1..]), nameof(x));
        using var scope = NewDisposeScope();
        var offset = tensor(_offset).to(x.dtype, x.device);
        var scale = tensor(_scale).to(x.dtype, x.device);
        var flat = x.reshape(x.shape[0], FeatureCount);
        var result = inverse ? flat.mul(scale).Add(offset) : flat.sub(offset).div(scale);
        return result.reshape(x.shape).MoveToOuterDisposeScope();
    }

    private float[,] Apply(float[,] x, bool inverse)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.GetLength(0), f = x.GetLength(1);
        CheckFeatureCount(f, nameof(x));
        var result = new float[n, f];
        var source = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(x)), x.Length);
        var target = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < f; j++)
            {
                int k = i * f + j;
                target[k] = inverse ? source[k] * _scale[j] + _offset[j] : (source[k] - _offset[j]) / _scale[j];
            }
        }

        return result;
    }

    private void CheckFeatureCount(long found, string paramName)
    {
        if (found != FeatureCount)
        {
            throw new ArgumentException(
                $"This {Kind} scaler was fitted on {FeatureCount} features but the input has {found} features per sample.",
                paramName);
        }
    }
}
