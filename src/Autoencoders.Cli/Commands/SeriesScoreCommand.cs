using System.CommandLine;
using System.Globalization;
using Autoencoders.Applications;
using Autoencoders.Data;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders series score</c>: scores a CSV, or standard input line by line, with a saved time-series detector.</summary>
internal static class SeriesScoreCommand
{
    public static Command Create(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var detectorPath = new Argument<string>("detector") { Description = "A detector saved by 'series fit'." };
        var data = new Argument<string>("data") { Description = "A CSV with the detector's sensor columns, or - to read standard input line by line (live use)." };
        var output = new Option<string?>("--output", "-o") { Description = "A CSV file to write; standard output when left out." };
        var timestamp = new Option<string?>("--timestamp") { Description = "The timestamp column (default: one named timestamp, time, datetime or date, if any; \"\" for none)." };
        var scoring = new Option<string>("--scoring")
        {
            Description = "causal (each step from the window that ends at it; what a live feed gets), mean or max (from every window that contains it; files only).",
            DefaultValueFactory = _ => "causal",
        };
        var top = new Option<int>("--top") { Description = "For each anomaly, name this many sensors with the largest errors (0: none).", DefaultValueFactory = _ => 1 };
        var command = new Command("score", """
            Scores every step and writes CSV: step (0-based), the timestamp if the input has one, score (the reconstruction
            error), p_value (against the clean calibration scores: small is anomalous), likelihood (with post-processing),
            anomaly and the sensors that are off. The first window length - 1 steps have no causal score (empty cells).
            With - as the data the header comes first on standard input, then one row per line, and each row's result is
            written and flushed as soon as the row arrives. Sensor columns are matched by name. Exits 0 whether or not
            steps are flagged.

            Examples:
              autoencoders series score machine.aemodel today.csv -o scores.csv
              autoencoders series score machine.aemodel today.csv --scoring mean --top 2
              tail -n +1 -f feed.csv | autoencoders series score machine.aemodel -
            """);
        command.Arguments.Add(detectorPath);
        command.Arguments.Add(data);
        command.Options.Add(output);
        command.Options.Add(timestamp);
        command.Options.Add(scoring);
        command.Options.Add(top);
        command.SetAction(result => CliApp.Guard(stderr, () =>
        {
            using var detector = TimeSeriesAnomalyDetector.Load(CliApp.ExistingFile(result.GetValue(detectorPath)!, "detector"));
            var count = CliApp.NotNegative(result.GetValue(top), "--top");

            var mode = ParseScoring(result.GetValue(scoring)!);
            var source = result.GetValue(data)!;
            var live = source == "-";
            if (live && mode != StepScoring.Causal)
            {
                throw new UsageException("Standard input is scored as it arrives, so only causally: --scoring mean and max need a file.");
            }

            var path = live ? null : CliApp.ExistingFile(source, "data");
            using var file = path is null ? null : new StreamReader(path);
            var reader = new SeriesCsvReader(file ?? stdin, result.GetValue(timestamp), detector.ChannelNames, path is null ? "standard input" : $"CSV file '{path}'");
            var target = result.GetValue(output);
            var table = new StepTable(detector, reader.TimestampColumn is not null, count);
            var flagged = target is null
                ? Write(stdout, detector, reader, table, mode, live, stderr)
                : WriteFile(target, detector, reader, table, mode, live, stderr);
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{flagged.Anomalies} of {flagged.Steps} steps flagged ({(detector.Options.Postprocessing is null ? $"threshold {detector.DecisionThreshold:g6}, {detector.ThresholdRule}" : "alarms of the post-processing")})."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static (int Steps, int Anomalies) WriteFile(string path, TimeSeriesAnomalyDetector detector, SeriesCsvReader reader, StepTable table, StepScoring mode, bool live, TextWriter log)
    {
        var temporary = path + ".tmp";
        (int, int) counts;
        using (var writer = new StreamWriter(temporary))
        {
            counts = Write(writer, detector, reader, table, mode, live, log);
        }

        File.Move(temporary, path, overwrite: true);
        return counts;
    }

    private static (int Steps, int Anomalies) Write(TextWriter writer, TimeSeriesAnomalyDetector detector, SeriesCsvReader reader, StepTable table, StepScoring mode, bool live, TextWriter log)
    {
        writer.WriteLine(table.Header);
        if (!live)
        {
            var series = reader.ReadToEnd();
            var detection = detector.Detect(series.Values, series.Timestamps, mode);
            foreach (var warning in detection.Warnings)
            {
                log.WriteLine($"warning: {warning}");
            }

            foreach (var step in detection.Steps)
            {
                writer.WriteLine(table.Row(step, series.Timestamps?[step.Step]));
            }

            return (detection.Steps.Count, detection.Steps.Count(s => s.IsAnomaly));
        }

        using var stream = detector.OpenStream();
        int steps = 0, anomalies = 0;
        DateTime? previous = null;
        while (reader.TryRead(out var row))
        {
            if (row.Timestamp is { } time && previous is { } before && time <= before)
            {
                log.WriteLine($"warning: line {row.Line}: timestamp {time:yyyy-MM-dd HH:mm:ss} is not after the one before; rows are taken in the order they come.");
            }

            previous = row.Timestamp ?? previous;
            StepScore step;
            try
            {
                step = stream.Push(row.Values, row.Timestamp);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"standard input, line {row.Line}: {e.Message}", e);
            }

            writer.WriteLine(table.Row(step, row.Timestamp));
            writer.Flush();
            steps++;
            anomalies += step.IsAnomaly ? 1 : 0;
        }

        return (steps, anomalies);
    }

    private static StepScoring ParseScoring(string text) => text.ToLowerInvariant() switch
    {
        "causal" => StepScoring.Causal,
        "mean" => StepScoring.MeanOfCovering,
        "max" => StepScoring.MaxOfCovering,
        _ => throw new UsageException($"Unknown scoring '{text}'. Use causal, mean or max."),
    };

    /// <summary>The output columns and how a step fills them.</summary>
    private sealed class StepTable(TimeSeriesAnomalyDetector detector, bool timestamps, int top)
    {
        private readonly bool _likelihood = detector.Options.Postprocessing is not null;

        public string Header => string.Join(',', new[]
        {
            "step", timestamps ? "timestamp" : null, "score", "p_value", _likelihood ? "likelihood" : null, "anomaly", top > 0 ? "top_channels" : null,
        }.OfType<string>());

        public string Row(StepScore step, DateTime? timestamp)
        {
            var cells = new List<string> { step.Step.ToString(CultureInfo.InvariantCulture) };
            if (timestamps)
            {
                cells.Add(timestamp?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? string.Empty);
            }

            cells.Add(step.IsScored ? TableWriter.Format(step.Score) : string.Empty);
            cells.Add(step.IsScored ? TableWriter.Format(step.PValue) : string.Empty);
            if (_likelihood)
            {
                cells.Add(TableWriter.Format(step.Likelihood ?? 0));
            }

            cells.Add(step.IsAnomaly ? "true" : "false");
            if (top > 0)
            {
                cells.Add(step.IsAnomaly
                    ? string.Join("; ", detector.Explain(step).Top(Math.Min(top, detector.ChannelCount)).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name} {f.Share:p0}")))
                    : string.Empty);
            }

            return string.Join(',', cells);
        }
    }
}
