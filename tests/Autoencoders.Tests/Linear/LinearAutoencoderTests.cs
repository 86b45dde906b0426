using System.Diagnostics;
using Autoencoders.Data;
using Autoencoders.Linear;
using Autoencoders.Model;
using Autoencoders.Training;
using Xunit.Abstractions;

namespace Autoencoders.Tests.Linear;

/// <summary>
/// The linear autoencoder learns the principal subspace (Baldi &amp; Hornik 1989), and with an L2 penalty on
/// both weight matrices inside the loss, the individual principal directions (Kunin et al., ICML 2019).
/// The data is centred (column means exactly zero), so the biases have nothing to learn.
/// </summary>
public sealed class LinearAutoencoderTests(ITestOutputHelper output)
{
    // A clear gap after k = 4 (λ4/λ5 = 6.7), and distinct leading eigenvalues (ratios ≥ 1.5).
    private static readonly double[] Spectrum = [9, 5, 3, 2, 0.3, 0.28, 0.26, 0.24, 0.22, 0.2, 0.18, 0.16, 0.14, 0.12, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03];

    // Full-batch Adam with a cosine schedule: about 2 s on one thread.
    private const int Epochs = 1500;
    private const int L2Epochs = 1500;
    private const double Rate = 0.01;

    private static double Degrees(double radians) => radians * 180 / Math.PI;

    [Fact]
    public void The_decoder_spans_the_top_k_principal_subspace_and_matches_the_pca_error()
    {
        var known = KnownSpectrum.Create(1000, Spectrum, seed: 11);
        var rows = known.Rows;
        var pca = Pca.Fit(rows, components: 4);
        using var data = InMemoryDataset.FromArray(rows);
        using var model = AutoencoderSpec.Linear(20, 4).Build(seed: 1);
        var options = new TrainerOptions
        {
            Epochs = Epochs, BatchSize = 1000, LearningRate = Rate, Schedule = LearningRateSchedule.Cosine(minimum: 1e-5), Seed = 1, Threads = 1,
        };

        var watch = Stopwatch.StartNew();
        new Trainer(options).Fit(model, data);
        var angle = Degrees(PrincipalAngles.Largest(LinearAutoencoderWeights.Decoder(model), pca.Components.Transpose()));
        var ratio = model.MeanSquaredError(data) / pca.MeanSquaredError(rows);
        output.WriteLine($"largest angle {angle:g4}°, MSE ratio {ratio:f6}, {watch.Elapsed.TotalSeconds:f1} s");

        angle.Should().BeLessThan(1);
        ratio.Should().BeInRange(1 - 1e-4, 1.005, "PCA's error is the minimum for rank 4, which the autoencoder can only approach");
    }

    /// <summary>
    /// Our loss is (1/n)‖X − X·W1ᵀ·W2ᵀ‖²_F + λ(‖W1‖²_F + ‖W2‖²_F), Kunin et al.'s ‖X − …‖²_F + λ_K(…): multiplying
    /// ours by n gives theirs with λ_K = n·λ, and their σᵢ² (squared singular values of the centred data)
    /// are n·ℓᵢ with ℓᵢ the covariance eigenvalues with the 1/n denominator, ℓᵢ = λᵢ·(n − 1)/n in terms of
    /// <see cref="Pca.ExplainedVariance"/>. So at the optimum W1 = W2ᵀ, W2 = Uₖ·diag(sᵢ)·O with
    /// sᵢ² = 1 − λ_K/σᵢ² = 1 − λ/ℓᵢ (for ℓᵢ &gt; λ), and W2's left singular vectors are the principal axes.
    /// </summary>
    [Fact]
    public void With_an_l2_penalty_in_the_loss_the_decoder_recovers_each_principal_direction_and_the_predicted_shrinkage()
    {
        const double lambda = 0.5;
        const int n = 1000;
        var known = KnownSpectrum.Create(n, Spectrum, seed: 12);
        var rows = known.Rows;
        var pca = Pca.Fit(rows, components: 4);
        using var data = InMemoryDataset.FromArray(rows);
        var spec = AutoencoderSpec.Linear(20, 4) with { Penalties = [new WeightL2PenaltySpec { Weight = lambda }] };
        using var model = spec.Build(seed: 2);
        var options = new TrainerOptions
        {
            Epochs = L2Epochs, BatchSize = n, LearningRate = Rate, Schedule = LearningRateSchedule.Cosine(minimum: 1e-5), Seed = 2, Threads = 1,
        };

        var watch = Stopwatch.StartNew();
        new Trainer(options).Fit(model, data);
        var encoder = LinearAutoencoderWeights.Encoder(model);
        var decoder = LinearAutoencoderWeights.Decoder(model);
        var svd = decoder.Svd(computeVectors: true);
        var symmetry = (encoder - decoder.Transpose()).FrobeniusNorm() / decoder.FrobeniusNorm();
        var cosines = Enumerable.Range(0, 4).Select(i => Math.Abs(svd.U.Column(i).DotProduct(pca.Components.Row(i)))).ToArray();
        var predicted = Enumerable.Range(0, 4).Select(i => 1 - (lambda / (pca.ExplainedVariance[i] * (n - 1) / n))).ToArray();
        var squared = svd.S.Take(4).Select(s => s * s).ToArray();
        output.WriteLine($"‖W1 − W2ᵀ‖/‖W2‖ {symmetry:g3}; |cos| {string.Join(", ", cosines.Select(c => c.ToString("f6")))}; s² {string.Join(", ", squared.Select(c => c.ToString("f4")))} predicted {string.Join(", ", predicted.Select(c => c.ToString("f4")))}; {watch.Elapsed.TotalSeconds:f1} s");

        symmetry.Should().BeLessThan(1e-3);
        cosines.Should().OnlyContain(c => c > 0.99);
        squared.Should().Equal(predicted, (a, b) => Math.Abs(a - b) < 2e-3);
    }

    [Fact]
    public void A_nonlinear_autoencoder_with_one_code_unit_beats_pca_on_a_curved_one_dimensional_manifold()
    {
        // Three quarters of a circle of radius 1 in the plane, lifted into 3-D along a helix, plus small noise.
        var random = new Random(13);
        var rows = new float[1000, 3];
        for (var i = 0; i < 1000; i++)
        {
            var t = 1.5 * Math.PI * random.NextDouble();
            rows[i, 0] = (float)(Math.Cos(t) + (0.01 * Support.Synthetic.Gaussian(random)));
            rows[i, 1] = (float)(Math.Sin(t) + (0.01 * Support.Synthetic.Gaussian(random)));
            rows[i, 2] = (float)((0.3 * t) + (0.01 * Support.Synthetic.Gaussian(random)));
        }

        var pca = Pca.Fit(rows, components: 1);
        using var data = InMemoryDataset.FromArray(rows);
        using var model = AutoencoderSpec.Dense(3, 1, [32, 32], Activation.Tanh).Build(seed: 3);
        var options = new TrainerOptions
        {
            Epochs = 100, BatchSize = 100, LearningRate = 5e-3, Schedule = LearningRateSchedule.Cosine(minimum: 1e-5), Seed = 3, Threads = 1,
        };

        var watch = Stopwatch.StartNew();
        new Trainer(options).Fit(model, data);
        var nonlinear = model.MeanSquaredError(data);
        var linear = pca.MeanSquaredError(rows);
        output.WriteLine($"nonlinear MSE {nonlinear:g4}, PCA MSE {linear:g4}, {watch.Elapsed.TotalSeconds:f1} s");

        nonlinear.Should().BeLessThan(0.2 * linear);
    }
}
