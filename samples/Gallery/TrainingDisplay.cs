using System.Globalization;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;
using Spectre.Console;

namespace Gallery;

/// <summary>Trains models behind a Spectre.Console progress bar (one bar per model, updated each epoch).</summary>
internal static class TrainingDisplay
{
    /// <summary>Builds <paramref name="spec"/> and trains it on <paramref name="data"/> with a progress bar titled <paramref name="title"/>.</summary>
    public static Autoencoder Train(string title, AutoencoderSpec spec, InMemoryDataset data, int epochs, long seed = 42)
    {
        var model = spec.Build(seed);
        var options = new TrainerOptions { Epochs = epochs, BatchSize = 128, LearningRate = 2e-3, Seed = seed };
        TrainingHistory? history = null;
        Run(title, epochs, progress => history = new Trainer(options).Fit(model, data, progress: progress));
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"  [green]✓[/] {Markup.Escape(title)}: {history!.Epochs.Count} epochs, loss {history.Epochs[^1].TrainLoss:g4}, {history.Duration.TotalSeconds:f1} s"));
        return model;
    }

    /// <summary>Runs <paramref name="body"/> with a progress reporter that advances a bar of <paramref name="epochs"/> steps.</summary>
    public static void Run(string title, int epochs, Action<IProgress<EpochReport>> body) =>
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: epochs);
                body(new Reporter(task, title));
                task.Value = task.MaxValue;
            });

    private sealed class Reporter(ProgressTask task, string title) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            task.MaxValue = value.Epochs;
            task.Value = value.Epoch;
            task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{title}  epoch {value.Epoch}/{value.Epochs}  loss {value.TrainLoss:g4}"));
        }
    }
}
