using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Tests.Variants;
using Autoencoders.Training;

namespace Autoencoders.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> Variants() => new() { "vanilla", "convolutional-denoising-vae", "convolutional-sparse-batchnorm", "custom-encoder-variational", "convolutional1d-denoising-vae", "recurrent-gru-vae" };

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_run_resumed_from_a_checkpoint_ends_bit_identical_to_an_uninterrupted_one(string variant)
    {
        var spec = VariantCatalog.Specs[variant];
        using var data = InMemoryDataset.FromArray(VariantCatalog.UnitIntervalData(200, seed: 3), spec.InputShape.Select(d => (long)d).ToArray());
        var options = new TrainerOptions { Epochs = 6, BatchSize = 32, LearningRate = 3e-3, ValidationFraction = 0.2, Patience = 10, Seed = 4, Threads = 1, Schedule = LearningRateSchedule.Cosine() };
        using var uninterrupted = spec.Build(seed: 1, TestDevice.Current);
        var expected = new Trainer(options).Fit(uninterrupted, data);

        var checkpoint = folder.File(variant + ".ckpt");
        using var interrupted = spec.Build(seed: 1, TestDevice.Current);
        using var cancel = new CancellationTokenSource();
        var stopAfterThree = new SynchronousProgress<EpochReport>(r =>
        {
            if (r.Epoch == 3)
            {
                cancel.Cancel();
            }
        });
        var withCheckpoints = options with { CheckpointPath = checkpoint };
        ((Action)(() => new Trainer(withCheckpoints).Fit(interrupted, data, progress: stopAfterThree, cancellationToken: cancel.Token)))
            .Should().Throw<OperationCanceledException>();
        File.Exists(checkpoint).Should().BeTrue();

        using var resumed = spec.Build(seed: 99, TestDevice.Current);
        var history = new Trainer(withCheckpoints).Fit(resumed, data);

        history.TrainLosses.Should().Equal(expected.TrainLosses);
        history.ValidationLosses.Should().Equal(expected.ValidationLosses);
        foreach (var (name, tensor) in uninterrupted.state_dict())
        {
            TensorBytes.Of(resumed.state_dict()[name]).Should().Equal(TensorBytes.Of(tensor), name);
        }

        File.Exists(checkpoint).Should().BeFalse("a finished run removes its checkpoint");
    }

    [Fact]
    public void A_checkpoint_of_another_run_is_refused()
    {
        using var data = InMemoryDataset.FromArray(Synthetic.LowRank(64, 8, 2, seed: 1));
        var checkpoint = folder.File("run.ckpt");
        var options = new TrainerOptions { Epochs = 3, CheckpointPath = checkpoint, CheckpointEvery = 1 };
        using var model = AutoencoderSpec.Dense(8, 2, [4]).Build();
        using var cancel = new CancellationTokenSource();
        var stop = new SynchronousProgress<EpochReport>(_ => cancel.Cancel());
        ((Action)(() => new Trainer(options).Fit(model, data, progress: stop, cancellationToken: cancel.Token))).Should().Throw<OperationCanceledException>();

        var act = () => new Trainer(options with { LearningRate = 0.01 }).Fit(model, data);

        act.Should().Throw<InvalidOperationException>().WithMessage("*belongs to another run*");
    }
}
