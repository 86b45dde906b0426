using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using TorchSharp;

namespace Autoencoders.Tests.Training;

public sealed class TrainerTests
{
    private static InMemoryDataset LowRankData(int rows = 512, int seed = 11) =>
        InMemoryDataset.FromArray(Synthetic.LowRank(rows, 16, 3, seed));

    private static AutoencoderSpec SmallSpec => AutoencoderSpec.Dense(16, 3, [32]);

    [Fact]
    public void Training_reduces_the_loss_on_low_rank_data()
    {
        using var data = LowRankData();
        using var model = SmallSpec.Build(seed: 1);
        var before = model.MeanSquaredError(data);

        var history = new Trainer(new TrainerOptions { Epochs = 30, BatchSize = 32, LearningRate = 3e-3 }).Fit(model, data);

        var after = model.MeanSquaredError(data);
        after.Should().BeLessThan(0.1 * before);
        history.Epochs.Should().HaveCount(30);
        history.TrainLosses[^1].Should().BeLessThan(history.TrainLosses[0]);
        history.Epochs[^1].TrainTerms.Keys.Should().Equal(LossTerms.Reconstruction);
        (history.TrainLosses[^1] / 16).Should().BeApproximately(after, 0.5 * after, "the reported loss is summed over the 16 features");
    }

    [Fact]
    public void The_same_seed_and_thread_count_give_a_bit_identical_loss_history_and_weights()
    {
        using var data = LowRankData();
        var options = new TrainerOptions { Epochs = 4, BatchSize = 50, Seed = 5, Threads = 1 };

        using var a = SmallSpec.Build(seed: 3);
        using var b = SmallSpec.Build(seed: 3);
        var historyA = new Trainer(options).Fit(a, data);
        var historyB = new Trainer(options).Fit(b, data);

        historyB.TrainLosses.Should().Equal(historyA.TrainLosses);
        b.parameters().Last().data<float>().ToArray().Should().Equal(a.parameters().Last().data<float>().ToArray());
    }

    [Fact]
    public void Another_shuffling_seed_gives_another_history()
    {
        using var data = LowRankData();
        using var a = SmallSpec.Build(seed: 3);
        using var b = SmallSpec.Build(seed: 3);

        var historyA = new Trainer(new TrainerOptions { Epochs = 2, Seed = 1 }).Fit(a, data);
        var historyB = new Trainer(new TrainerOptions { Epochs = 2, Seed = 2 }).Fit(b, data);

        historyB.TrainLosses.Should().NotEqual(historyA.TrainLosses);
    }

    [Fact]
    public void Early_stopping_ends_the_run_after_patience_epochs_without_improvement()
    {
        using var data = LowRankData();
        using var model = SmallSpec.Build(seed: 3);
        var options = new TrainerOptions
        {
            Epochs = 20,
            Patience = 2,
            MinDelta = 1e-3,
            ValidationFraction = 0.25,
            Schedule = LearningRateSchedule.Step(every: 1, gamma: 1e-9),
        };

        var history = new Trainer(options).Fit(model, data);

        history.Epochs.Should().HaveCount(3, "epoch 1 improves, the next two at a negligible learning rate do not");
        history.StoppedEarly.Should().BeTrue();
        history.BestEpoch.Should().Be(1);
        history.Epochs.Should().OnlyContain(e => e.ValidationLoss.HasValue);
    }

    [Fact]
    public void The_best_weights_are_restored_when_later_epochs_get_worse()
    {
        using var train = LowRankData(seed: 11);
        using var validation = LowRankData(rows: 128, seed: 12);
        using var model = SmallSpec.Build(seed: 3);
        var options = new TrainerOptions
        {
            Epochs = 4,
            BatchSize = 32,
            Optimizer = OptimizerKind.Sgd,
            LearningRate = 1e-2,
            GradientClipNorm = 1,
            Schedule = LearningRateSchedule.Step(every: 2, gamma: 30),
        };

        var history = new Trainer(options).Fit(model, train, validation);

        history.RestoredBestWeights.Should().BeTrue();
        history.BestEpoch.Should().BeLessThan(history.Epochs.Count);
        var bestValidation = history.Epochs[history.BestEpoch - 1].ValidationLoss!.Value;
        (model.MeanSquaredError(validation) * 16).Should().BeApproximately(bestValidation, 1e-4 * bestValidation);
        history.ValidationLosses[^1].Should().BeGreaterThan(bestValidation);
    }

    [Fact]
    public void Unscaled_data_stops_training_with_a_message_about_scaling()
    {
        using var data = InMemoryDataset.FromArray(Synthetic.LowRank(64, 16, 3, seed: 1, scale: 1e19));
        using var model = SmallSpec.Build(seed: 1);

        var act = () => new Trainer(new TrainerOptions { Epochs = 2 }).Fit(model, data);

        act.Should().Throw<TrainingDivergedException>()
            .Where(e => e.Epoch == 1 && e.Batch == 1 && e.Term == LossTerms.Reconstruction)
            .WithMessage("*epoch 1, batch 1*Scaler*");
    }

    [Fact]
    public void A_learning_rate_that_is_far_too_high_stops_training_with_a_message_about_the_rate()
    {
        using var data = LowRankData();
        using var model = SmallSpec.Build(seed: 1);

        var act = () => new Trainer(new TrainerOptions { Epochs = 20, Optimizer = OptimizerKind.Sgd, LearningRate = 1e3 }).Fit(model, data);

        act.Should().Throw<TrainingDivergedException>().WithMessage("*learning rate*");
    }

    [Fact]
    public void The_scaler_lets_a_model_train_on_data_in_large_units()
    {
        var rows = Synthetic.LowRank(512, 16, 3, seed: 4, offset: 5e4, scale: 1e3);
        using var data = InMemoryDataset.FromArray(rows);
        using var model = SmallSpec.Build(seed: 1);
        model.Scaler = StandardScaler.Fit(data);

        new Trainer(new TrainerOptions { Epochs = 30, BatchSize = 32, LearningRate = 3e-3 }).Fit(model, data);

        var reconstruction = model.Reconstruct(rows);
        double error = 0;
        for (var i = 0; i < 512; i++)
        {
            for (var f = 0; f < 16; f++)
            {
                error += Math.Pow(reconstruction[i, f] - rows[i, f], 2);
            }
        }

        Math.Sqrt(error / (512 * 16)).Should().BeLessThan(0.2 * 1e3, "the error is small compared with the data's spread");
    }

    [Fact]
    public void Progress_is_reported_every_epoch_and_cancellation_stops_between_steps()
    {
        using var data = LowRankData();
        using var model = SmallSpec.Build(seed: 1);
        using var cancel = new CancellationTokenSource();
        var reports = new List<EpochReport>();
        var progress = new SynchronousProgress<EpochReport>(r =>
        {
            reports.Add(r);
            if (r.Epoch == 2)
            {
                cancel.Cancel();
            }
        });

        var act = () => new Trainer(new TrainerOptions { Epochs = 10 }).Fit(model, data, progress: progress, cancellationToken: cancel.Token);

        act.Should().Throw<OperationCanceledException>();
        reports.Select(r => r.Epoch).Should().Equal(1, 2);
        reports[0].SamplesPerSecond.Should().BePositive();
        reports[0].ToString().Should().StartWith("epoch 1/10  loss ");
    }

    [Fact]
    public void The_thread_count_is_set_for_the_run_and_restored_afterwards()
    {
        using var data = LowRankData(rows: 64);
        using var model = SmallSpec.Build(seed: 1);
        torch.set_num_threads(2);
        var seen = 0;
        var progress = new SynchronousProgress<EpochReport>(_ => seen = torch.get_num_threads());

        var history = new Trainer(new TrainerOptions { Epochs = 1, Threads = 1 }).Fit(model, data, progress: progress);

        seen.Should().Be(1);
        history.Threads.Should().Be(1);
        torch.get_num_threads().Should().Be(2);
    }

    [Fact]
    public void Data_of_the_wrong_shape_is_refused_before_training()
    {
        using var data = InMemoryDataset.FromArray(new float[10, 15]);
        using var model = SmallSpec.Build(seed: 1);

        var act = () => new Trainer().Fit(model, data);

        act.Should().Throw<ArgumentException>().WithMessage("*15 features*16 features*");
    }

    [Theory]
    [InlineData("epochs")]
    [InlineData("batch")]
    [InlineData("rate")]
    [InlineData("fraction")]
    [InlineData("threads")]
    public void Invalid_options_are_refused_with_a_message(string which)
    {
        var options = which switch
        {
            "epochs" => new TrainerOptions { Epochs = 0 },
            "batch" => new TrainerOptions { BatchSize = -1 },
            "rate" => new TrainerOptions { LearningRate = double.NaN },
            "fraction" => new TrainerOptions { ValidationFraction = 1 },
            _ => new TrainerOptions { Threads = 0 },
        };

        var act = () => new Trainer(options);

        act.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Sgd)]
    public void Every_optimizer_trains(OptimizerKind optimizer)
    {
        using var data = LowRankData();
        using var model = SmallSpec.Build(seed: 1);
        var rate = optimizer == OptimizerKind.Sgd ? 1e-2 : 3e-3;

        var history = new Trainer(new TrainerOptions { Epochs = 5, BatchSize = 32, Optimizer = optimizer, LearningRate = rate, WeightDecay = 1e-4, GradientClipNorm = 5 })
            .Fit(model, data);

        history.TrainLosses[^1].Should().BeLessThan(0.7 * history.TrainLosses[0]);
    }

    [Fact]
    public void Cosine_and_step_schedules_give_the_documented_rates()
    {
        var cosine = LearningRateSchedule.Cosine(minimum: 0.1);
        cosine.RateAt(0, 5, 1.0).Should().BeApproximately(1.0, 1e-12);
        cosine.RateAt(2, 5, 1.0).Should().BeApproximately(0.55, 1e-12);
        cosine.RateAt(4, 5, 1.0).Should().BeApproximately(0.1, 1e-12);

        var step = LearningRateSchedule.Step(every: 2, gamma: 0.5);
        Enumerable.Range(0, 5).Select(e => step.RateAt(e, 5, 1.0)).Should().Equal(1.0, 1.0, 0.5, 0.5, 0.25);
        LearningRateSchedule.Constant.RateAt(3, 5, 0.01).Should().Be(0.01);
    }
}
