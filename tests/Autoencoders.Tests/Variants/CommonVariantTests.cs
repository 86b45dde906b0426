using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Variants;

/// <summary>
/// The contract every variant and combination must meet (in the spirit of scikit-learn's common
/// estimator checks): it trains through the one trainer and its loss falls, it is deterministic for a
/// seed, it round-trips through the spec JSON and the model file bit for bit, and it refuses NaN input.
/// Every model is built and loaded on <see cref="TestDevice.Current"/>, passed explicitly.
/// </summary>
public sealed class CommonVariantTests : IDisposable
{
    private static readonly TrainerOptions Options = new() { Epochs = 6, BatchSize = 32, LearningRate = 3e-3, Seed = 9, Threads = 1 };
    private readonly float[,] rows = VariantCatalog.UnitIntervalData(256, seed: 5);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [MemberData(nameof(VariantCatalog.Names), MemberType = typeof(VariantCatalog))]
    public void Trains_through_the_shared_trainer_and_the_loss_falls(string name)
    {
        using var data = InMemoryDataset.FromArray(rows, VariantCatalog.Specs[name].InputShape.Select(d => (long)d).ToArray());
        using var model = VariantCatalog.Specs[name].Build(seed: 1, TestDevice.Current);

        var history = new Trainer(Options).Fit(model, data);

        model.parameters().Should().OnlyContain(p => TestDevice.Holds(p), "training keeps the model on its device");
        history.TrainLosses[^1].Should().BeLessThan(history.TrainLosses[0]);
        history.Epochs[0].TrainTerms.Keys.Should().StartWith(LossTerms.Reconstruction);
        history.Epochs[0].TrainTerms.Keys.Should().HaveCount(1 + model.Spec.Penalties.Count + (model.Bottleneck.IsStochastic ? 1 : 0));
    }

    [Theory]
    [MemberData(nameof(VariantCatalog.Names), MemberType = typeof(VariantCatalog))]
    public void Is_bit_for_bit_deterministic_for_a_seed(string name)
    {
        using var data = InMemoryDataset.FromArray(rows);
        using var a = VariantCatalog.Specs[name].Build(seed: 2, TestDevice.Current);
        using var b = VariantCatalog.Specs[name].Build(seed: 2, TestDevice.Current);
        var options = Options with { Epochs = 2 };

        var historyA = new Trainer(options).Fit(a, data);
        var historyB = new Trainer(options).Fit(b, data);

        historyB.TrainLosses.Should().Equal(historyA.TrainLosses);
        b.Encode(rows).Should().BeEquivalentTo(a.Encode(rows), o => o.WithStrictOrdering());
    }

    [Theory]
    [MemberData(nameof(VariantCatalog.Names), MemberType = typeof(VariantCatalog))]
    public void Round_trips_through_json_and_the_model_file_with_identical_outputs(string name)
    {
        var spec = VariantCatalog.Specs[name];
        using var data = InMemoryDataset.FromArray(rows);
        using var model = spec.Build(seed: 3, TestDevice.Current);
        new Trainer(Options with { Epochs = 1 }).Fit(model, data);
        var path = folder.File(name + ".aemodel");

        model.Save(path);
        using var loaded = Autoencoder.Load(path, TestDevice.Current);

        AutoencoderSpec.FromJson(spec.ToJson()).Should().Be(spec);
        loaded.Spec.Should().Be(spec);
        TestDevice.Holds(loaded.parameters().First()).Should().BeTrue("Load puts the model on the device it is given");
        loaded.Encode(rows).Should().BeEquivalentTo(model.Encode(rows), o => o.WithStrictOrdering());
        loaded.Reconstruct(rows).Should().BeEquivalentTo(model.Reconstruct(rows), o => o.WithStrictOrdering());
    }

    [Theory]
    [MemberData(nameof(VariantCatalog.Names), MemberType = typeof(VariantCatalog))]
    public void Refuses_nan_input_with_its_position(string name)
    {
        using var model = VariantCatalog.Specs[name].Build(seed: 1, TestDevice.Current);
        var bad = (float[,])rows.Clone();
        bad[7, 4] = float.NaN;

        model.Invoking(m => m.Encode(bad)).Should().Throw<ArgumentException>().WithMessage("*row 7, feature 4 is NaN*");
    }
}
