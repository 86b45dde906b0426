using Autoencoders.Model;

namespace Autoencoders.Benchmarks;

/// <summary>One neural model family of B2/B3 and how it is built and trained.</summary>
/// <param name="Key">Short name used in JSON ("dense_ae", "conv_ae", "vae").</param>
/// <param name="Title">Column title in the report.</param>
/// <param name="Describe">A description of the architecture.</param>
/// <param name="Build">The spec for a latent size.</param>
/// <param name="Epochs">Training epochs in this mode.</param>
internal sealed record B2Family(string Key, string Title, string Describe, Func<int, AutoencoderSpec> Build, int Epochs);

/// <summary>The settings of a B2/B3 run (full or quick).</summary>
internal sealed record B2Settings(
    bool Quick,
    int TrainCount,
    int TestCount,
    int[] Latents,
    IReadOnlyList<B2Family> Families,
    int BatchSize,
    double LearningRate,
    double MinimumLearningRate,
    int Threads,
    long Seed)
{
    public const int Neighbours = 5;

    public static readonly int[] DenseHidden = [512, 256];
    public static readonly int[] ConvChannels = [32, 64];

    public static B2Settings For(BenchmarkOptions options)
    {
        var quick = options.Quick;
        // Full-mode epochs are set by the compute budget of a shared 2-core machine (see the README):
        // about an hour for all twelve networks while other developers' jobs share the cores.
        int denseEpochs = quick ? 2 : 10, convEpochs = quick ? 2 : 5, vaeEpochs = quick ? 2 : 10;
        var families = new List<B2Family>
        {
            new("dense_ae", "dense AE",
                $"`AutoencoderSpec.Dense([1, 28, 28], k, [{string.Join(", ", DenseHidden)}], ReLU, Sigmoid)`: 784-{string.Join("-", DenseHidden)}-k-{string.Join("-", DenseHidden.Reverse())}-784, MSE loss",
                k => AutoencoderSpec.Dense([1, 28, 28], k, DenseHidden, Activation.ReLU, OutputActivation.Sigmoid),
                denseEpochs),
            new("conv_ae", "conv AE",
                $"`AutoencoderSpec.Convolutional([1, 28, 28], k, channels: [{string.Join(", ", ConvChannels)}], ReLU, Sigmoid, batchNorm: true)`: Conv(1→32, 3×3, s2)-BN-ReLU-Conv(32→64, 3×3, s2)-BN-ReLU-Linear(3136→k), mirrored with ConvTranspose2d, MSE loss",
                k => AutoencoderSpec.Convolutional([1, 28, 28], k, ConvChannels, Activation.ReLU, OutputActivation.Sigmoid, batchNorm: true),
                convEpochs),
            new("vae", "VAE",
                $"`AutoencoderSpec.Variational([1, 28, 28], k, [{string.Join(", ", DenseHidden)}], beta: 1)`: dense 784-{string.Join("-", DenseHidden)}-(μ, log σ² ∈ ℝ^k)-{string.Join("-", DenseHidden.Reverse())}-784, Bernoulli likelihood on logits of the grey levels, β = 1; code = posterior mean μ, reconstruction = sigmoid(decoder(μ))",
                k => AutoencoderSpec.Variational([1, 28, 28], k, DenseHidden, beta: 1.0),
                vaeEpochs),
        };
        return new B2Settings(
            quick,
            quick ? 5_000 : 60_000,
            quick ? 1_000 : 10_000,
            quick ? [2, 10] : [2, 10, 32, 64],
            families,
            BatchSize: 128,
            LearningRate: 1e-3,
            MinimumLearningRate: 1e-5,
            options.Threads,
            BenchmarkOptions.Seed);
    }
}
