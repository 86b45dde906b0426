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
        var fdr = new Option<double?>("--fdr")
        {
            Description = "Flag by the Benjamini–Hochberg procedure on the p-values instead of the threshold, so that on average at most this share of the flagged samples are clean (e.g. 0.1).",
        };
        var command = new Command("score", """
            Scores each sample with a saved detector and writes CSV: row (1-based), score, anomaly, p_value and,
            for flagged rows, the features that contributed most. anomaly is true when the score is above the
            detector's threshold (or, with --fdr Q, when Benjamini–Hochberg at level Q selects the row). p_value is
            the conformal p-value (1 + #{calibration scores ≥ score}) / (n + 1): small means unlike the clean
            calibration data; with an fpr:R detector, p_value ≤ R exactly when anomaly is true.
            Exits 0 whether or not rows are flagged.

            Examples:
              autoencoders score detector.aemodel today.csv
              autoencoders score detector.aemodel today.csv -o scores.csv --top 5
              autoencoders score detector.aemodel today.csv --fdr 0.1
            """);
        command.Arguments.Add(detectorPath);
        command.Arguments.Add(data);
        command.Options.Add(output);
        command.Options.Add(top);
        command.Options.Add(fdr);
        command.SetAction(result => CliApp.Guard(stderr, () =>
        {
            using var detector = AnomalyDetector.Load(CliApp.ExistingFile(result.GetValue(detectorPath)!, "detector"));
            using var input = InputData.Read(result.GetValue(data)!);
            if (input.FeatureCount != detector.Model.FeatureCount)
            {
                throw new UsageException($"The detector takes {detector.Model.FeatureCount} features per sample; '{input.Path}' has {input.FeatureCount}.");
            }

            var count = CliApp.NotNegative(result.GetValue(top), "--top");

            var rate = result.GetValue(fdr);
            if (rate is { } q && !(q > 0 && q < 1))
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--fdr must be between 0 and 1 (e.g. 0.1), not {q}."));
            }

            var dataset = (InMemoryDataset)input.Source; // explanations pick samples by index
            var scores = detector.Score(dataset);
            var pValues = scores.Select(detector.PValue).ToArray();
            var flagged = rate is { } level ? FalseDiscoveryRate.BenjaminiHochberg(pValues, level) : scores.Select(s => s > detector.DecisionThreshold).ToArray();
            var rows = new List<string[]>(scores.Length);
            for (var i = 0; i < scores.Length; i++)
            {
                var why = flagged[i] && count > 0
                    ? string.Join("; ", detector.Explain(dataset, i).Top(count).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name} {f.Share:p0}")))
                    : string.Empty;
                rows.Add([(i + 1).ToString(CultureInfo.InvariantCulture), TableWriter.Format(scores[i]), flagged[i] ? "true" : "false", TableWriter.Format(pValues[i]), why]);
            }

            TableWriter.Write(result.GetValue(output), stdout, ["row", "score", "anomaly", "p_value", "top_features"], rows);
            var decision = rate is { } r
                ? string.Create(CultureInfo.InvariantCulture, $"Benjamini–Hochberg at a false discovery rate of {r:g4} on {detector.CalibrationCount} calibration scores")
                : string.Create(CultureInfo.InvariantCulture, $"threshold {detector.DecisionThreshold:g6}, {detector.ThresholdRule}");
            stderr.WriteLine($"{flagged.Count(f => f)} of {scores.Length} samples flagged ({decision}).");
            CliApp.WriteWarnings(stderr, detector.Warnings);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
