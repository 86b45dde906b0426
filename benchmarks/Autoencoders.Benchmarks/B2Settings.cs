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

    /// <summary>The published networks trained 50 epochs.</summary>
    public const int PublishedEpochs = 50;

    /// <summary>The published protocol's split: the last 10,000 of the 60,000 training images are validation.</summary>
    public const int PublishedTrainCount = 50_000;

    public static readonly int[] DenseHidden = [512, 256];

    /// <summary>Sainburg, McInnes &amp; Gentner (2021): two stride-2 convolutions of 64 and 128 channels, then a dense layer of 512.</summary>
    public static readonly int[] ConvChannels = [64, 128];

    public static readonly int[] ConvDense = [512];

    /// <summary>The earlier B2 conv AE's channels (batch-normalised, no dense layers).</summary>
    public static readonly int[] SmallConvChannels = [32, 64];

    /// <summary>The published conv AE: conv 64-128, dense 512, the code, mirrored; sigmoid output, MSE loss.</summary>
    public static AutoencoderSpec PublishedNetwork(int latent) =>
        AutoencoderSpec.Convolutional([1, 28, 28], latent, ConvChannels, Activation.ReLU, OutputActivation.Sigmoid, denseHidden: ConvDense);

    /// <summary>The conv AE of B2/B3: the published network for a 2-D code, the batch-normalised 32-64 network for larger codes.</summary>
    private static AutoencoderSpec ConvolutionalAe(int latent) => latent <= 2
        ? PublishedNetwork(latent)
        : AutoencoderSpec.Convolutional([1, 28, 28], latent, SmallConvChannels, Activation.ReLU, OutputActivation.Sigmoid, batchNorm: true);

    /// <summary>
    /// The published VAE's KL term is the mean over the k latent dimensions (not the sum) next to the
    /// reconstruction summed over the 784 pixels: β = 1/k in our terms.
    /// </summary>
    public static double PublishedBeta(int latent) => 1.0 / latent;

    public static B2Settings For(BenchmarkOptions options)
    {
        var quick = options.Quick;
        // Chosen on the validation split by b2-select (B2-select-2026-12-01.md): for each family the
        // candidate with the lowest validation MSE. The conv AE's best candidate differs with k: the dense
        // layer of the published network helps a 2-D code (0.0310 against 0.0389 without it) and slows a
        // 64-D one (0.0174 against 0.0130 for the batch-normalised 32-64 network without dense layers).
        var families = new List<B2Family>
        {
            new("dense_ae", "dense AE",
                $"`AutoencoderSpec.Dense([1, 28, 28], k, [{string.Join(", ", DenseHidden)}], ReLU, Sigmoid)`: 784-{string.Join("-", DenseHidden)}-k-{string.Join("-", DenseHidden.Reverse())}-784, MSE loss",
                k => AutoencoderSpec.Dense([1, 28, 28], k, DenseHidden, Activation.ReLU, OutputActivation.Sigmoid)),
            new("conv_ae", "conv AE",
                $"k = 2: `AutoencoderSpec.Convolutional([1, 28, 28], 2, channels: [{string.Join(", ", ConvChannels)}], denseHidden: [{string.Join(", ", ConvDense)}])`, the published network: Conv(1→64, 3×3, s2)-ReLU-Conv(64→128, 3×3, s2)-ReLU-Linear(6272→512)-ReLU-Linear(512→2), mirrored (Linear, Linear, ConvTranspose2d ×2), sigmoid output; k = 64: `AutoencoderSpec.Convolutional([1, 28, 28], 64, channels: [{string.Join(", ", SmallConvChannels)}], batchNorm: true)`: Conv(1→32, s2)-BN-ReLU-Conv(32→64, s2)-BN-ReLU-Linear(3136→64), mirrored; MSE loss (each the best conv candidate for its k on the validation split)",
                ConvolutionalAe),
            new("vae", "VAE",
                $"the published network (conv 64-128, dense 512) with a Gaussian bottleneck (μ, log σ² ∈ ℝ^k from the 512 features), Bernoulli likelihood on logits of the grey levels, β = 1/k (the published loss: KL averaged over the k dimensions); code = posterior mean μ, reconstruction = sigmoid(decoder(μ))",
                k => PublishedNetwork(k)
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
            Epochs: quick ? 2 : PublishedEpochs,
            BatchSize: 128,
            LearningRate: 1e-3,
            MinimumLearningRate: 1e-5,
            options.Threads,
            BenchmarkOptions.Seed);
    }
}
