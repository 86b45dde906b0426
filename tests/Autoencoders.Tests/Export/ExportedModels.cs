using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Export;

/// <summary>
/// One small trained model of every built-in variant the exporter covers, on data of the kind it is meant
/// for: unit-interval data (no scaler, sigmoid output) or data in arbitrary units with a fitted scaler.
/// </summary>
internal static class ExportedModels
{
    public static readonly string[] Names =
    [
        "dense-unit",
        "dense-image-shape-gelu",
        .. Enum.GetValues<Activation>().Select(a => $"dense-standard-{a}"),
        "sparse-sigmoid-code",
        "denoising",
        "conv-cropped",
        "conv-batchnorm-minmax",
        "conv-dense-layers",
        "vae-dense",
        "vae-conv",
        "conv1d-odd-length-unit",
        "conv1d-batchnorm-dense-standard",
        "lstm-stacked-standard",
        "gru-unit",
        "vae-conv1d",
        "vae-lstm",
    ];

    /// <summary>
    /// Builds and briefly trains the named variant. Also returns whether its outputs lie in [0, 1] and a
    /// source of fresh rows (count, seed) from its training distribution.
    /// </summary>
    public static (Autoencoder Model, bool UnitInterval, Func<int, int, float[,]> Rows) Train(string name)
    {
        var (spec, scaler) = name switch
        {
            "dense-unit" => (AutoencoderSpec.Dense(12, 3, [16, 8], Activation.ReLU, OutputActivation.Sigmoid), Scaling.None),
            "dense-image-shape-gelu" => (AutoencoderSpec.Dense([1, 5, 6], 3, [16], Activation.GELU, OutputActivation.Sigmoid), Scaling.None),
            "sparse-sigmoid-code" => (AutoencoderSpec.Sparse(12, 4, [16]), Scaling.Standard),
            "denoising" => (AutoencoderSpec.Denoising(12, 3, [16], new MaskingNoise { Probability = 0.2 }), Scaling.Standard),
            // 7×9 with two stride-2 layers: the decoder needs different output paddings, so it crops.
            "conv-cropped" => (AutoencoderSpec.Convolutional([1, 7, 9], 4, [4, 8]), Scaling.None),
            "conv-batchnorm-minmax" => (AutoencoderSpec.Convolutional([2, 8, 8], 4, [4, 8], Activation.LeakyReLU, OutputActivation.Identity, batchNorm: true), Scaling.MinMax),
            "vae-dense" => (AutoencoderSpec.Variational([12], 3, [16]), Scaling.None),
            "conv-dense-layers" => (AutoencoderSpec.Convolutional([1, 8, 8], 3, [4, 8], denseHidden: [12, 6]), Scaling.None),
            "vae-conv" => (AutoencoderSpec.Convolutional([1, 8, 8], 3, [4], Activation.ELU).WithGaussianBottleneck(), Scaling.None),
            // 13 steps with two stride-2 layers: 13 → 7 → 4 → 7 → 13, output paddings 0 and 0; 10 steps: 10 → 5 → 3 → 5 → 10, 0 and 1.
            "conv1d-odd-length-unit" => (AutoencoderSpec.Convolutional1d([1, 13], 3, [4, 8], kernel: 5, output: OutputActivation.Sigmoid), Scaling.None),
            "conv1d-batchnorm-dense-standard" => (AutoencoderSpec.Convolutional1d([3, 10], 4, [4, 8], Activation.LeakyReLU, batchNorm: true, denseHidden: [6], kernel: 3), Scaling.Standard),
            "lstm-stacked-standard" => (AutoencoderSpec.Recurrent([2, 9], 3, [8, 5]), Scaling.Standard),
            "gru-unit" => (AutoencoderSpec.Recurrent([1, 12], 3, [6, 4], RecurrentCell.Gru, OutputActivation.Sigmoid), Scaling.None),
            "vae-conv1d" => (AutoencoderSpec.Convolutional1d([2, 8], 3, [4], kernel: 3).WithGaussianBottleneck(), Scaling.MinMax),
            "vae-lstm" => (AutoencoderSpec.Recurrent([2, 8], 3, [6]).WithGaussianBottleneck(), Scaling.Standard),
            _ when name.StartsWith("dense-standard-", StringComparison.Ordinal) =>
                (AutoencoderSpec.Dense(12, 3, [16], Enum.Parse<Activation>(name["dense-standard-".Length..])), Scaling.Standard),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown variant."),
        };

        var unitInterval = scaler == Scaling.None && spec.Output == OutputActivation.Sigmoid;
        var model = spec.Build(seed: 3);
        using var data = InMemoryDataset.FromArray(Rows(spec, scaler, count: 256, seed: 1), spec.InputShape.Select(d => (long)d).ToArray());
        model.Scaler = scaler switch
        {
            Scaling.Standard => StandardScaler.Fit(data),
            Scaling.MinMax => MinMaxScaler.Fit(data),
            _ => null,
        };
        new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 64, Seed = 1 }).Fit(model, data);
        return (model, unitInterval, (count, seed) => Rows(spec, scaler, count, seed));
    }

    /// <summary>Rows (flattened samples) of the variant's kind of data: in (0, 1), or offset and scaled when a scaler is fitted.</summary>
    private static float[,] Rows(AutoencoderSpec spec, Scaling scaler, int count, int seed)
    {
        var rows = Synthetic.LowRank(count, spec.FeatureCount, rank: 3, seed, basisSeed: 99);
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < spec.FeatureCount; j++)
            {
                rows[i, j] = scaler == Scaling.None ? 1f / (1f + MathF.Exp(-2 * rows[i, j])) : (40 + (j * 3)) + (rows[i, j] * (1 + j));
            }
        }

        return rows;
    }

    private enum Scaling
    {
        None,
        Standard,
        MinMax,
    }
}
