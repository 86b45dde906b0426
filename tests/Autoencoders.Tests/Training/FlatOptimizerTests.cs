using Autoencoders.Model;
using Autoencoders.Native;
using Autoencoders.Tests.Support;
using Autoencoders.Tests.Variants;
using Autoencoders.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Training;

/// <summary>
/// The trainer's optimiser updates all parameters at once from one buffer; its exact form must leave the
/// weights bit for bit where TorchSharp's per-parameter optimisers leave them, and its fused form close to
/// them (but not on them: then it would not be running). What the flat form cannot hold (tied weights, a
/// parameter without a gradient) is stepped parameter by parameter, bit-identically to TorchSharp too.
/// </summary>
[ComparesWithTorchSharp]
public sealed class FlatOptimizerTests
{
    public static TheoryData<string, OptimizerKind, double, double> Cases() => new()
    {
        { "vanilla", OptimizerKind.Adam, 0.0, 0.9 },
        { "vanilla", OptimizerKind.Adam, 1e-2, 0.9 },
        { "vanilla", OptimizerKind.AdamW, 1e-2, 0.9 },
        { "vanilla", OptimizerKind.Sgd, 1e-2, 0.9 },
        { "vanilla", OptimizerKind.Sgd, 0.0, 0.0 },
        { "convolutional-sparse-batchnorm", OptimizerKind.Adam, 0.0, 0.9 },
        { "convolutional-denoising-vae", OptimizerKind.AdamW, 1e-2, 0.9 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_flat_update_leaves_the_weights_bit_identical_to_TorchSharps_optimiser(string variant, OptimizerKind kind, double weightDecay, double momentum)
    {
        var options = new TrainerOptions { Optimizer = kind, WeightDecay = weightDecay, Momentum = momentum, LearningRate = 1e-2 };
        var (flat, reference) = TrainBoth(variant, options, steps: 6);

        flat.Should().Equal(reference);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    public void The_fused_update_lands_close_to_TorchSharps_optimiser_but_not_on_it(OptimizerKind kind)
    {
        FusedAdam.IsAvailable.Should().Be(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64);
        if (!FusedAdam.IsAvailable)
        {
            return;
        }

        var options = new TrainerOptions { Optimizer = kind, WeightDecay = 1e-2, LearningRate = 1e-2, FusedOptimizer = true };
        var (fused, reference) = TrainBoth("convolutional", options, steps: 6);

        fused.Should().NotEqual(reference, "the fused kernel rounds the first moment differently");
        var largest = reference.Max(Math.Abs);
        fused.Zip(reference).Max(p => Math.Abs(p.First - p.Second)).Should().BeLessThan(1e-5f * largest);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Sgd)]
    public void Tied_weights_are_stepped_parameter_by_parameter_as_by_TorchSharp(OptimizerKind kind)
    {
        // A parameter listed twice, as a custom module's tied weights would be, cannot have one slice of the
        // flat buffer: each listing is stepped with its own state, as TorchSharp's optimisers do.
        var options = new TrainerOptions { Optimizer = kind, WeightDecay = 1e-2, LearningRate = 1e-2 };
        var (flat, reference) = TrainBoth("vanilla", options, steps: 4, tied: true);

        flat.Should().Equal(reference);
    }

    [Fact]
    public void A_parameter_that_gets_no_gradient_is_left_alone_as_by_TorchSharp()
    {
        using var model = VariantCatalog.Specs["vanilla"].Build(seed: 1);
        using var unused = new Parameter(torch.ones(5));
        Parameter[] parameters = [.. model.parameters(), unused];
        using var optimizer = FlatOptimizer.Create(new TrainerOptions { WeightDecay = 0.1 }, parameters);
        using var data = torch.rand(8, 16, generator: new Generator(1));

        for (var step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.ZeroGrad();
            model.ComputeLoss(data).Total.backward();
            optimizer.Step();
        }

        unused.data<float>().ToArray().Should().Equal(1f, 1f, 1f, 1f, 1f);
    }

    /// <summary>
    /// Trains two copies of a model on the same batches, one with the trainer's optimiser, one with TorchSharp's;
    /// returns both weights. <paramref name="tied"/> lists the first parameter twice to both optimisers.
    /// </summary>
    private static (float[] Flat, float[] Reference) TrainBoth(string variant, TrainerOptions options, int steps, bool tied = false)
    {
        var spec = VariantCatalog.Specs[variant];
        using var flatModel = spec.Build(seed: 3);
        using var referenceModel = spec.Build(seed: 3);
        Parameter[] Listed(Autoencoder model) => tied ? [.. model.parameters(), model.parameters().First()] : [.. model.parameters()];
        using var flat = FlatOptimizer.Create(options, Listed(flatModel));
        using optim.Optimizer reference = options.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(Listed(referenceModel), options.LearningRate, 0.9, 0.999, weight_decay: options.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(Listed(referenceModel), options.LearningRate, 0.9, 0.999, weight_decay: options.WeightDecay),
            _ => optim.SGD(Listed(referenceModel), options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
        };
        var shape = spec.InputShape.Select(d => (long)d).ToArray();
        var data = VariantCatalog.UnitIntervalData(32 * steps, seed: 9);
        using var all = torch.tensor(data).clone().view([32 * steps, .. shape]);
        for (var step = 0; step < steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var batch = all.narrow(0, 32 * step, 32);
            flat.ZeroGrad();
            flatModel.ComputeLoss(batch, new LossContext(new Generator(5), 0, 1)).Total.backward();
            flat.Step();
            reference.zero_grad();
            referenceModel.ComputeLoss(batch, new LossContext(new Generator(5), 0, 1)).Total.backward();
            TorchSharpReference.Run(() => reference.step());
        }

        return (Weights(flatModel), Weights(referenceModel));
    }

    private static float[] Weights(Autoencoder model) => [.. model.parameters().SelectMany(p => p.data<float>().ToArray())];
}
