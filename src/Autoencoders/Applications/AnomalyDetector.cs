using System.Globalization;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>
/// Detects anomalies by how badly an autoencoder trained on normal data reconstructs (or, for a VAE,
/// explains) a sample. Fit it on normal rows; score, decide, explain, save and load.
/// </summary>
/// <example>
/// <code>
/// using var detector = AnomalyDetector.Fit(normalRows, AnomalyDetectorOptions.Default with { Threshold = Threshold.Contamination(0.01) });
/// bool[] flagged = detector.Predict(newRows);
/// var why = detector.Explain(newRows[0]).Top(3);
/// detector.Save("detector.aemodel");
/// </code>
/// </example>
public sealed class AnomalyDetector : IDisposable
{
    private const string Application = "anomaly-detector";
    private const int LikelihoodSamples = 100;
    private const long ScoringSeed = 0;

    private readonly double[] calibration;

    private AnomalyDetector(Autoencoder model, AnomalyScoreKind kind, double threshold, string rule, double[] calibration, IReadOnlyList<string>? featureNames, TrainingHistory? history)
    {
        Model = model;
        ScoreKind = kind;
        DecisionThreshold = threshold;
        ThresholdRule = rule;
        this.calibration = calibration.Order().ToArray();
        FeatureNames = featureNames;
        History = history;
    }

    /// <summary>The trained autoencoder (with its scaler).</summary>
    public Autoencoder Model { get; }

    /// <summary>What samples are scored by.</summary>
    public AnomalyScoreKind ScoreKind { get; }

    /// <summary>Scores above this value are anomalies.</summary>
    public double DecisionThreshold { get; }

    /// <summary>The rule the threshold came from, e.g. "false-positive rate 0.01 on 20% held-out clean data".</summary>
    public string ThresholdRule { get; }

    /// <summary>The names of the features, if given.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>The training run (null for a detector loaded from a file).</summary>
    public TrainingHistory? History { get; }

    /// <summary>Trains a detector on normal rows (one sample per row).</summary>
    public static AnomalyDetector Fit(float[,] rows, AnomalyDetectorOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        using var data = InMemoryDataset.FromArray(rows);
        return Fit(data, options, progress, cancellationToken);
    }

    /// <summary>Trains a detector on normal rows (one sample per row).</summary>
    public static AnomalyDetector Fit(float[][] rows, AnomalyDetectorOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        using var data = InMemoryDataset.FromRows(rows);
        return Fit(data, options, progress, cancellationToken);
    }

    /// <summary>Trains a detector on a dataset of normal samples (tables or images).</summary>
    public static AnomalyDetector Fit(InMemoryDataset data, AnomalyDetectorOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= AnomalyDetectorOptions.Default;
        if (options.FeatureNames is { } names && names.Count != data.FeatureCount)
        {
            throw new ArgumentException($"{names.Count} feature names were given for {data.FeatureCount} features.", nameof(options));
        }

        if (options.Score != AnomalyScoreKind.ReconstructionError && options.Spec?.Bottleneck is not GaussianBottleneckSpec)
        {
            throw new ArgumentException($"The {options.Score} score needs a variational spec (e.g. spec.WithGaussianBottleneck()).", nameof(options));
        }

        var holdout = options.Threshold.HoldoutFraction;
        var (fitData, calibrationData) = holdout > 0 ? data.Split(holdout, options.Seed) : (data, null);
        try
        {
            var (model, history) = FittedModel.Train(fitData, options.Spec, options.Scaling, options.Training, options.Seed, latent: null, progress, cancellationToken);
            try
            {
                var scores = Score(model, options.Score, calibrationData ?? fitData);
                var threshold = options.Threshold.Compute(scores);
                return new AnomalyDetector(model, options.Score, threshold, options.Threshold.ToString()!, scores, options.FeatureNames, history);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            if (calibrationData is not null)
            {
                fitData.Dispose();
                calibrationData.Dispose();
            }
        }
    }

    /// <summary>The anomaly score of each row: higher is more anomalous. The same row always gets the same score.</summary>
    public double[] Score(float[,] rows)
    {
        using var data = InMemoryDataset.FromArray(rows);
        return Score(data);
    }

    /// <summary>The anomaly score of each row.</summary>
    public double[] Score(float[][] rows)
    {
        using var data = InMemoryDataset.FromRows(rows);
        return Score(data);
    }

    /// <summary>The anomaly score of each sample of a dataset.</summary>
    public double[] Score(InMemoryDataset data) => Score(Model, ScoreKind, data);

    /// <summary>Whether each row scores above the threshold.</summary>
    public bool[] Predict(float[,] rows) => Score(rows).Select(s => s > DecisionThreshold).ToArray();

    /// <summary>Whether each row scores above the threshold.</summary>
    public bool[] Predict(float[][] rows) => Score(rows).Select(s => s > DecisionThreshold).ToArray();

    /// <summary>Whether each sample scores above the threshold.</summary>
    public bool[] Predict(InMemoryDataset data) => Score(data).Select(s => s > DecisionThreshold).ToArray();

    /// <summary>
    /// How unusual each row is compared with the clean calibration data: the fraction of calibration
    /// samples that score at or below it (an empirical CDF, in [0, 1]; near 1 means more anomalous than
    /// nearly all normal data). It is a rank, not a calibrated probability of being an anomaly.
    /// </summary>
    public double[] AnomalyProbability(float[,] rows) => Score(rows).Select(Rank).ToArray();

    /// <summary>The calibration rank of each sample of a dataset (see <see cref="AnomalyProbability(float[,])"/>).</summary>
    public double[] AnomalyProbability(InMemoryDataset data) => Score(data).Select(Rank).ToArray();

    /// <summary>The score of one row and the reconstruction error of each of its features.</summary>
    public AnomalyExplanation Explain(float[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var data = InMemoryDataset.FromRows([row], Model.InputShape.Select(d => (long)d).ToArray());
        return Explain(data, 0);
    }

    /// <summary>The score of one sample of a dataset and the reconstruction error of each of its features.</summary>
    public AnomalyExplanation Explain(InMemoryDataset data, int index)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, data.Count);
        using var one = InMemoryDataset.FromTensor(data.Features.narrow(0, index, 1));
        var errors = Model.FeatureErrors(one);
        var featureErrors = new float[errors.GetLength(1)];
        Buffer.BlockCopy(errors, 0, featureErrors, 0, featureErrors.Length * sizeof(float));
        var score = Score(one)[0];
        return new AnomalyExplanation(score, score > DecisionThreshold, featureErrors, FeatureNames, Model.InputShape);
    }

    /// <summary>Saves the model, its scaler, the score kind, the threshold and the calibration scores to one file.</summary>
    public void Save(string path)
    {
        var fields = new Dictionary<string, string>
        {
            ["score"] = ScoreKind.ToString(),
            ["threshold"] = DecisionThreshold.ToString("R", CultureInfo.InvariantCulture),
            ["threshold_rule"] = ThresholdRule,
        };
        if (FeatureNames is not null)
        {
            fields["feature_names"] = System.Text.Json.JsonSerializer.Serialize(FeatureNames);
        }

        ModelFile.Write(path, new ModelFileContents(Model)
        {
            Application = new ModelFileApplication(Application, fields),
            Vectors = new Dictionary<string, float[]> { ["calibration"] = calibration.Select(v => (float)v).ToArray() },
        });
    }

    /// <summary>Loads a detector saved by <see cref="Save"/>; it scores exactly as the saved one did.</summary>
    /// <exception cref="ModelFileException">The file is not an anomaly detector file, or is corrupt.</exception>
    public static AnomalyDetector Load(string path)
    {
        var contents = ModelFile.Read(path);
        var model = contents.Model;
        try
        {
            var fields = contents.FieldsOf(path, Application, "an anomaly detector");
            if (!Enum.TryParse<AnomalyScoreKind>(fields.GetValueOrDefault("score"), out var kind) ||
                !double.TryParse(fields.GetValueOrDefault("threshold"), NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) ||
                !contents.Vectors.TryGetValue("calibration", out var scores))
            {
                throw new ModelFileException(Path.GetFullPath(path), "the detector's score kind, threshold or calibration scores are missing or invalid.");
            }

            string[]? names = null;
            if (fields.TryGetValue("feature_names", out var json))
            {
                try
                {
                    names = System.Text.Json.JsonSerializer.Deserialize<string[]>(json);
                }
                catch (System.Text.Json.JsonException e)
                {
                    throw new ModelFileException(Path.GetFullPath(path), "the detector's feature names are not a JSON array of strings.", e);
                }

                if (names is null || names.Length != model.FeatureCount || names.Any(n => n is null))
                {
                    throw new ModelFileException(Path.GetFullPath(path), $"the detector stores {names?.Length ?? 0} feature names for {model.FeatureCount} features.");
                }
            }

            return new AnomalyDetector(model, kind, threshold, fields.GetValueOrDefault("threshold_rule") ?? "unknown", scores.Select(v => (double)v).ToArray(), names, history: null);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();

    private static double[] Score(Autoencoder model, AnomalyScoreKind kind, InMemoryDataset data) => kind switch
    {
        AnomalyScoreKind.ReconstructionError => model.ReconstructionErrors(data),
        AnomalyScoreKind.NegativeElbo => Variational(model, kind).NegativeElbo(data, ScoringSeed),
        AnomalyScoreKind.NegativeLogLikelihood => Variational(model, kind).LogLikelihood(data, LikelihoodSamples, ScoringSeed).Select(v => -v).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown score kind."),
    };

    private static VariationalAutoencoder Variational(Autoencoder model, AnomalyScoreKind kind) =>
        model as VariationalAutoencoder ?? throw new InvalidOperationException(
            $"The {kind} score needs a variational model (a Gaussian bottleneck: spec.WithGaussianBottleneck()); this detector's model is not one.");

    private double Rank(double score) => CalibrationRank.Of(calibration, score);
}
