using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using TorchSharp;

namespace Autoencoders.Tests.Variants;

public sealed class VariationalTests
{
    [Fact]
    public void The_closed_form_kl_matches_a_monte_carlo_estimate()
    {
        using var scope = torch.NewDisposeScope();
        var mu = torch.tensor(new float[] { 0.5f, -1.2f, 0f, 2f }).view(1, 4);
        var logVar = torch.tensor(new float[] { 0f, -1.5f, 0.7f, -0.3f }).view(1, 4);
        var std = logVar.Mul(0.5).exp();
        using var generator = new torch.Generator(7);

        var epsilon = torch.randn([400_000, 4], generator: generator);
        var z = mu.Add(epsilon * std);
        var logQ = (epsilon.Square().Add(Math.Log(2 * Math.PI)).Mul(-0.5) - logVar.Mul(0.5)).sum(1);
        var logP = z.Square().Add(Math.Log(2 * Math.PI)).Mul(-0.5).sum(1);
        var monteCarlo = (logQ - logP).to_type(torch.ScalarType.Float64).mean().item<double>();
        var closedForm = GaussianBottleneck.KlDivergence(mu, logVar).item<float>();

        closedForm.Should().BeApproximately((float)monteCarlo, 0.01f);
        closedForm.Should().BeApproximately(3.3839f, 1e-3f, "½Σ(μ² + σ² − 1 − log σ²) by hand");
    }

    [Fact]
    public void Training_draws_through_the_reparameterisation_so_mean_and_variance_get_gradients()
    {
        using var model = AutoencoderSpec.Dense(6, 2, [5]).WithGaussianBottleneck().Build(seed: 1);
        using var x = torch.rand(8, 6);
        model.train();

        model.ComputeLoss(x, new LossContext(null, 0, 1)).Total.backward();

        var gradients = model.named_parameters().Where(p => p.name.StartsWith("bottleneck", StringComparison.Ordinal))
            .ToDictionary(p => p.name, p => p.parameter.grad!.abs().sum().item<float>());
        gradients.Keys.Should().Contain(["bottleneck.mean.weight", "bottleneck.logVariance.weight"]);
        gradients.Values.Should().OnlyContain(g => g > 0);
    }

    [Fact]
    public void The_kl_term_is_beta_times_the_closed_form_and_warms_up_linearly()
    {
        var spec = AutoencoderSpec.Dense(6, 2, [5]).WithGaussianBottleneck(beta: 2, warmupEpochs: 4);
        using var model = spec.Build(seed: 1);
        using var x = torch.rand(8, 6);

        var atStart = model.ComputeLoss(x, new LossContext(new torch.Generator(1), 0, 10)).Terms[1].Value.item<float>();
        var afterWarmup = model.ComputeLoss(x, new LossContext(new torch.Generator(1), 5, 10)).Terms[1].Value.item<float>();
        var gaussian = (GaussianBottleneck)model.Bottleneck;
        var (mu, logVar) = gaussian.Posterior(model.Encoder.forward(x));
        var kl = GaussianBottleneck.KlDivergence(mu, logVar).mean().item<float>();

        atStart.Should().BeApproximately(2 * kl / 4, 1e-5f);
        afterWarmup.Should().BeApproximately(2 * kl, 1e-5f);
    }

    [Fact]
    public void Encoding_is_the_posterior_mean_and_deterministic()
    {
        var rows = VariantCatalog.UnitIntervalData(20, seed: 3);
        using var model = AutoencoderSpec.Variational([16], 3, [8]).Build(seed: 4);
        using var x = torch.tensor(rows);
        var gaussian = (GaussianBottleneck)model.Bottleneck;
        using var mean = gaussian.Posterior(model.Encoder.forward(x)).Mean;

        var first = model.Encode(rows);

        first.Should().BeEquivalentTo(model.Encode(rows), o => o.WithStrictOrdering());
        first[11, 2].Should().BeApproximately(mean[11, 2].item<float>(), 1e-6f);
    }

    [Fact]
    public void The_bernoulli_term_is_the_binary_cross_entropy_of_the_logits_summed_over_features()
    {
        using var model = AutoencoderSpec.Dense(5, 2, [4]).WithLikelihood(ReconstructionLikelihood.Bernoulli).Build(seed: 2);
        using var x = torch.rand(3, 5);
        model.eval();

        var term = model.ComputeLoss(x).Terms[0].Value.item<float>();
        using var logits = model.Decoder.forward(model.encode(x));
        var p = torch.sigmoid(logits);
        var expected = -(x * p.log()).Add(x.SubtractedFrom(1) * p.SubtractedFrom(1).log()).sum().item<float>() / 3;

        term.Should().BeApproximately(expected, 1e-4f);
        model.Spec.Output.Should().Be(OutputActivation.Sigmoid);
    }

    [Fact]
    public void The_bernoulli_likelihood_refuses_data_outside_the_unit_interval()
    {
        using var model = AutoencoderSpec.Variational([5], 2, [4]).Build();
        using var x = torch.rand(3, 5);
        x.MulInPlace(3);

        model.Invoking(m => m.ComputeLoss(x)).Should().Throw<ArgumentException>().WithMessage("*[0, 1]*MinMaxScaler*");
    }

    [Fact]
    public void The_importance_sampled_likelihood_is_the_elbo_at_one_sample_and_tighter_with_more()
    {
        var rows = Synthetic.LowRank(300, 16, 3, seed: 8, noise: 0.1, scale: 3);
        using var data = InMemoryDataset.FromArray(rows);
        using var model = (VariationalAutoencoder)AutoencoderSpec.Dense(16, 3, [12]).WithGaussianBottleneck().Build(seed: 5);
        new Trainer(new TrainerOptions { Epochs = 10, BatchSize = 32, LearningRate = 3e-3 }).Fit(model, data);

        var elbo = -model.NegativeElbo(data, seed: 1).Average();
        var iwae1 = model.LogLikelihood(data, samples: 1, seed: 2).Average();
        var iwae64 = model.LogLikelihood(data, samples: 64, seed: 3).Average();
        var iwae512 = model.LogLikelihood(data, samples: 512, seed: 4).Average();

        iwae1.Should().BeApproximately(elbo, 0.02 * Math.Abs(elbo), "with one sample the IWAE bound is the ELBO (up to Monte Carlo error)");
        iwae64.Should().BeGreaterThan(elbo + 0.1, "the bound tightens with more importance samples");
        iwae512.Should().BeGreaterThan(iwae64);
        model.LogLikelihood(data, samples: 64, seed: 3).Should().Equal(model.LogLikelihood(data, samples: 64, seed: 3));
    }

    [Fact]
    public void Generation_and_interpolation_decode_prior_draws_and_code_lines()
    {
        var rows = VariantCatalog.UnitIntervalData(10, seed: 2);
        using var model = (VariationalAutoencoder)AutoencoderSpec.Variational([16], 3, [8]).Build(seed: 6);

        var samples = model.Generate(5, seed: 1);
        var path = model.Interpolate(Row(rows, 0), Row(rows, 1), steps: 4);
        var ends = model.Reconstruct(Synthetic.Rows(rows, 0, 2));

        samples.GetLength(0).Should().Be(5);
        samples.Cast<float>().Should().OnlyContain(v => v > 0 && v < 1);
        samples.Should().BeEquivalentTo(model.Generate(5, seed: 1), o => o.WithStrictOrdering());
        path.GetLength(0).Should().Be(4);
        path[0, 7].Should().BeApproximately(ends[0, 7], 1e-6f);
        path[3, 7].Should().BeApproximately(ends[1, 7], 1e-6f);
    }

    [Fact]
    public void Only_a_gaussian_bottleneck_builds_and_loads_as_a_variational_autoencoder()
    {
        using var folder = new TempFolder();
        using var deterministic = AutoencoderSpec.Dense(16, 3, [8]).Build();
        using var variational = AutoencoderSpec.Dense(16, 3, [8]).WithGaussianBottleneck().Build();
        variational.Save(folder.File("vae.aemodel"));
        deterministic.Save(folder.File("ae.aemodel"));

        using var loadedVariational = Autoencoder.Load(folder.File("vae.aemodel"));
        using var loadedDeterministic = Autoencoder.Load(folder.File("ae.aemodel"));

        deterministic.Should().NotBeOfType<VariationalAutoencoder>("generation and likelihoods need a prior and a posterior");
        loadedDeterministic.Should().NotBeOfType<VariationalAutoencoder>();
        variational.Should().BeOfType<VariationalAutoencoder>();
        loadedVariational.Should().BeOfType<VariationalAutoencoder>();
    }

    [Fact]
    public void Active_units_count_the_code_dimensions_the_data_uses_and_collapse_is_warned_about()
    {
        var rows = Synthetic.LowRank(512, 16, 2, seed: 4, noise: 0.02);
        using var data = InMemoryDataset.FromArray(rows);
        using var healthy = AutoencoderSpec.Dense(16, 6, [32]).WithGaussianBottleneck(beta: 1).Build(seed: 2);
        using var collapsed = AutoencoderSpec.Dense(16, 6, [32]).WithGaussianBottleneck(beta: 200).Build(seed: 2);
        var options = new TrainerOptions { Epochs = 40, BatchSize = 32, LearningRate = 3e-3 };

        var healthyHistory = new Trainer(options).Fit(healthy, data);
        var collapsedHistory = new Trainer(options).Fit(collapsed, data);

        healthy.ActiveUnits(data).Should().BeInRange(2, 4, "two dimensions carry the data; the KL switches the rest off");
        healthyHistory.Epochs[^1].Diagnostics[Autoencoder.ActiveUnitsDiagnostic].Should().Be(healthy.ActiveUnits(data));
        healthyHistory.Warnings.Should().BeEmpty();
        collapsed.ActiveUnits(data).Should().BeLessThan(2);
        collapsedHistory.Warnings.Should().ContainSingle(w => w.StartsWith("Posterior collapse", StringComparison.Ordinal));
    }

    private static float[] Row(float[,] rows, int index) => Synthetic.Rows(rows, index, 1).Cast<float>().ToArray();
}
