using System.Globalization;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Training;

public sealed class CsvLoggerTests : IDisposable
{
    private static readonly AutoencoderSpec Vae = AutoencoderSpec.Dense(16, 3, [12]).WithGaussianBottleneck(beta: 0.5);
    private static readonly TrainerOptions Options = new() { Epochs = 4, BatchSize = 64, LearningRate = 3e-3, ValidationFraction = 0.25, Seed = 2, Threads = 1 };
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Writes_a_header_and_one_row_per_epoch_with_every_loss_exact()
    {
        using var data = InMemoryDataset.FromArray(Synthetic.LowRank(256, 16, 3, seed: 1));
        using var model = Vae.Build(seed: 1);
        var path = folder.File("history.csv");

        var history = new Trainer(Options).Fit(model, data, callbacks: [new CsvLogger(path)]);

        var lines = File.ReadAllLines(path);
        lines[0].Should().Be("epoch,loss,reconstruction,kl,val_loss,val_reconstruction,val_kl,learning_rate,best,active_units,seconds,samples_per_second");
        lines.Should().HaveCount(1 + history.Epochs.Count);
        foreach (var (line, report) in lines.Skip(1).Zip(history.Epochs))
        {
            var cells = line.Split(',');
            int.Parse(cells[0], CultureInfo.InvariantCulture).Should().Be(report.Epoch);
            double[] expected =
            [
                report.TrainLoss, report.TrainTerms["reconstruction"], report.TrainTerms["kl"],
                report.ValidationLoss!.Value, report.ValidationTerms!["reconstruction"], report.ValidationTerms["kl"], report.LearningRate,
            ];
            cells[1..8].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).Should().Equal(expected);
            bool.Parse(cells[8]).Should().Be(report.IsBest);
            double.Parse(cells[9], CultureInfo.InvariantCulture).Should().Be(report.Diagnostics[Autoencoder.ActiveUnitsDiagnostic]);
        }
    }

    [Fact]
    public void A_resumed_run_logs_the_whole_run_as_an_uninterrupted_one_does()
    {
        using var data = InMemoryDataset.FromArray(Synthetic.LowRank(256, 16, 3, seed: 1));
        var uninterruptedLog = folder.File("uninterrupted.csv");
        using (var uninterrupted = Vae.Build(seed: 1))
        {
            new Trainer(Options).Fit(uninterrupted, data, callbacks: [new CsvLogger(uninterruptedLog)]);
        }

        var log = folder.File("resumed.csv");
        var withCheckpoint = Options with { CheckpointPath = folder.File("run.ckpt") };
        using var cancel = new CancellationTokenSource();
        using (var interrupted = Vae.Build(seed: 1))
        {
            var stopAfterTwo = new SynchronousProgress<EpochReport>(r =>
            {
                if (r.Epoch == 2)
                {
                    cancel.Cancel();
                }
            });
            ((Action)(() => new Trainer(withCheckpoint).Fit(interrupted, data, progress: stopAfterTwo, callbacks: [new CsvLogger(log)], cancellationToken: cancel.Token)))
                .Should().Throw<OperationCanceledException>();
        }

        File.ReadAllLines(log).Should().HaveCount(3, "the header and the two finished epochs");
        using (var resumed = Vae.Build(seed: 1))
        {
            new Trainer(withCheckpoint).Fit(resumed, data, callbacks: [new CsvLogger(log)]);
        }

        WithoutTimes(log).Should().Equal(WithoutTimes(uninterruptedLog));
    }

    [Fact]
    public void A_missing_folder_stops_training_before_the_first_step_with_a_message_naming_it()
    {
        using var data = InMemoryDataset.FromArray(Synthetic.LowRank(64, 16, 3, seed: 1));
        using var model = Vae.Build(seed: 1);
        var before = RunRecord.Weights(model);
        var missing = Path.Combine(folder.Path, "no-such-folder");

        var act = () => new Trainer(Options).Fit(model, data, callbacks: [new CsvLogger(Path.Combine(missing, "log.csv"))]);

        act.Should().Throw<TrainingCallbackException>()
            .Where(e => e.Hook == "OnTrainBegin" && e.InnerException is DirectoryNotFoundException)
            .WithMessage($"*CsvLogger*{missing}*does not exist*");
        RunRecord.Weights(model).Should().Be(before);
    }

    private static string[] WithoutTimes(string path) => [.. File.ReadAllLines(path).Select(l => string.Join(',', l.Split(',').SkipLast(2)))];
}
