using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// Exact PCA computed inside the benchmark with TorchSharp: the float64 covariance of the training images
/// and its symmetric eigen-decomposition (<c>torch.linalg.eigh</c>). The library's own PCA (branch
/// <c>pca</c>) was not on main when B2 was written, and MathNet is not referenced by the benchmarks.
/// </summary>
internal sealed class TorchPca : IDisposable
{
    private readonly Tensor mean;
    private readonly Tensor components;

    private TorchPca(Tensor mean, Tensor components, double[] eigenvalues)
    {
        this.mean = mean;
        this.components = components;
        Eigenvalues = eigenvalues;
    }

    /// <summary>All eigenvalues of the covariance, largest first.</summary>
    public double[] Eigenvalues { get; }

    /// <summary>Fits on the rows of <paramref name="train"/> ([N, ...] float32, flattened to [N, D]).</summary>
    public static TorchPca Fit(Tensor train)
    {
        using var scope = NewDisposeScope();
        var x = train.flatten(1).to_type(ScalarType.Float64);
        var mean = x.mean([0]);
        var centred = x - mean;
        var covariance = centred.t().matmul(centred) / (double)x.shape[0];
        var (values, vectors) = linalg.eigh(covariance);
        // eigh returns ascending eigenvalues; flip to largest first.
        var order = arange(values.shape[0] - 1, -1, -1, dtype: ScalarType.Int64);
        var sortedValues = values.index_select(0, order);
        var sortedVectors = vectors.index_select(1, order).contiguous();
        return new TorchPca(
            mean.DetachFromDisposeScope(),
            sortedVectors.DetachFromDisposeScope(),
            sortedValues.data<double>().ToArray());
    }

    /// <summary>The top-<paramref name="k"/> scores of each row, float64 [N, k].</summary>
    public Tensor Encode(Tensor data, int k)
    {
        using var scope = NewDisposeScope();
        var x = data.flatten(1).to_type(ScalarType.Float64) - mean;
        return x.matmul(components.narrow(1, 0, k)).DetachFromDisposeScope();
    }

    /// <summary>The mean squared error per pixel of the rank-<paramref name="k"/> reconstruction.</summary>
    public double MeanSquaredError(Tensor data, int k)
    {
        using var scope = NewDisposeScope();
        var x = data.flatten(1).to_type(ScalarType.Float64);
        var v = components.narrow(1, 0, k);
        var reconstruction = ((x - mean).matmul(v).matmul(v.t())) + mean;
        return (reconstruction - x).square().mean().item<double>();
    }

    public void Dispose()
    {
        mean.Dispose();
        components.Dispose();
    }
}
