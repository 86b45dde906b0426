using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Training;

public sealed class CallbackTests : IDisposable
{
    private static readonly TrainerOptions Fast = new() { Epochs = 6, BatchSize = 128, LearningRate = 3e-3, Seed = 4, Threads = 1 };
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_user_callback_sees_every_epoch_and_can_stop_training()
    {
        using var data = LowRank();
        using var model = SmallSpec.Build(seed: 1);
        var logger = new StopAtEpoch(3);

        var history = new Trainer(Fast).Fit(model, data, callbacks: [logger]);

        history.Epochs.Should().HaveCount(3);
        logger.Seen.Should().Equal(history.Epochs, "each epoch's report reaches the callback, in order");
        history.StoppedEarly.Should().BeTrue();
        history.StopReason.Should().Be("enough at epoch 3");
    }

    [Fact]
    public void Hooks_run_in_the_documented_order_built_ins_first_then_yours_in_the_order_given_then_progress()
    {
        using var data = LowRank(rows: 300);
        using var model = SmallSpec.Build(seed: 1);
        var calls = new List<string>();
        var options = Fast with { Epochs = 2, Schedule = LearningRateSchedule.Step(every: 1, gamma: 0.5) };
        var progress = new SynchronousProgress<EpochReport>(r => calls.Add($"progress {r.Epoch}"));

        new Trainer(options).Fit(model, data, progress: progress, callbacks: [new Recorder("a", calls), new Recorder("b", calls)]);

        // 300 rows in batches of 128: three batches per epoch. The schedule (built in) has set each
        // epoch's rate before the user callbacks' OnEpochBegin sees it.
        string[] epoch(int e, double rate) =>
        [
            $"a begin {e} lr {rate}", $"b begin {e} lr {rate}",
            .. Enumerable.Range(1, 3).SelectMany(b => new[] { $"a batch {e}.{b}", $"b batch {e}.{b}" }),
            $"a end {e}", $"b end {e}", $"progress {e}",
        ];
        calls.Should().Equal(["a train begin", "b train begin", .. epoch(1, 3e-3), .. epoch(2, 1.5e-3), "a train end", "b train end"]);
    }

    [Fact]
    public void OnBatchLoss_receives_the_values_the_epoch_means_are_made_of()
    {
        using var data = LowRank(rows: 300);
        using var model = AutoencoderSpec.Dense(16, 3, [12]).WithGaussianBottleneck(beta: 0.5).Build(seed: 1);
        var batches = new List<BatchLoss>();

        var history = new Trainer(Fast with { Epochs = 2 }).Fit(model, data, callbacks: [new BatchRecorder(batches)]);

        batches.Select(b => (b.Epoch, b.Batch, b.Size)).Should().Equal((1, 1, 128), (1, 2, 128), (1, 3, 44), (2, 1, 128), (2, 2, 128), (2, 3, 44));
        foreach (var report in history.Epochs)
        {
            var ofEpoch = batches.Where(b => b.Epoch == report.Epoch).ToArray();
            foreach (var (name, mean) in report.TrainTerms)
            {
                var sum = 0.0;
                foreach (var batch in ofEpoch)
                {
                    sum += (double)batch.Terms.Single(t => t.Key == name).Value * batch.Size;
                }

                (sum / data.Count).Should().Be(mean, "the report's mean of '{0}' is made of the same values, bit for bit", name);
            }

            ofEpoch.Should().OnlyContain(b => b.Loss == (float)b.Terms.Sum(t => (double)t.Value));
        }
    }

    [Fact]
    public void Only_callbacks_that_override_OnBatchLoss_are_called_per_step()
    {
        new StopCondition(_ => false).HandlesBatches().Should().BeFalse();
        new CsvLogger(folder.File("log.csv")).HandlesBatches().Should().BeFalse();
        new StopAtEpoch(1).HandlesBatches().Should().BeFalse();
        new BatchRecorder([]).HandlesBatches().Should().BeTrue();
        new DerivedBatchRecorder().HandlesBatches().Should().BeTrue("an override in a base class counts");
        Trainer.BuiltInCallbacks(new TrainerOptions()).Where(c => c.HandlesBatches()).Should().ContainSingle().Which.Should().BeOfType<DivergenceGuard>();
    }

    [Fact]
    public void The_options_switch_on_the_corresponding_built_in_callbacks_in_a_fixed_order()
    {
        Trainer.BuiltInCallbacks(new TrainerOptions { RestoreBestWeights = false }).Select(c => c.GetType())
            .Should().Equal(typeof(DivergenceGuard), typeof(FailureModeWarnings));

        var everything = new TrainerOptions { Schedule = LearningRateSchedule.Cosine(), Patience = 3, CheckpointPath = folder.File("run.ckpt") };
        Trainer.BuiltInCallbacks(everything).Select(c => c.GetType()).Should().Equal(
            typeof(LearningRateScheduler), typeof(DivergenceGuard), typeof(FailureModeWarnings), typeof(BestWeightsRestore), typeof(EarlyStopping), typeof(Checkpointing));
    }

    public static TheoryData<string> Policies() => ["schedule", "early-stopping", "best-weights"];

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_built_in_behaviour_is_its_callback_the_option_adds_it_and_nothing_else(string policy)
    {
        var full = new TrainerOptions
        {
            Epochs = 10, BatchSize = 32, Optimizer = OptimizerKind.Sgd, LearningRate = 1e-2, ValidationFraction = 0.25, Patience = 2,
            Schedule = LearningRateSchedule.Step(every: 3, gamma: 30), GradientClipNorm = 1, Seed = 7, Threads = 1,
        };
        var (without, callback) = policy switch
        {
            "schedule" => (full with { Schedule = LearningRateSchedule.Constant }, (TrainingCallback)new LearningRateScheduler(full.Schedule)),
            "early-stopping" => (full with { Patience = null }, new EarlyStopping(2)),
            _ => (full with { RestoreBestWeights = false }, new BestWeightsRestore()),
        };

        var withOption = Train(full);
        var removed = Train(without);
        var addedBack = Train(without, callback);

        removed.Should().NotBe(withOption, "without the option the run behaves differently");
        addedBack.Should().Be(withOption, "the option adds exactly this callback");
    }

    [Fact]
    public void A_failing_callback_surfaces_with_where_it_failed_and_leaves_the_weights_of_the_last_finished_epoch()
    {
        using var data = LowRank();
        using var model = SmallSpec.Build(seed: 1);
        using var twoEpochs = SmallSpec.Build(seed: 1);
        new Trainer(Fast with { Epochs = 2 }).Fit(twoEpochs, data);
        var failing = new Throwing(onEpochEnd: 2);

        var act = () => new Trainer(Fast).Fit(model, data, callbacks: [failing]);

        var error = act.Should().Throw<TrainingCallbackException>().Which;
        error.Callback.Should().BeSameAs(failing);
        (error.Hook, error.Epoch).Should().Be(("OnEpochEnd", 2));
        error.InnerException.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("boom");
        error.Message.Should().Contain("Throwing failed in OnEpochEnd at epoch 2: boom").And.Contain("end of epoch 2");
        model.training.Should().BeFalse("the model is left in evaluation mode");
        RunRecord.Weights(model).Should().Be(RunRecord.Weights(twoEpochs), "the weights are those at the end of epoch 2");
    }

    [Fact]
    public void A_callback_failing_in_OnBatchLoss_leaves_the_weights_from_before_that_batch()
    {
        using var data = LowRank();
        using var model = SmallSpec.Build(seed: 1);
        var failing = new Throwing(onBatch: (2, 3));

        var act = () => new Trainer(Fast).Fit(model, data, callbacks: [failing]);

        act.Should().Throw<TrainingCallbackException>().Where(e => e.Hook == "OnBatchLoss" && e.Epoch == 2)
            .WithMessage("*before batch 3 of epoch 2*");
        RunRecord.Weights(model).Should().Be(failing.WeightsWhenThrowing);
    }

    [Fact]
    public void A_cancellation_from_a_callback_passes_through_unwrapped()
    {
        using var data = LowRank(rows: 64);
        using var model = SmallSpec.Build(seed: 1);

        var act = () => new Trainer(Fast).Fit(model, data, callbacks: [new Throwing(onEpochEnd: 1, cancel: true)]);

        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void After_a_callback_fails_the_checkpoint_resumes_the_run_bit_identical_to_an_uninterrupted_one()
    {
        using var data = LowRank();
        var options = Fast with { ValidationFraction = 0.25, Patience = 10, Schedule = LearningRateSchedule.Cosine() };
        using var uninterrupted = SmallSpec.Build(seed: 1);
        var expected = RunRecord.Of(new Trainer(options).Fit(uninterrupted, data), uninterrupted);

        var withCheckpoint = options with { CheckpointPath = folder.File("run.ckpt") };
        using var model = SmallSpec.Build(seed: 1);
        var act = () => new Trainer(withCheckpoint).Fit(model, data, callbacks: [new Throwing(onEpochEnd: 4)]);
        act.Should().Throw<TrainingCallbackException>();

        using var resumed = SmallSpec.Build(seed: 99);
        RunRecord.Of(new Trainer(withCheckpoint).Fit(resumed, data), resumed).Should().Be(expected);
    }

    [Fact]
    public void A_run_interrupted_after_the_checkpoint_of_its_early_stop_ends_when_resumed()
    {
        using var data = LowRank();
        var options = new TrainerOptions
        {
            Epochs = 10, BatchSize = 32, Optimizer = OptimizerKind.Sgd, LearningRate = 1e-2, ValidationFraction = 0.25, Patience = 2,
            Schedule = LearningRateSchedule.Step(every: 3, gamma: 30), GradientClipNorm = 1, Seed = 7, Threads = 1,
        };
        using var uninterrupted = SmallSpec.Build(seed: 3);
        var history = new Trainer(options).Fit(uninterrupted, data);
        history.StoppedEarly.Should().BeTrue();

        // The progress report comes after the checkpoint is written: failing there is a crash between
        // the checkpoint of the stopping epoch and the end of the run.
        var withCheckpoint = options with { CheckpointPath = folder.File("run.ckpt") };
        using var model = SmallSpec.Build(seed: 3);
        var crash = new SynchronousProgress<EpochReport>(r =>
        {
            if (r.Epoch == history.Epochs.Count)
            {
                throw new IOException("power cut");
            }
        });
        ((Action)(() => new Trainer(withCheckpoint).Fit(model, data, progress: crash))).Should().Throw<IOException>();

        using var resumed = SmallSpec.Build(seed: 99);
        var again = new Trainer(withCheckpoint).Fit(resumed, data);

        RunRecord.Of(again, resumed).Should().Be(RunRecord.Of(history, uninterrupted));
        again.StopReason.Should().StartWith("early stopping");
    }

    [Fact]
    public void StopCondition_ends_the_run_after_the_first_epoch_that_meets_it()
    {
        using var data = LowRank();
        using var model = SmallSpec.Build(seed: 1);

        var history = new Trainer(Fast with { Epochs = 30 }).Fit(model, data, callbacks: [new StopCondition(r => r.TrainLoss < 10, "loss below 10")]);

        history.Epochs[^1].TrainLoss.Should().BeLessThan(10);
        history.Epochs.SkipLast(1).Should().OnlyContain(r => r.TrainLoss >= 10);
        history.Epochs.Count.Should().BeLessThan(30);
        (history.StoppedEarly, history.StopReason).Should().Be((true, "loss below 10"));
    }

    [Fact]
    public void A_user_callback_can_save_a_snapshot_of_the_best_epoch()
    {
        using var train = LowRank();
        using var validation = LowRank(rows: 128, seed: 12);
        using var model = SmallSpec.Build(seed: 3);
        var path = folder.File("best.aemodel");
        var options = new TrainerOptions
        {
            Epochs = 4, BatchSize = 32, Optimizer = OptimizerKind.Sgd, LearningRate = 1e-2, GradientClipNorm = 1,
            Schedule = LearningRateSchedule.Step(every: 2, gamma: 30), RestoreBestWeights = false, Seed = 1, Threads = 1,
        };

        var history = new Trainer(options).Fit(model, train, validation, callbacks: [new SaveBest(path)]);

        history.BestEpoch.Should().BeLessThan(history.Epochs.Count, "later epochs got worse, so the snapshot is not the final model");
        using var best = Autoencoder.Load(path);
        var bestValidation = history.Epochs[history.BestEpoch - 1].ValidationLoss!.Value;
        (best.MeanSquaredError(validation) * 16).Should().BeApproximately(bestValidation, 1e-4 * bestValidation);
    }

    [Fact]
    public void A_callback_can_set_the_learning_rate_and_an_invalid_rate_is_refused()
    {
        using var data = LowRank(rows: 64);
        using var model = SmallSpec.Build(seed: 1);

        var history = new Trainer(Fast with { Epochs = 3 }).Fit(model, data, callbacks: [new HalveRate()]);

        history.Epochs.Select(e => e.LearningRate).Should().Equal(1.5e-3, 0.75e-3, 0.375e-3);
        var act = () => new Trainer(Fast).Fit(model, data, callbacks: [new NegativeRate()]);
        act.Should().Throw<TrainingCallbackException>().WithInnerException<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_null_callback_is_refused_before_training()
    {
        using var data = LowRank(rows: 64);
        using var model = SmallSpec.Build(seed: 1);

        var act = () => new Trainer(Fast).Fit(model, data, callbacks: [new StopAtEpoch(1), null!]);

        act.Should().Throw<ArgumentException>().WithMessage("*position 1 is null*");
    }

    private static AutoencoderSpec SmallSpec => AutoencoderSpec.Dense(16, 3, [32]);

    private static InMemoryDataset LowRank(int rows = 512, int seed = 11) => InMemoryDataset.FromArray(Synthetic.LowRank(rows, 16, 3, seed, basisSeed: 11));

    private static string Train(TrainerOptions options, params TrainingCallback[] callbacks)
    {
        using var data = LowRank();
        using var model = SmallSpec.Build(seed: 3);
        return RunRecord.Of(new Trainer(options).Fit(model, data, callbacks: callbacks), model);
    }

    private sealed class StopAtEpoch(int epoch) : TrainingCallback
    {
        public List<EpochReport> Seen { get; } = [];

        public override void OnEpochEnd(TrainingContext context, EpochReport report)
        {
            Seen.Add(report);
            if (report.Epoch == epoch)
            {
                context.RequestStop($"enough at epoch {epoch}");
            }
        }
    }

    private sealed class Recorder(string name, List<string> calls) : TrainingCallback
    {
        public override void OnTrainBegin(TrainingContext context) => calls.Add($"{name} train begin");

        public override void OnEpochBegin(TrainingContext context, int epoch) => calls.Add($"{name} begin {epoch} lr {context.LearningRate}");

        public override void OnBatchLoss(TrainingContext context, BatchLoss batch) => calls.Add($"{name} batch {batch.Epoch}.{batch.Batch}");

        public override void OnEpochEnd(TrainingContext context, EpochReport report) => calls.Add($"{name} end {report.Epoch}");

        public override void OnTrainEnd(TrainingContext context) => calls.Add($"{name} train end");
    }

    private class BatchRecorder(List<BatchLoss> batches) : TrainingCallback
    {
        public override void OnBatchLoss(TrainingContext context, BatchLoss batch) => batches.Add(batch);
    }

    private sealed class DerivedBatchRecorder() : BatchRecorder([]);

    private sealed class Throwing(int onEpochEnd = 0, (int Epoch, int Batch)? onBatch = null, bool cancel = false) : TrainingCallback
    {
        public string? WeightsWhenThrowing { get; private set; }

        public override void OnBatchLoss(TrainingContext context, BatchLoss batch)
        {
            if ((batch.Epoch, batch.Batch) == onBatch)
            {
                WeightsWhenThrowing = RunRecord.Weights(context.Model);
                throw new InvalidOperationException("boom");
            }
        }

        public override void OnEpochEnd(TrainingContext context, EpochReport report)
        {
            if (report.Epoch == onEpochEnd)
            {
                throw cancel ? new OperationCanceledException() : new InvalidOperationException("boom");
            }
        }
    }

    private sealed class SaveBest(string path) : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context, EpochReport report)
        {
            if (report.IsBest)
            {
                context.Model.Save(path);
            }
        }
    }

    private sealed class HalveRate : TrainingCallback
    {
        public override void OnEpochBegin(TrainingContext context, int epoch) => context.LearningRate /= 2;
    }

    private sealed class NegativeRate : TrainingCallback
    {
        public override void OnTrainBegin(TrainingContext context) => context.LearningRate = -1;
    }
}
