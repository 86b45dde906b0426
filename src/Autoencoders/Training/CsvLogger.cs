using System.Globalization;
using System.Text;

namespace Autoencoders.Training;

/// <summary>
/// A callback that writes one CSV row per epoch: the losses and each loss term (training, then
/// validation with a <c>val_</c> prefix), the learning rate, whether the epoch was the best so far, the
/// model's diagnostics, and the epoch's time and throughput. Losses are written with round-trip
/// precision, in the invariant culture.
/// </summary>
/// <example>
/// <code>
/// trainer.Fit(model, train, callbacks: [new CsvLogger("history.csv")]);
/// // epoch,loss,reconstruction,kl,val_loss,val_reconstruction,val_kl,learning_rate,best,active_units,seconds,samples_per_second
/// // 1,41.2061…,39.8742…,1.3318…,38.5170…,…
/// </code>
/// </example>
/// <remarks>
/// The file is rewritten when a run begins, so it always holds exactly the run's epochs: a run resumed
/// from a checkpoint starts it again with the epochs done before the interruption. Each epoch then
/// appends its row, so the file is complete up to the last finished epoch at any moment.
/// </remarks>
public sealed class CsvLogger : TrainingCallback
{
    private string[]? trainTerms;
    private string[]? validationTerms;
    private string[]? diagnostics;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">The CSV file to write; its folder must exist when training starts.</param>
    public CsvLogger(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The full path of the CSV file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write the training log '{Path}': the folder '{folder}' does not exist.");
        }

        trainTerms = null;
        var text = new StringBuilder();
        foreach (var report in context.Epochs)
        {
            AppendRow(text, report);
        }

        File.WriteAllText(Path, text.ToString());
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var row = new StringBuilder();
        AppendRow(row, report);
        File.AppendAllText(Path, row.ToString());
    }

    private void AppendRow(StringBuilder text, EpochReport report)
    {
        if (trainTerms is null)
        {
            // The columns are those of the first epoch: a run's terms and diagnostics do not change.
            trainTerms = [.. report.TrainTerms.Keys];
            validationTerms = report.ValidationTerms is { } terms ? [.. terms.Keys] : null;
            diagnostics = [.. report.Diagnostics.Keys];
            IEnumerable<string> validationColumns = validationTerms is null ? [] : ["val_loss", .. validationTerms.Select(t => "val_" + t)];
            string[] header = ["epoch", "loss", .. trainTerms, .. validationColumns, "learning_rate", "best", .. diagnostics, "seconds", "samples_per_second"];
            text.AppendJoin(',', header.Select(Escape)).Append('\n');
        }

        IEnumerable<string> validation = validationTerms is null
            ? []
            : [Number(report.ValidationLoss), .. validationTerms.Select(t => Number(report.ValidationTerms?.GetValueOrDefault(t, double.NaN)))];
        string[] row =
        [
            report.Epoch.ToString(CultureInfo.InvariantCulture),
            Number(report.TrainLoss),
            .. trainTerms.Select(t => Number(report.TrainTerms.GetValueOrDefault(t, double.NaN))),
            .. validation,
            Number(report.LearningRate),
            report.IsBest ? "true" : "false",
            .. diagnostics!.Select(d => Number(report.Diagnostics.GetValueOrDefault(d, double.NaN))),
            report.Duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            report.SamplesPerSecond.ToString("0", CultureInfo.InvariantCulture),
        ];
        text.AppendJoin(',', row).Append('\n');
    }

    private static string Number(double? value) => (value ?? double.NaN).ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
