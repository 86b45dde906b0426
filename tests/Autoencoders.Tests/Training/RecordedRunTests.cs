using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Tests.Variants;
using Autoencoders.Training;

namespace Autoencoders.Tests.Training;

/// <summary>
/// Runs that exercise every training policy, compared bit for bit with what the trainer produced
/// before its policies became callbacks. A change to the order of operations in the loop, to a random
/// draw or to the arithmetic of a loss sum shows up here.
/// </summary>
/// <remarks>
/// The expected records (<see cref="RecordedRuns"/>) were captured from the trainer of commit 80dc0a8
/// (every policy inline, before callbacks; this test was added on top of it as commit cd85318) by
/// running this test with <c>AUTOENCODERS_RECORD_RUNS</c> set to a file path, on the project's shared
/// 2-core AMD EPYC machine (linux-x64, TorchSharp-cpu 0.107, one thread). Losses are compared through their round-trip text, i.e. bit for bit; weights through a
/// SHA-256 of their bytes. "checkpoint-cancel-then-resume-vae", a convolutional model, was captured again when the
/// library's convolutions became one matrix product over the batch (<c>ChannelsLastConvolution</c>, checked against
/// float64 by <c>OneDnnTests</c>): its float32 sums are added in another order, which moved the losses in the ninth
/// significant digit; every other record stayed as it was, the optimiser's flat update included. libtorch's kernels may round differently on another CPU family; re-capture
/// there only from a commit whose behaviour is known to be right.
/// </remarks>
public sealed class RecordedRunTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> Names() => [.. Runs.Keys];

    private static readonly Dictionary<string, Func<TempFolder, string>> Runs = new()
    {
        ["validation-fraction-patience-restore"] = _ => Dense(
            new TrainerOptions
            {
                Epochs = 12, BatchSize = 32, Optimizer = OptimizerKind.Sgd, LearningRate = 1e-2, ValidationFraction = 0.25, Patience = 2,
                MinDelta = 1e-4, Schedule = LearningRateSchedule.Step(every: 3, gamma: 30), GradientClipNorm = 1, Seed = 7, Threads = 1,
            }),
        ["cosine-with-validation-set"] = _ =>
        {
            using var train = LowRank(512, seed: 11);
            using var validation = LowRank(128, seed: 12);
            using var model = SmallSpec.Build(seed: 3);
            var options = new TrainerOptions { Epochs = 5, BatchSize = 64, LearningRate = 3e-3, Schedule = LearningRateSchedule.Cosine(minimum: 1e-4), Seed = 2, Threads = 1 };
            return RunRecord.Of(new Trainer(options).Fit(model, train, validation), model);
        },
        ["step-schedule-clipping-adamw"] = _ => Dense(
            new TrainerOptions
            {
                Epochs = 4, BatchSize = 32, Optimizer = OptimizerKind.AdamW, LearningRate = 1e-2, WeightDecay = 1e-2,
                Schedule = LearningRateSchedule.Step(every: 2, gamma: 0.5), GradientClipNorm = 0.5, Seed = 3, Threads = 1,
            }),
        ["vae-kl-warmup"] = _ => Variant(
            "variational-gaussian",
            new TrainerOptions { Epochs = 4, BatchSize = 32, LearningRate = 3e-3, ValidationFraction = 0.2, Patience = 3, Seed = 5, Threads = 1 }),
        ["denoising-masking-sgd-no-shuffle"] = _ => Variant(
            "denoising-masking",
            new TrainerOptions { Epochs = 3, BatchSize = 48, Optimizer = OptimizerKind.Sgd, LearningRate = 5e-2, Momentum = 0.5, Shuffle = false, Seed = 6, Threads = 1 }),
        ["posterior-collapse-warning"] = _ => Spec(
            AutoencoderSpec.Dense(16, 3, [12]).WithGaussianBottleneck(beta: 200),
            new TrainerOptions { Epochs = 3, BatchSize = 32, LearningRate = 1e-2, Seed = 8, Threads = 1 }),
        ["identity-map-warning"] = _ => Spec(
            AutoencoderSpec.Dense(16, 16, [16]),
            new TrainerOptions { Epochs = 2, BatchSize = 64, Seed = 9, Threads = 1 }),
        ["checkpoint-cancel-then-resume-vae"] = folder => CheckpointCancelThenResume(
            folder,
            VariantCatalog.Specs["convolutional-denoising-vae"],
            new TrainerOptions { Epochs = 6, BatchSize = 32, LearningRate = 3e-3, ValidationFraction = 0.2, Patience = 10, Seed = 4, Threads = 1, Schedule = LearningRateSchedule.Cosine(), CheckpointEvery = 2 }),
        ["checkpoint-cancel-then-resume-early-stop"] = folder => CheckpointCancelThenResume(
            folder,
            SmallSpec,
            new TrainerOptions
            {
                Epochs = 10, BatchSize = 32, Optimizer = OptimizerKind.Sgd, LearningRate = 1e-2, ValidationFraction = 0.25, Patience = 3,
                Schedule = LearningRateSchedule.Step(every: 2, gamma: 30), GradientClipNorm = 1, Seed = 7, Threads = 1,
            }),
        ["diverged-unscaled-data"] = _ =>
        {
            using var data = InMemoryDataset.FromArray(Synthetic.LowRank(64, 16, 3, seed: 1, scale: 1e19));
            using var model = SmallSpec.Build(seed: 1);
            var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(new TrainerOptions { Epochs = 2, Threads = 1 }).Fit(model, data));
            return RunRecord.Of(error, model);
        },
        ["diverged-learning-rate"] = _ =>
        {
            using var data = LowRank(512, seed: 11);
            using var model = SmallSpec.Build(seed: 1);
            var options = new TrainerOptions { Epochs = 20, Optimizer = OptimizerKind.Sgd, LearningRate = 1e3, Threads = 1 };
            var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(options).Fit(model, data));
            return RunRecord.Of(error, model);
        },
    };

    private static AutoencoderSpec SmallSpec => AutoencoderSpec.Dense(16, 3, [32]);

    [Theory]
    [MemberData(nameof(Names))]
    public void Reproduces_the_recorded_run_bit_for_bit(string name)
    {
        var actual = Runs[name](folder);

        if (Environment.GetEnvironmentVariable("AUTOENCODERS_RECORD_RUNS") is { Length: > 0 } record)
        {
            File.AppendAllText(record, $"[\"{name}\"] = \"\"\"{Environment.NewLine}{actual}{Environment.NewLine}\"\"\",{Environment.NewLine}");
        }

        actual.Should().Be(RecordedRuns.Expected[name]);
    }

    private static string CheckpointCancelThenResume(TempFolder folder, AutoencoderSpec spec, TrainerOptions options)
    {
        using var data = InMemoryDataset.FromArray(VariantCatalog.UnitIntervalData(200, seed: 3), [.. spec.InputShape.Select(d => (long)d)]);
        options = options with { CheckpointPath = folder.File("run.ckpt") };

        using var interrupted = spec.Build(seed: 1);
        using var cancel = new CancellationTokenSource();
        var seen = new List<string>();
        var stopAfterThree = new SynchronousProgress<EpochReport>(r =>
        {
            seen.Add("interrupted " + RunRecord.Of(r));
            if (r.Epoch == 3)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => new Trainer(options).Fit(interrupted, data, progress: stopAfterThree, cancellationToken: cancel.Token));
        seen.Add("interrupted weights " + RunRecord.Weights(interrupted));

        using var resumed = spec.Build(seed: 99);
        var history = new Trainer(options).Fit(resumed, data);
        seen.Add("checkpoint left behind " + File.Exists(options.CheckpointPath));
        seen.Add(RunRecord.Of(history, resumed));
        return string.Join(Environment.NewLine, seen);
    }

    private static InMemoryDataset LowRank(int rows, int seed) => InMemoryDataset.FromArray(Synthetic.LowRank(rows, 16, 3, seed, basisSeed: 11));

    private static string Dense(TrainerOptions options)
    {
        using var data = LowRank(512, seed: 11);
        using var model = SmallSpec.Build(seed: 3);
        return RunRecord.Of(new Trainer(options).Fit(model, data), model);
    }

    private static string Variant(string name, TrainerOptions options) => Spec(VariantCatalog.Specs[name], options);

    private static string Spec(AutoencoderSpec spec, TrainerOptions options)
    {
        using var data = InMemoryDataset.FromArray(VariantCatalog.UnitIntervalData(256, seed: 5), [.. spec.InputShape.Select(d => (long)d)]);
        using var model = spec.Build(seed: 1);
        return RunRecord.Of(new Trainer(options).Fit(model, data), model);
    }
}
