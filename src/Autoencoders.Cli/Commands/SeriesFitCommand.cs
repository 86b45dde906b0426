using System.CommandLine;
using System.Globalization;
using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Model;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders series fit</c>: trains a time-series detector on a CSV of normal behaviour and saves it.</summary>
internal static class SeriesFitCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new Argument<string>("data") { Description = "Normal behaviour: a CSV with a header, an optional timestamp column and one column per sensor." };
        var output = new Option<string>("--output", "-o") { Description = "Where to save the detector.", Required = true };
        var timestamp = new Option<string?>("--timestamp") { Description = "The timestamp column (default: one named timestamp, time, datetime or date, if any; \"\" for none)." };
        var columns = new Option<string?>("--columns") { Description = "The sensor columns, comma-separated (default: every other column)." };
        var window = new Option<int>("--window", "-w") { Description = "Time steps per window.", DefaultValueFactory = _ => TimeSeriesDetectorOptions.Default.WindowLength };
        var stride = new Option<int>("--stride") { Description = "Steps between training windows.", DefaultValueFactory = _ => 1 };
        var timeFeatures = new Option<string>("--time-features")
        {
            Description = "Calendar inputs from the timestamps: none, time-of-day, day-of-week or both (a daily pattern at the wrong hour becomes an anomaly).",
            DefaultValueFactory = _ => "none",
        };
        var threshold = new Option<string>("--threshold", "-t")
        {
            Description = "The decision rule on the step scores: fpr:R (false-positive rate R on the last 20% of the data), contamination:F, std:K, max or fixed:V.",
            DefaultValueFactory = _ => "fpr:0.01",
        };
        var postprocess = new Option<bool>("--postprocess") { Description = "Add the anomaly likelihood and alarm suppression: one early alarm per anomaly." };
        var fill = new Option<bool>("--fill-missing") { Description = "Fill missing values (empty cells, NaN) from the step before instead of refusing them." };
        var epochs = new Option<int>("--epochs", "-e") { Description = "The most epochs to train.", DefaultValueFactory = _ => DefaultSeriesArchitecture.Training.Epochs };
        var latent = new Option<int?>("--latent", "-l") { Description = "The code size (default: about √(channels × window) / 2)." };
        var hidden = new Option<string?>("--hidden") { Description = "Hidden widths, comma-separated (default: one layer of half the window's values)." };
        var seed = new Option<long>("--seed") { Description = "The seed of initialisation and shuffling.", DefaultValueFactory = _ => 0 };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress lines." };
        var command = new Command("fit", """
            Trains a time-series detector on a span of normal behaviour and saves it: the window, the channels and their
            scaling, the model, the threshold and the clean calibration scores. Warnings about the input (gaps and steps
            back in the timestamps, filled values) go to standard error.

            Examples:
              autoencoders series fit normal.csv -o machine.aemodel
              autoencoders series fit normal.csv -o machine.aemodel --columns temperature,vibration --window 32 --time-features time-of-day
              autoencoders series fit normal.csv -o machine.aemodel --postprocess --fill-missing
            """);
        foreach (Option option in new Option[] { output, timestamp, columns, window, stride, timeFeatures, threshold, postprocess, fill, epochs, latent, hidden, seed, quiet })
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(data);
        command.SetAction((result, token) => Task.FromResult(CliApp.Guard(stderr, () =>
        {
            var path = CliApp.ExistingFile(result.GetValue(data)!, "data");
            var table = SeriesCsvReader.Read(path, result.GetValue(timestamp), SplitNames(result.GetValue(columns)));
            stderr.WriteLine($"Read {path}: {table.Steps} steps × {table.Channels} channels ({string.Join(", ", table.ChannelNames)}){(table.Timestamps is null ? ", no timestamps" : string.Empty)}");
            var features = ParseTimeFeatures(result.GetValue(timeFeatures)!);
            var length = result.GetValue(window);
            if (result.GetValue(epochs) < 1)
            {
                throw new UsageException($"--epochs must be at least 1, not {result.GetValue(epochs)}.");
            }

            var options = TimeSeriesDetectorOptions.Default with
            {
                WindowLength = length,
                Stride = result.GetValue(stride),
                Spec = Spec(DefaultSeriesArchitecture.InputChannels(table.Channels, features), length, result.GetValue(latent), ModelOptions.ParseList(result.GetValue(hidden), "--hidden")),
                TimeFeatures = features,
                Threshold = DetectCommand.ParseThreshold(result.GetValue(threshold)!),
                Postprocessing = result.GetValue(postprocess) ? SeriesPostprocessing.Default : null,
                MissingValues = result.GetValue(fill) ? MissingValues.ForwardFill : MissingValues.Refuse,
                Training = DefaultSeriesArchitecture.Training with { Epochs = result.GetValue(epochs) },
                ChannelNames = table.ChannelNames,
                Seed = result.GetValue(seed),
            };
            using var detector = TimeSeriesAnomalyDetector.Fit(table.Values, table.Timestamps, options, new ProgressLog(stderr, result.GetValue(quiet)), token);
            foreach (var warning in detector.FitWarnings)
            {
                stderr.WriteLine($"warning: {warning}");
            }

            var target = result.GetValue(output)!;
            detector.Save(target);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Saved {target}: {detector.ChannelCount} channel(s) ({string.Join(", ", table.ChannelNames)}), windows of {detector.WindowLength} steps, threshold {detector.DecisionThreshold:g6} ({detector.ThresholdRule}){(options.Postprocessing is null ? string.Empty : ", with post-processing")}."));
            return ExitCodes.Ok;
        })));
        return command;
    }

    internal static IReadOnlyList<string>? SplitNames(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static TimeFeatures ParseTimeFeatures(string text) => text.ToLowerInvariant() switch
    {
        "none" => TimeFeatures.None,
        "time-of-day" => TimeFeatures.TimeOfDay,
        "day-of-week" => TimeFeatures.DayOfWeek,
        "both" => TimeFeatures.TimeOfDay | TimeFeatures.DayOfWeek,
        _ => throw new UsageException($"Unknown time features '{text}'. Use none, time-of-day, day-of-week or both."),
    };

    /// <summary>The default architecture, with the code size or hidden widths the command line asks for; null without either.</summary>
    private static AutoencoderSpec? Spec(int channels, int length, int? latent, int[]? hidden)
    {
        if (latent is null && hidden is null)
        {
            return null;
        }

        if (latent is < 1 || length < 1)
        {
            throw new UsageException("--latent and --window must be at least 1.");
        }

        try
        {
            return DefaultSeriesArchitecture.For(channels, length, latent, hidden);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"The model does not fit windows of {channels} × {length} values: {e.Message}", e);
        }
    }
}
