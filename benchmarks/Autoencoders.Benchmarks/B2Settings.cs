using Autoencoders.Model;

namespace Autoencoders.Benchmarks;

/// <summary>One neural model family of B2/B3 and how it is built.</summary>
/// <param name="Key">Short name used in file names and JSON ("dense_ae", "conv_ae", "vae").</param>
/// <param name="Title">Column title in the report.</param>
/// <param name="Describe">A description of the architecture and loss.</param>
/// <param name="Build">The spec for a latent size.</param>
internal sealed record B2Family(string Key, string Title, string Describe, Func<int, AutoencoderSpec> Build);

/// <summary>The settings of a B2/B3 run (full or quick).</summary>
/// <param name="Quick">A short run that checks the benchmark works.</param>
/// <param name="TrainCount">Training images: the first ones of the Fashion-MNIST training file.</param>
/// <param name="ValidationCount">Validation images: the last ones of the training file (never trained on).</param>
/// <param name="TestCount">Test images: the first ones of the test file.</param>
/// <param name="Latents">The latent sizes.</param>
/// <param name="Families">The neural models (PCA is always measured as well).</param>
/// <param name="Epochs">Training epochs of every network.</param>
/// <param name="BatchSize">Minibatch size.</param>
/// <param name="LearningRate">Adam's initial learning rate.</param>
/// <param name="MinimumLearningRate">The end of the cosine schedule.</param>
/// <param name="Threads">libtorch intra-op threads.</param>
/// <param name="Seed">Initialisation and shuffling seed.</param>
internal sealed record B2Settings(
    bool Quick,
    int TrainCount,
    int ValidationCount,
    int TestCount,
    int[] Latents,
    IReadOnlyList<B2Family> Families,
    int Epochs,
    int BatchSize,
    double LearningRate,
    double MinimumLearningRate,
    int Threads,
    long Seed)
{
    public const int Neighbours = 5;

    /// <summary>The published protocol's split: the last 10,000 of the 60,000 training images are validation.</summary>
    public const int PublishedTrainCount = 50_000;

    public static readonly int[] DenseHidden = [512, 256];

    /// <summary>Sainburg, McInnes &amp; Gentner (2021): two stride-2 convolutions of 64 and 128 channels, then a dense layer of 512.</summary>
    public static readonly int[] ConvChannels = [64, 128];

    public static readonly int[] ConvDense = [512];

    /// <summary>
    /// The published VAE's KL term is the mean over the k latent dimensions (not the sum) next to the
    /// reconstruction summed over the 784 pixels: β = 1/k in our terms.
    /// </summary>
    public static double PublishedBeta(int latent) => 1.0 / latent;

    public static B2Settings For(BenchmarkOptions options)
    {
        var quick = options.Quick;
        var families = new List<B2Family>
        {
            new("dense_ae", "dense AE",
                $"`AutoencoderSpec.Dense([1, 28, 28], k, [{string.Join(", ", DenseHidden)}], ReLU, Sigmoid)`: 784-{string.Join("-", DenseHidden)}-k-{string.Join("-", DenseHidden.Reverse())}-784, MSE loss",
                k => AutoencoderSpec.Dense([1, 28, 28], k, DenseHidden, Activation.ReLU, OutputActivation.Sigmoid)),
            new("conv_ae", "conv AE",
                $"`AutoencoderSpec.Convolutional([1, 28, 28], k, channels: [{string.Join(", ", ConvChannels)}], ReLU, Sigmoid, denseHidden: [{string.Join(", ", ConvDense)}])`: Conv(1→64, 3×3, s2)-ReLU-Conv(64→128, 3×3, s2)-ReLU-Linear(6272→512)-ReLU-Linear(512→k), mirrored (Linear, Linear, ConvTranspose2d ×2), MSE loss",
                k => AutoencoderSpec.Convolutional([1, 28, 28], k, ConvChannels, Activation.ReLU, OutputActivation.Sigmoid, denseHidden: ConvDense)),
            new("vae", "VAE",
                $"the conv AE's network with a Gaussian bottleneck (μ, log σ² ∈ ℝ^k from the 512 features), Bernoulli likelihood on logits of the grey levels, β = 1/k (the published loss: KL averaged over the k dimensions); code = posterior mean μ, reconstruction = sigmoid(decoder(μ))",
                k => AutoencoderSpec.Convolutional([1, 28, 28], k, ConvChannels, Activation.ReLU, OutputActivation.Sigmoid, denseHidden: ConvDense)
                    .WithGaussianBottleneck(PublishedBeta(k))
                    .WithLikelihood(ReconstructionLikelihood.Bernoulli)),
        };
        return new B2Settings(
            quick,
            quick ? 4_000 : PublishedTrainCount,
            quick ? 1_000 : 10_000,
            quick ? 1_000 : 10_000,
            [2, 64],
            families,
            Epochs: quick ? 2 : 50,
            BatchSize: 128,
            LearningRate: 1e-3,
            MinimumLearningRate: 1e-5,
            options.Threads,
            BenchmarkOptions.Seed);
    }
}
