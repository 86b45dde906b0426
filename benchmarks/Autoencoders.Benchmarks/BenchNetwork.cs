using Autoencoders.Model;
using TorchSharp.Modules;

namespace Autoencoders.Benchmarks;

/// <summary>One network of B1: how to build it through the library and by hand, and its FLOP count.</summary>
/// <param name="Name">BENCH-MLP or BENCH-CONV.</param>
/// <param name="Layers">A one-line description of the layers.</param>
/// <param name="BuildLibrary">Builds the library model from a seed; null when the library lacks the backbone.</param>
/// <param name="LibraryMissingReason">Why <paramref name="BuildLibrary"/> is null.</param>
/// <param name="BuildHandwritten">Builds the same layers as a plain nn.Sequential.</param>
/// <param name="HandwrittenSampleShape">The sample shape the hand-written net takes ([784] or [1, 28, 28]).</param>
/// <param name="ForwardFlopsPerSample">Analytic forward FLOPs for one sample.</param>
internal sealed record BenchNetwork(
    string Name,
    string Layers,
    Func<long, Autoencoder>? BuildLibrary,
    string? LibraryMissingReason,
    Func<Sequential> BuildHandwritten,
    long[] HandwrittenSampleShape,
    double ForwardFlopsPerSample)
{
    /// <summary>Training FLOPs per sample: forward plus backward ≈ 3 × forward.</summary>
    public double TrainingFlopsPerSample => FlopCount.TrainingPerForward * ForwardFlopsPerSample;

    public static BenchNetwork Mlp { get; } = new(
        "BENCH-MLP",
        "784-512-128-32-128-512-784, ReLU, linear code, sigmoid output",
        seed => AutoencoderSpec.Dense(
                inputShape: [1, 28, 28], latent: 32, hidden: [512, 128], Activation.ReLU, OutputActivation.Sigmoid)
            .Build(seed),
        null,
        HandwrittenNetworks.Mlp,
        [784],
        FlopCount.Linear(784, 512) + FlopCount.Linear(512, 128) + FlopCount.Linear(128, 32)
        + FlopCount.Linear(32, 128) + FlopCount.Linear(128, 512) + FlopCount.Linear(512, 784));

    public static BenchNetwork Conv { get; } = new(
        "BENCH-CONV",
        "Conv(1→32,3×3,s2,p1)-ReLU-Conv(32→64,3×3,s2,p1)-ReLU-Linear(3136→32), mirrored with ConvTranspose2d, sigmoid output",
        seed => AutoencoderSpec.Convolutional(
                inputShape: [1, 28, 28], latent: 32, channels: [32, 64], Activation.ReLU, OutputActivation.Sigmoid)
            .Build(seed),
        null,
        HandwrittenNetworks.Conv,
        [1, 28, 28],
        FlopCount.Conv2d(14, 14, 1, 32, 3) + FlopCount.Conv2d(7, 7, 32, 64, 3) + FlopCount.Linear(3136, 32)
        + FlopCount.Linear(32, 3136) + FlopCount.ConvTranspose2d(7, 7, 64, 32, 3) + FlopCount.ConvTranspose2d(14, 14, 32, 1, 3));
}
