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
/// <remarks>
/// Three numbers per sample: <see cref="Score(float[,])"/> (higher is more anomalous), the decision
/// (<see cref="Predict(float[,])"/>: score &gt; <see cref="DecisionThreshold"/>) and the conformal
/// <see cref="PValue(float[,])"/> against the clean calibration scores (small is anomalous). With the
/// default <see cref="Threshold.FalsePositiveRate"/> rule the calibration scores are held out from training,
/// the p-values are valid, and flagging p ≤ rate is exactly the decision <see cref="Predict(float[,])"/> makes.
/// </remarks>
/// <example>
/// <code>
/// using var detector = AnomalyDetector.Fit(normalRows);            // false-positive rate ≤ 1 %, needs ≥ 493 rows
/// bool[] flagged = detector.Predict(newRows);
/// double[] p = detector.PValue(newRows);
/// bool[] batch = FalseDiscoveryRate.BenjaminiHochberg(p, 0.1);     // ≤ 10 % false alarms among the flagged
/// var why = detector.Explain(newRows[0]).Top(3);
/// detector.Save("detector.aemodel");
/// </code>
/// </example>
public sealed class AnomalyDetector : IDisposable
{
    private const string Application = "anomaly-detector";
    private const int LikelihoodSamples = 100;
    private const long ScoringSeed = 0;

    private readonly Threshold? rule;
    private readonly double[] calibration;

    // rule: null for a file written before rules were stored; calibration: ascending, each a float32 value (as saved).
    private AnomalyDetector(Autoencoder model, AnomalyScoreKind kind, double threshold, Threshold? rule, string ruleText, double[] calibration, IReadOnlyList<string>? featureNames, TrainingHistory? history)
    {
        Model = model;
        ScoreKind = kind;
        DecisionThreshold = threshold;
        this.rule = rule;
        ThresholdRule = ruleText;
        this.calibration = calibration;
        FeatureNames = featureNames;
        History = history;
        Warnings = WarningsFor(rule, ruleText, calibration.Length);
    }

    /// <summary>The trained autoencoder (with its scaler).</summary>
    public Autoencoder Model { get; }

    /// <summary>What samples are scored by.</summary>
    public AnomalyScoreKind ScoreKind { get; }

    /// <summary>A sample is an anomaly when its score is strictly greater than this value; a score equal to it is normal.</summary>
    public double DecisionThreshold { get; }

    /// <summary>
    /// The rule the threshold came from and what it guarantees, e.g. "false-positive rate ≤ 0.01,
    /// split-conformal on 120 held-out clean samples; guaranteed for clean data exchangeable with them".
    /// </summary>
    public string ThresholdRule { get; }

    /// <summary>How many clean calibration scores the threshold and the p-values rest on.</summary>
    public int CalibrationCount => calibration.Length;

    /// <summary>
    /// What the user should know about the decisions, e.g. a threshold estimated from fewer than 20
    /// calibration scores. Empty when there is nothing to say; the command-line tool prints these.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

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

    /// <summary>
    /// Trains a detector on normal samples (tables or images), in memory or streamed. One pass over a stream
    /// counts it and fits the scaler; the held-out calibration part and the validation part are masks over
    /// it, and every epoch reads it again. A source's own feature names (a CSV header, Parquet columns) are
    /// used when the options give none.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Bad options, or (before any training) too few rows for the threshold rule: a false-positive rate α
    /// needs at least 1/α − 1 held-out rows; the message gives the smallest rate the data allows and the
    /// number of clean rows needed.
    /// </exception>
    public static AnomalyDetector Fit(DataSource data, AnomalyDetectorOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= AnomalyDetectorOptions.Default;
        var featureNames = options.FeatureNames ?? data.FeatureNames;
        if (options.FeatureNames is { } names && names.Count != data.FeatureCount)
        {
            throw new ArgumentException($"{names.Count} feature names were given for {data.FeatureCount} features.", nameof(options));
        }

        if (options.Score != AnomalyScoreKind.ReconstructionError && options.Spec?.Bottleneck is not GaussianBottleneckSpec)
        {
            throw new ArgumentException($"The {options.Score} score needs a variational spec (e.g. spec.WithGaussianBottleneck()).", nameof(options));
        }

        // Options first (a device this process cannot use), then whether the data can calibrate the rule: both before training.
        // A stream that declares no count is counted by the pass that also fits the scaler.
        Devices.Check(Devices.Parse(options.Device, nameof(options)), allowMeta: false, nameof(options));
        var threshold = options.Threshold;
        var rows = data.TryGetCount(out var count) ? count : data.ComputeStatistics(cancellationToken).Count;
        threshold.EnsureEnoughRows((int)Math.Min(rows, int.MaxValue));
        var holdout = threshold.HoldoutFraction;
        var (fitData, calibrationData) = holdout > 0 ? data.Split(holdout, options.Seed) : (data, (DataSource?)null);
        try
        {
            var (model, history) = FittedModel.Train(fitData, options.Spec, options.Scaling, options.Training, options.Seed, options.Device, latent: null, progress, cancellationToken);
            try
            {
                var scores = Calibration(Score(model, options.Score, calibrationData ?? fitData));
                return new AnomalyDetector(model, options.Score, threshold.Compute(scores), threshold, threshold.Describe(scores.Length), scores, featureNames, history);
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

    /// <summary>The anomaly score of each sample of a source (in memory or streamed), in its order.</summary>
    public double[] Score(DataSource data) => Score(Model, ScoreKind, data);

    /// <summary>Whether each row scores strictly above <see cref="DecisionThreshold"/>.</summary>
    public bool[] Predict(float[,] rows) => Score(rows).Select(IsAnomaly).ToArray();

    /// <summary>Whether each row scores strictly above <see cref="DecisionThreshold"/>.</summary>
    public bool[] Predict(float[][] rows) => Score(rows).Select(IsAnomaly).ToArray();

    /// <summary>Whether each sample scores strictly above <see cref="DecisionThreshold"/>.</summary>
    public bool[] Predict(DataSource data) => Score(data).Select(IsAnomaly).ToArray();

    /// <summary>
    /// The conformal p-value of each row: p = (1 + #{calibration scores ≥ its score}) / (n + 1), in
    /// [1/(n + 1), 1]; small means more anomalous than nearly all clean data. When the calibration data was
    /// held out from training (<see cref="Threshold.FalsePositiveRate"/>, the default) and a clean row is
    /// exchangeable with it, P(p ≤ α) ≤ α for every α, and "p ≤ α" flags exactly the rows that
    /// <see cref="Predict(float[,])"/> flags when the rule's rate is α. With the other rules the calibration
    /// scores are the training scores, which tend to be lower than fresh ones, so p-values come out too small.
    /// </summary>
    public double[] PValue(float[,] rows) => Score(rows).Select(PValue).ToArray();

    /// <summary>The conformal p-value of each sample of a source, in its order (see <see cref="PValue(float[,])"/>).</summary>
    public double[] PValue(DataSource data) => Score(data).Select(PValue).ToArray();

    /// <summary>The conformal p-value of a score from <see cref="Score(float[,])"/> (see <see cref="PValue(float[,])"/>); NaN for a NaN score.</summary>
    public double PValue(double score) => Conformal.PValue(calibration, score);

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
        using var row = data.Features.narrow(0, index, 1);
        using var one = InMemoryDataset.FromTensor(row);
        var errors = Model.FeatureErrors(one);
        var featureErrors = new float[errors.GetLength(1)];
        Buffer.BlockCopy(errors, 0, featureErrors, 0, featureErrors.Length * sizeof(float));
        var score = Score(one)[0];
        return new AnomalyExplanation(score, IsAnomaly(score), featureErrors, FeatureNames, Model.InputShape);
    }

    /// <summary>Saves the model, its scaler, the score kind, the threshold, its rule and the calibration scores to one file.</summary>
    public void Save(string path)
    {
        var fields = new Dictionary<string, string>
        {
            ["score"] = ScoreKind.ToString(),
            ["threshold"] = DecisionThreshold.ToString("R", CultureInfo.InvariantCulture),
            ["threshold_rule"] = ThresholdRule,
        };
        if (rule is not null)
        {
            ThresholdFields.Write(fields, rule);
        }

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

    /// <summary>Loads a detector saved by <see cref="Save"/>; it scores and decides exactly as the saved one did.</summary>
    /// <param name="path">The detector file.</param>
    /// <param name="device">Where the loaded model computes, as in <see cref="AnomalyDetectorOptions.Device"/>; the file may come from any device.</param>
    /// <exception cref="ModelFileException">
    /// The file is not an anomaly detector file, is corrupt, or its decision fields do not hold together: a
    /// threshold or calibration score that is not finite, or a threshold that its stored rule does not give
    /// for the stored calibration scores. The message names the field.
    /// </exception>
    /// <exception cref="ArgumentException">The device is not "cpu", "cuda" or "cuda:N".</exception>
    /// <exception cref="InvalidOperationException">A CUDA device was asked for and this process has no CUDA backend or no such device.</exception>
    public static AnomalyDetector Load(string path, string device = "cpu")
    {
        var contents = ModelFile.Read(path, Devices.Parse(device, nameof(device)));
        var model = contents.Model;
        try
        {
            var fullPath = Path.GetFullPath(path);
            var fields = contents.FieldsOf(path, Application, "an anomaly detector");
            if (!Enum.TryParse<AnomalyScoreKind>(fields.GetValueOrDefault("score"), out var kind) ||
                !double.TryParse(fields.GetValueOrDefault("threshold"), NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) ||
                !contents.Vectors.TryGetValue("calibration", out var stored))
            {
                throw new ModelFileException(fullPath, "the detector's score kind, threshold or calibration scores are missing or invalid.");
            }

            var scores = CheckedCalibration(fullPath, threshold, stored);
            var rule = ThresholdFields.Read(fullPath, fields, threshold, scores);
            var names = FeatureNamesOf(fullPath, fields, model.FeatureCount);
            return new AnomalyDetector(model, kind, threshold, rule, fields.GetValueOrDefault("threshold_rule") ?? "unknown", scores, names, history: null);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();

    private static double[] Score(Autoencoder model, AnomalyScoreKind kind, DataSource data) => kind switch
    {
        AnomalyScoreKind.ReconstructionError => model.ReconstructionErrors(data),
        AnomalyScoreKind.NegativeElbo => Variational(model, kind).NegativeElbo(data, ScoringSeed),
        AnomalyScoreKind.NegativeLogLikelihood => Variational(model, kind).LogLikelihood(data, LikelihoodSamples, ScoringSeed).Select(v => -v).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown score kind."),
    };

    private bool IsAnomaly(double score) => score > DecisionThreshold;

    private static VariationalAutoencoder Variational(Autoencoder model, AnomalyScoreKind kind) =>
        model as VariationalAutoencoder ?? throw new InvalidOperationException(
            $"The {kind} score needs a variational model (a Gaussian bottleneck: spec.WithGaussianBottleneck()); this detector's model is not one.");

    private static string[] WarningsFor(Threshold? rule, string ruleText, int calibrationCount)
    {
        if (rule is not null)
        {
            return rule.Warning(calibrationCount) is { } warning ? [warning] : [];
        }

        // Files written before rules were stored: only the false-positive-rate rule has changed meaning since.
        return ruleText.StartsWith("false-positive rate", StringComparison.Ordinal)
            ? [$"This detector was saved before false-positive-rate thresholds were split-conformal: its threshold ({ruleText}) is an interpolated percentile and carries no guarantee. Fit it again to get one."]
            : [];
    }

    /// <summary>
    /// Fitted calibration scores as the file keeps them, ascending: float32, each rounded up, never down, so
    /// that thresholds and p-values survive save and load bit for bit and can only become more conservative
    /// (no training score lies above the maximum, a conformal threshold is at least the exact order statistic).
    /// </summary>
    private static double[] Calibration(double[] scores)
    {
        static double RoundUp(double score) => (float)score is var f && f < score ? MathF.BitIncrement(f) : f;
        var rounded = scores.Select(RoundUp).Order().ToArray();
        return rounded.All(double.IsFinite)
            ? rounded
            : throw new InvalidOperationException("The trained model gives non-finite scores to clean calibration data; the training run most likely diverged (check its loss history).");
    }

    private static double[] CheckedCalibration(string path, double threshold, float[] stored)
    {
        if (!double.IsFinite(threshold))
        {
            throw new ModelFileException(path, string.Create(CultureInfo.InvariantCulture, $"the detector's threshold (app.threshold) is {threshold}; it must be a finite number."));
        }

        if (stored.Length == 0)
        {
            throw new ModelFileException(path, "the detector's calibration scores (app.calibration) are empty.");
        }

        var bad = Array.FindIndex(stored, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new ModelFileException(path, string.Create(CultureInfo.InvariantCulture, $"calibration score {bad} of the detector (app.calibration) is {stored[bad]}; every calibration score must be finite."));
        }

        return stored.Select(v => (double)v).Order().ToArray();
    }

    private static string[]? FeatureNamesOf(string path, IReadOnlyDictionary<string, string> fields, int featureCount)
    {
        if (!fields.TryGetValue("feature_names", out var json))
        {
            return null;
        }

        string[]? names;
        try
        {
            names = System.Text.Json.JsonSerializer.Deserialize<string[]>(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ModelFileException(path, "the detector's feature names are not a JSON array of strings.", e);
        }

        return names is not null && names.Length == featureCount && names.All(n => n is not null)
            ? names
            : throw new ModelFileException(path, $"the detector stores {names?.Length ?? 0} feature names for {featureCount} features.");
    }
}
