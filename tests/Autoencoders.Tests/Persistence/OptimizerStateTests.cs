using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Persistence;

/// <summary>
/// The optimiser states TorchSharp writes pass the reader's structural check for every optimiser the
/// trainer uses (SGD's momentum buffers appear only after the first step), and a resumed run goes on
/// exactly as an uninterrupted one.
/// </summary>
public sealed class OptimizerStateTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(OptimizerKind.Adam, 0.0)]
    [InlineData(OptimizerKind.AdamW, 0.0)]
    [InlineData(OptimizerKind.Sgd, 0.9)]
    [InlineData(OptimizerKind.Sgd, 0.0)]
    public void A_run_resumed_from_its_checkpoint_goes_on_as_if_uninterrupted(OptimizerKind optimizer, double momentum)
    {
        using var data = InMemoryDataset.FromArray(Synthetic.LowRank(96, 8, 2, seed: 2));
        var options = new TrainerOptions { Epochs = 4, BatchSize = 32, Threads = 1, Seed = 3, Optimizer = optimizer, Momentum = momentum, LearningRate = 0.01, CheckpointPath = folder.File($"{optimizer}-{momentum}.ckpt") };
        using var uninterrupted = AutoencoderSpec.Dense(8, 2, [6]).Build(seed: 1);
        var expected = new Trainer(options with { CheckpointPath = null }).Fit(uninterrupted, data);

        using var interrupted = AutoencoderSpec.Dense(8, 2, [6]).Build(seed: 1);
        using var cancel = new CancellationTokenSource();
        var stopAfterTwo = new SynchronousProgress<EpochReport>(r =>
        {
            if (r.Epoch == 2)
            {
                cancel.Cancel();
            }
        });
        ((Action)(() => new Trainer(options).Fit(interrupted, data, progress: stopAfterTwo, cancellationToken: cancel.Token))).Should().Throw<OperationCanceledException>();
        using var resumed = AutoencoderSpec.Dense(8, 2, [6]).Build(seed: 7);

        var history = new Trainer(options).Fit(resumed, data);

        history.TrainLosses.Should().Equal(expected.TrainLosses);
    }
}
