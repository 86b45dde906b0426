using TorchSharp;
using static TorchSharp.torch;

namespace Gallery;

/// <summary>
/// Principal component analysis with TorchSharp's <c>torch.linalg.eigh</c> on the covariance matrix: the
/// linear baseline the latent map compares the autoencoder with.
/// </summary>
internal sealed class TorchPca
{
    private readonly float[] _mean;
    private readonly float[,] _components; // [features, k], largest variance first

    private TorchPca(float[] mean, float[,] components, double[] explainedRatio)
    {
        _mean = mean;
        _components = components;
        ExplainedVarianceRatio = explainedRatio;
    }

    /// <summary>The share of the total variance each component explains.</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    /// <summary>Fits <paramref name="components"/> principal components to the rows of <paramref name="features"/> ([n, …]).</summary>
    public static TorchPca Fit(Tensor features, int components)
    {
        using var scope = NewDisposeScope();
        var x = features.reshape(features.shape[0], -1).to_type(ScalarType.Float64);
        var mean = x.mean([0]);
        var centred = x - mean;
        var covariance = centred.t().matmul(centred) / (x.shape[0] - 1);
        var (values, vectors) = linalg.eigh(covariance); // ascending eigenvalues
        var top = vectors.flip(1).narrow(1, 0, components).to_type(ScalarType.Float32).contiguous();
        var total = values.sum().item<double>();
        var ratio = values.flip(0).narrow(0, 0, components).data<double>().Select(v => v / total).ToArray();
        var matrix = new float[top.shape[0], components];
        var flat = top.data<float>().ToArray();
        Buffer.BlockCopy(flat, 0, matrix, 0, flat.Length * sizeof(float));
        return new TorchPca(mean.to_type(ScalarType.Float32).data<float>().ToArray(), matrix, ratio);
    }

    /// <summary>Projects rows ([n, features]) onto the components.</summary>
    public float[,] Transform(float[,] rows)
    {
        int n = rows.GetLength(0), d = rows.GetLength(1), k = _components.GetLength(1);
        var result = new float[n, k];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < k; c++)
            {
                double sum = 0;
                for (var j = 0; j < d; j++)
                {
                    sum += (rows[i, j] - _mean[j]) * _components[j, c];
                }

                result[i, c] = (float)sum;
            }
        }

        return result;
    }
}
