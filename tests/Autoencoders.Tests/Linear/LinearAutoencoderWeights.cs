using Autoencoders.Model;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;

namespace Autoencoders.Tests.Linear;

/// <summary>The two weight matrices of a linear autoencoder as MathNet matrices.</summary>
internal static class LinearAutoencoderWeights
{
    /// <summary>The encoder, k×d: the bottleneck's linear layer (the dense encoder has no layers).</summary>
    public static Matrix<double> Encoder(Autoencoder model) => Weight(model, "bottleneck.code.weight");

    /// <summary>The decoder, d×k: its columns span the learned subspace.</summary>
    public static Matrix<double> Decoder(Autoencoder model) => Weight(model, "decoder.layers.output.weight");

    private static Matrix<double> Weight(Autoencoder model, string name)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        if (!parameters.TryGetValue(name, out var weight))
        {
            throw new InvalidOperationException($"No parameter {name}; the model has {string.Join(", ", parameters.Keys)}.");
        }

        using var noGrad = torch.no_grad();
        var values = weight.detach().cpu().to_type(torch.ScalarType.Float64).contiguous().data<double>().ToArray();
        var (rows, columns) = ((int)weight.shape[0], (int)weight.shape[1]);
        return Matrix<double>.Build.Dense(rows, columns, (i, j) => values[(i * columns) + j]);
    }
}
