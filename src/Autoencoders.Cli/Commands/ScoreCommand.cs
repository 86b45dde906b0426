using System.CommandLine;
using System.Globalization;
using Autoencoders.Applications;
using Autoencoders.Data;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders score</c>: scores samples with a saved detector and explains the flagged ones.</summary>
internal static class ScoreCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var detectorPath = new Argument<string>("detector") { Description = "A detector file saved by 'detect'." };
        var data = new Argument<string>("data") { Description = "The samples to score (CSV or IDX), with the features the detector was trained on." };
        var output = new Option<string?>("--output", "-o") { Description = "A CSV file to write; standard output when left out." };
        var top = new Option<int>("--top")
        {
            Description = "For each flagged sample, name this many features with the largest reconstruction error (0: none).",
            DefaultValueFactory = _ => 3,
        };
        var command = new Command("score", """
            Scores each sample with a saved detector and writes CSV: row (1-based), score, anomaly (true when the
            score is above the detector's threshold), probability (the share of clean calibration scores below
            it) and, for flagged rows, the features that contributed most. Exits 0 whether or not rows are flagged.

            Examples:
              autoencoders score detector.aemodel today.csv
              autoencoders score detector.aemodel today.csv -o scores.csv --top 5
            """);
        command.Arguments.Add(detectorPath);
        command.Arguments.Add(data);
        command.Options.Add(output);
        command.Options.Add(top);
        command.SetAction(result => CliApp.Guard(stderr, () =>
        {
            using var detector = AnomalyDetector.Load(CliApp.ExistingFile(result.GetValue(detectorPath)!, "detector"));
            using var input = InputData.Read(result.GetValue(data)!);
            if (input.FeatureCount != detector.Model.FeatureCount)
            {
                throw new UsageException($"The detector takes {detector.Model.FeatureCount} features per sample; '{input.Path}' has {input.FeatureCount}.");
            }

            var count = result.GetValue(top);
            if (count < 0)
            {
                throw new UsageException($"--top must be 0 or more, not {count}.");
            }

            var dataset = (InMemoryDataset)input.Source; // explanations pick samples by index
            var scores = detector.Score(dataset);
            var probability = detector.AnomalyProbability(dataset);
            var rows = new List<string[]>(scores.Length);
            for (var i = 0; i < scores.Length; i++)
            {
                var flagged = scores[i] > detector.DecisionThreshold;
                var why = flagged && count > 0
                    ? string.Join("; ", detector.Explain(dataset, i).Top(count).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name} {f.Share:p0}")))
                    : string.Empty;
                rows.Add([(i + 1).ToString(CultureInfo.InvariantCulture), TableWriter.Format(scores[i]), flagged ? "true" : "false", TableWriter.Format(probability[i]), why]);
            }

            TableWriter.Write(result.GetValue(output), stdout, ["row", "score", "anomaly", "probability", "top_features"], rows);
            var flaggedCount = rows.Count(r => r[2] == "true");
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{flaggedCount} of {scores.Length} samples flagged (threshold {detector.DecisionThreshold:g6}, {detector.ThresholdRule})."));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
