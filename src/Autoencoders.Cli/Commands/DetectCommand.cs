using System.CommandLine;
using System.Globalization;
using Autoencoders.Applications;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders detect</c>: trains an anomaly detector on normal samples and saves it.</summary>
internal static class DetectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new Argument<string>("data") { Description = "Normal samples: a CSV (its header names the features) or an IDX file." };
        var output = new Option<string>("--output", "-o") { Description = "Where to save the detector (model, scaler, threshold, calibration scores).", Required = true };
        var threshold = new Option<string>("--threshold", "-t")
        {
            Description = "The decision rule: fpr:R (false-positive rate at most R, split-conformal on 20% held-out data; needs at least 1/R − 1 held-out rows), contamination:F (the top F of the training data), std:K (mean + K·σ of training scores), max (the largest training score), fixed:V.",
            DefaultValueFactory = _ => "fpr:0.01",
        };
        var score = new Option<string>("--score")
        {
            Description = "What samples are scored by: reconstruction (any preset), elbo or likelihood (--preset vae).",
            DefaultValueFactory = _ => "reconstruction",
        };
        var model = new ModelOptions();
        var command = new Command("detect", """
            Trains an anomaly detector on normal samples: an autoencoder learns to reconstruct them, and samples
            it reconstructs badly are anomalies. The threshold is chosen by a rule (--threshold) and saved with it.
            The default, fpr:0.01, holds out 20% of the rows and guarantees that clean samples exchangeable with
            them are flagged at a rate of at most 1% (split-conformal); it needs 99 held-out rows (493 in all)
            and says so when there are fewer. Then score new samples with 'autoencoders score'.

            Examples:
              autoencoders detect normal.csv -o detector.aemodel
              autoencoders detect normal.csv -o detector.aemodel --threshold contamination:0.02 --epochs 40
              autoencoders detect normal.csv -o detector.aemodel --preset vae --score elbo
            """);
        command.Arguments.Add(data);
        command.Options.Add(output);
        command.Options.Add(threshold);
        command.Options.Add(score);
        model.AddTo(command);
        command.SetAction((result, token) => Task.FromResult(CliApp.Guard(stderr, () =>
        {
            using var input = InputData.Read(result.GetValue(data)!, model.BuildStreaming(result));
            stderr.WriteLine($"Read {input.Path}: {input.Description}");
            var spec = model.BuildSpec(result, input);
            using var detector = AnomalyDetector.Fit(input.Source, new AnomalyDetectorOptions
            {
                Spec = spec,
                Scaling = model.BuildScaling(result),
                Score = ParseScore(result.GetValue(score)!),
                Threshold = ParseThreshold(result.GetValue(threshold)!),
                Training = model.BuildTraining(result),
                FeatureNames = input.FeatureNames,
                Seed = result.GetValue(model.Seed),
            }, model.BuildProgress(result, stderr), token);
            var path = result.GetValue(output)!;
            detector.Save(path);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Saved {path}: scores by {detector.ScoreKind}, threshold {detector.DecisionThreshold:g6} ({detector.ThresholdRule})."));
            CliApp.WriteWarnings(stderr, detector.Warnings);
            return ExitCodes.Ok;
        })));
        return command;
    }

    private static AnomalyScoreKind ParseScore(string text) => text.ToLowerInvariant() switch
    {
        "reconstruction" => AnomalyScoreKind.ReconstructionError,
        "elbo" => AnomalyScoreKind.NegativeElbo,
        "likelihood" => AnomalyScoreKind.NegativeLogLikelihood,
        _ => throw new UsageException($"Unknown score '{text}'. Use reconstruction, elbo or likelihood."),
    };

    internal static Threshold ParseThreshold(string text)
    {
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        var kind = parts[0].ToLowerInvariant();
        double Value()
        {
            if (parts.Length < 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new UsageException($"The threshold '{text}' needs a number after the colon, e.g. {kind}:0.01.");
            }

            return value;
        }

        try
        {
            return kind switch
            {
                "fpr" => Threshold.FalsePositiveRate(Value()),
                "contamination" => Threshold.Contamination(Value()),
                "std" => Threshold.MeanPlusStd(Value()),
                "max" => Threshold.MaxTrainingScore(),
                "fixed" => Threshold.Fixed(Value()),
                _ => throw new UsageException($"Unknown threshold rule '{text}'. Use fpr:R, contamination:F, std:K, max or fixed:V."),
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"The threshold '{text}' is out of range: {e.Message}", e);
        }
    }
}
