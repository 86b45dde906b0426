using Autoencoders.Model;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Variants;

/// <summary>
/// Every preset, a selection of combinations and models of registered modules, on 16-feature data in (0, 1)
/// (read as [channels, length] sequences by the 1-D convolutional and recurrent backbones).
/// </summary>
internal static class VariantCatalog
{
    public static readonly IReadOnlyDictionary<string, AutoencoderSpec> Specs = new Dictionary<string, AutoencoderSpec>
    {
        ["vanilla"] = AutoencoderSpec.Dense(16, 3, [12], output: OutputActivation.Sigmoid),
        ["linear"] = AutoencoderSpec.Linear(16, 3),
        ["linear-weight-l2"] = AutoencoderSpec.Linear(16, 3).WithPenalty(new WeightL2PenaltySpec { Weight = 1e-3 }),
        ["sparse-kl"] = AutoencoderSpec.Sparse(16, 8, [12], target: 0.1, weight: 0.5),
        ["sparse-l1"] = AutoencoderSpec.Dense(16, 6, [12]).WithCodeActivation(Activation.ReLU).WithPenalty(new L1ActivityPenaltySpec { Weight = 1e-3 }),
        ["denoising-gaussian"] = AutoencoderSpec.Denoising(16, 3, [12], new GaussianNoise { StdDev = 0.1 }),
        ["denoising-masking"] = AutoencoderSpec.Denoising(16, 3, [12], new MaskingNoise { Probability = 0.2 }),
        ["denoising-salt-and-pepper"] = AutoencoderSpec.Denoising(16, 3, [12], new SaltAndPepperNoise { Probability = 0.1 }),
        ["variational-gaussian"] = AutoencoderSpec.Dense(16, 3, [12]).WithGaussianBottleneck(beta: 0.5, warmupEpochs: 2),
        ["variational-bernoulli"] = AutoencoderSpec.Variational([16], 3, [12]),
        ["contractive-sigmoid-layer"] = AutoencoderSpec.Contractive(16, 4, weight: 0.01),
        ["contractive-autograd"] = AutoencoderSpec.Dense(16, 3, [8], Activation.Tanh).WithPenalty(new ContractivePenaltySpec { Weight = 0.01 }),
        ["convolutional"] = AutoencoderSpec.Convolutional([1, 4, 4], 3, [4, 8]),
        ["convolutional-denoising-vae"] = AutoencoderSpec.Convolutional([1, 4, 4], 3, [4, 8])
            .WithGaussianBottleneck(beta: 0.5).WithCorruption(new GaussianNoise { StdDev = 0.05 }).WithLikelihood(ReconstructionLikelihood.Bernoulli),
        ["convolutional-dense-vae"] = AutoencoderSpec.Convolutional([1, 4, 4], 3, [4, 8], denseHidden: [10, 6])
            .WithGaussianBottleneck(beta: 0.5).WithLikelihood(ReconstructionLikelihood.Bernoulli),
        ["convolutional-sparse-batchnorm"] = AutoencoderSpec.Convolutional([1, 4, 4], 6, [4], batchNorm: true)
            .WithCodeActivation(Activation.ReLU).WithPenalty(new L1ActivityPenaltySpec { Weight = 1e-3 }),
        ["convolutional1d"] = AutoencoderSpec.Convolutional1d([2, 8], 3, [4, 8], kernel: 3),
        ["convolutional1d-denoising-vae"] = AutoencoderSpec.Convolutional1d([1, 16], 3, [4, 8], kernel: 5)
            .WithGaussianBottleneck(beta: 0.5).WithCorruption(new GaussianNoise { StdDev = 0.05 }).WithLikelihood(ReconstructionLikelihood.Bernoulli),
        ["convolutional1d-sparse-batchnorm-dense"] = AutoencoderSpec.Convolutional1d([2, 8], 6, [4], kernel: 3, batchNorm: true, denseHidden: [8])
            .WithCodeActivation(Activation.ReLU).WithPenalty(new L1ActivityPenaltySpec { Weight = 1e-3 }),
        ["recurrent-lstm"] = AutoencoderSpec.Recurrent([2, 8], 3, [8]),
        ["recurrent-gru-vae"] = AutoencoderSpec.Recurrent([1, 16], 3, [8], RecurrentCell.Gru)
            .WithGaussianBottleneck(beta: 0.5).WithLikelihood(ReconstructionLikelihood.Bernoulli),
        ["recurrent-lstm-denoising-contractive"] = AutoencoderSpec.Recurrent([2, 8], 3, [6, 4])
            .WithCorruption(new MaskingNoise { Probability = 0.1 }).WithPenalty(new ContractivePenaltySpec { Weight = 0.01 }),
        ["custom-encoder-and-decoder"] = AutoencoderSpec.Custom([16], 3, TestModules.ResidualEncoder(), TestModules.MlpDecoderSpec(), OutputActivation.Sigmoid),
        ["custom-encoder-variational"] = AutoencoderSpec.Dense(16, 3, [12]).WithEncoder(TestModules.ResidualEncoder()).WithGaussianBottleneck(beta: 0.5),
        ["custom-decoder-convolutional"] = AutoencoderSpec.Convolutional([1, 4, 4], 3, [4, 8]).WithDecoder(TestModules.MlpDecoderSpec()),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Specs.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>Rank-3 data squashed into (0, 1) by a logistic map.</summary>
    public static float[,] UnitIntervalData(int rows, int seed)
    {
        var data = Synthetic.LowRank(rows, 16, 3, seed, noise: 0.05, scale: 2);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < 16; j++)
            {
                data[i, j] = 1f / (1f + MathF.Exp(-data[i, j]));
            }
        }

        return data;
    }
}
