using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using TorchSharp;

namespace Autoencoders.Tests.Variants;

public sealed class DenoisingTests
{
    [Fact]
    public void Gaussian_noise_has_the_promised_spread_and_is_seeded()
    {
        using var x = torch.zeros(200, 100);

        using var a = new GaussianNoise { StdDev = 0.3 }.Apply(x, new torch.Generator(4));
        using var b = new GaussianNoise { StdDev = 0.3 }.Apply(x, new torch.Generator(4));

        a.std().item<float>().Should().BeApproximately(0.3f, 0.01f);
        a.mean().item<float>().Should().BeApproximately(0f, 0.01f);
        a.data<float>().ToArray().Should().Equal(b.data<float>().ToArray());
    }

    [Fact]
    public void Masking_noise_drops_the_promised_fraction()
    {
        using var x = torch.ones(200, 100);

        using var masked = new MaskingNoise { Probability = 0.3 }.Apply(x, new torch.Generator(1));

        masked.Eq(0).to_type(torch.ScalarType.Float32).mean().item<float>().Should().BeApproximately(0.3f, 0.01f);
        masked.Ne(0).logical_and(masked.Ne(1)).any().item<bool>().Should().BeFalse("kept values are unchanged");
    }

    [Fact]
    public void Salt_and_pepper_replaces_the_promised_fraction_half_each_way()
    {
        using var x = torch.empty(200, 100);
        x.FillInPlace(0.5);

        using var noisy = new SaltAndPepperNoise { Probability = 0.2, Low = 0, High = 1 }.Apply(x, new torch.Generator(2));

        noisy.Eq(0).to_type(torch.ScalarType.Float32).mean().item<float>().Should().BeApproximately(0.1f, 0.01f);
        noisy.Eq(1).to_type(torch.ScalarType.Float32).mean().item<float>().Should().BeApproximately(0.1f, 0.01f);
    }

    [Fact]
    public void Corruption_applies_in_training_only_and_the_target_stays_clean()
    {
        using var model = AutoencoderSpec.Denoising(6, 2, [4], new GaussianNoise { StdDev = 0.5 }).Build(seed: 1);
        using var x = torch.rand(16, 6);

        model.eval();
        var evaluation = model.ComputeLoss(x, new LossContext(new torch.Generator(1), 0, 1)).Total.item<float>();
        var clean = (model.forward(x) - x).Square().sum().item<float>() / 16;
        model.train();
        var training = model.ComputeLoss(x, new LossContext(new torch.Generator(1), 0, 1)).Total.item<float>();

        var again = model.ComputeLoss(x, new LossContext(new torch.Generator(1), 0, 1)).Total.item<float>();
        var otherNoise = model.ComputeLoss(x, new LossContext(new torch.Generator(2), 0, 1)).Total.item<float>();

        evaluation.Should().BeApproximately(clean, 1e-5f);
        training.Should().NotBe(clean);
        again.Should().Be(training, "the noise is drawn from the given generator");
        otherNoise.Should().NotBe(training);
    }

    [Fact]
    public void A_denoising_model_recovers_clean_inputs_from_noisy_held_out_ones_better_than_a_vanilla_one()
    {
        var train = Synthetic.LowRank(1024, 16, 3, seed: 1, noise: 0.01);
        var heldOut = Synthetic.LowRank(256, 16, 3, seed: 1, noise: 0.01);
        var noisy = (float[,])heldOut.Clone();
        var random = new Random(5);
        for (var i = 0; i < 256; i++)
        {
            for (var j = 0; j < 16; j++)
            {
                noisy[i, j] += (float)(0.5 * Synthetic.Gaussian(random));
            }
        }

        using var data = InMemoryDataset.FromArray(train);
        using var vanilla = AutoencoderSpec.Dense(16, 16, [32]).Build(seed: 1);
        using var denoising = AutoencoderSpec.Denoising(16, 16, [32], new GaussianNoise { StdDev = 0.5 }).Build(seed: 1);
        var options = new TrainerOptions { Epochs = 40, BatchSize = 64, LearningRate = 3e-3 };

        new Trainer(options).Fit(vanilla, data);
        new Trainer(options).Fit(denoising, data);

        var vanillaError = Mse(vanilla.Reconstruct(noisy), heldOut);
        var denoisingError = Mse(denoising.Reconstruct(noisy), heldOut);
        denoisingError.Should().BeLessThan(0.8 * vanillaError);
        Mse(noisy, heldOut).Should().BeGreaterThan(denoisingError, "the denoiser removes noise rather than adding error");
    }

    [Fact]
    public void An_unregularised_code_as_wide_as_the_input_is_warned_about()
    {
        using var data = InMemoryDataset.FromArray(Synthetic.LowRank(64, 8, 2, seed: 1));
        using var identityRisk = AutoencoderSpec.Dense(8, 8, [16]).Build();
        using var denoising = AutoencoderSpec.Denoising(8, 8, [16]).Build();

        var risky = new Trainer(new TrainerOptions { Epochs = 2 }).Fit(identityRisk, data);
        var safe = new Trainer(new TrainerOptions { Epochs = 2 }).Fit(denoising, data);

        risky.Warnings.Should().ContainSingle().Which.Should().Contain("identity map");
        risky.Epochs[0].Warnings.Should().HaveCount(1);
        risky.Epochs[1].Warnings.Should().BeEmpty("a warning is reported once");
        risky.Epochs[0].ToString().Should().Contain("warning: ");
        safe.Warnings.Should().BeEmpty();
    }

    private static double Mse(float[,] a, float[,] b)
    {
        double sum = 0;
        for (var i = 0; i < a.GetLength(0); i++)
        {
            for (var j = 0; j < a.GetLength(1); j++)
            {
                sum += Math.Pow(a[i, j] - b[i, j], 2);
            }
        }

        return sum / a.Length;
    }
}
