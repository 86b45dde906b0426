using System.Globalization;
using Autoencoders.Data;

namespace Autoencoders.Applications;

/// <summary>
/// How an anomaly detector turns scores into yes/no decisions: a rule applied to the scores of clean
/// calibration data (a held-out clean part of the training data, or the training data itself). Whatever
/// the rule, a sample is an anomaly when its score is strictly greater than the threshold it gives; a
/// score equal to the threshold is normal.
/// </summary>
/// <example>
/// <code>
/// var options = new AnomalyDetectorOptions { Threshold = Threshold.FalsePositiveRate(0.01) };
/// double t = Threshold.FalsePositiveRate(0.05).Compute(cleanHeldOutScores);   // any scorer's scores
/// </code>
/// </example>
public abstract record Threshold
{
    /// <summary>Below this many calibration scores a rule's estimate is unreliable, and the detector says so in its warnings.</summary>
    internal const int FewCalibrationScores = 20;

    /// <summary>Flags the highest-scoring <paramref name="fraction"/> of the training data: use when the training data contains that share of anomalies.</summary>
    public static Threshold Contamination(double fraction) => new ContaminationThreshold(fraction);

    /// <summary>Flags anything scoring above every training sample.</summary>
    public static Threshold MaxTrainingScore() => new MaxThreshold();

    /// <summary>Flags scores above the mean plus <paramref name="k"/> standard deviations of the training scores.</summary>
    public static Threshold MeanPlusStd(double k = 3) => new MeanPlusStdThreshold(k);

    /// <summary>
    /// Guarantees a false-positive rate of at most <paramref name="rate"/> (split-conformal, Bates et al.,
    /// Annals of Statistics 2023). The detector trains on clean data only and holds out
    /// <paramref name="holdoutFraction"/> of it; with the n held-out scores S₁…Sₙ, the threshold is the k-th
    /// smallest, k = ⌈(1 − rate)(n + 1)⌉. If new clean samples are exchangeable with the held-out ones (for
    /// example, drawn independently from the same distribution), the probability that one is flagged is at
    /// most <paramref name="rate"/>, on average over the draw of the held-out set. It needs
    /// n ≥ 1/rate − 1 (99 held-out rows for 0.01); fitting on fewer fails and says how many rows are needed.
    /// No contamination estimate is needed.
    /// </summary>
    public static Threshold FalsePositiveRate(double rate, double holdoutFraction = 0.2) => new FalsePositiveRateThreshold(rate, holdoutFraction);

    /// <summary>A fixed score.</summary>
    public static Threshold Fixed(double value) => new FixedThreshold(value);

    /// <summary>
    /// The threshold this rule gives for clean calibration scores (in any order). For
    /// <see cref="FalsePositiveRate"/> they must have been held out from training for the guarantee to hold.
    /// </summary>
    /// <param name="calibrationScores">Scores of clean samples; at least one, all finite.</param>
    /// <exception cref="ArgumentException">No scores, a non-finite score, or (for <see cref="FalsePositiveRate"/>) too few scores for the rate.</exception>
    public double Compute(IReadOnlyList<double> calibrationScores)
    {
        ArgumentNullException.ThrowIfNull(calibrationScores);
        if (calibrationScores.Count == 0)
        {
            throw new ArgumentException("A threshold needs at least one calibration score.", nameof(calibrationScores));
        }

        for (var i = 0; i < calibrationScores.Count; i++)
        {
            if (!double.IsFinite(calibrationScores[i]))
            {
                throw new ArgumentException($"Calibration score {i} is {calibrationScores[i]}; scores must be finite.", nameof(calibrationScores));
            }
        }

        return ComputeSorted(calibrationScores.Order().ToArray());
    }

    /// <summary>The fraction of the training data held out to calibrate the threshold (0 for none).</summary>
    internal virtual double HoldoutFraction => 0;

    /// <summary>The rule's name in a detector file.</summary>
    internal abstract string Kind { get; }

    /// <summary>The rule's number in a detector file (NaN for none).</summary>
    internal virtual double Parameter => double.NaN;

    /// <summary>The rule stored in a detector file as <see cref="Kind"/>, <see cref="Parameter"/> and <see cref="HoldoutFraction"/>.</summary>
    /// <exception cref="ArgumentException">An unknown kind or an out-of-range parameter.</exception>
    internal static Threshold FromParts(string kind, double parameter, double holdoutFraction) => kind switch
    {
        ContaminationThreshold.Name => Contamination(parameter),
        MaxThreshold.Name => MaxTrainingScore(),
        MeanPlusStdThreshold.Name => MeanPlusStd(parameter),
        FalsePositiveRateThreshold.Name => FalsePositiveRate(parameter, holdoutFraction),
        FixedThreshold.Name => Fixed(parameter),
        _ => throw new ArgumentException($"'{kind}' is not a threshold rule."),
    };

    /// <summary>Fails before any training when <paramref name="rows"/> clean rows cannot calibrate this rule.</summary>
    internal virtual void EnsureEnoughRows(int rows)
    {
    }

    /// <summary>The rule in words, with what it guarantees, for a detector calibrated on <paramref name="calibrationCount"/> scores.</summary>
    internal virtual string Describe(int calibrationCount) => ToString()!;

    /// <summary>A warning when <paramref name="calibrationCount"/> calibration scores are too few for this rule's estimate, else null.</summary>
    internal virtual string? Warning(int calibrationCount) =>
        calibrationCount < FewCalibrationScores
            ? string.Create(CultureInfo.InvariantCulture, $"The threshold ({this}) and the p-values rest on only {calibrationCount} calibration scores (fewer than {FewCalibrationScores}): the share of clean samples flagged can be far from what the rule aims at, and no p-value can go below 1/(n + 1) = {1.0 / (calibrationCount + 1):g3}. Fit on more clean rows.")
            : null;

    /// <summary>Whether <paramref name="stored"/> is the threshold this rule gives for the ascending <paramref name="sortedScores"/> (to rounding, for rules that do arithmetic).</summary>
    internal virtual bool Reproduces(double stored, double[] sortedScores)
    {
        var computed = ComputeSorted(sortedScores);
        return Math.Abs(stored - computed) <= 1e-9 * Math.Max(1, Math.Abs(computed));
    }

    /// <summary>The threshold from the ascending scores of the clean calibration data.</summary>
    private protected abstract double ComputeSorted(double[] sortedScores);

    /// <summary>The empirical (1 − p) quantile of ascending scores, by linear interpolation (numpy's default).</summary>
    private static double UpperQuantile(double[] sorted, double p)
    {
        var position = (1 - p) * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private sealed record ContaminationThreshold : Threshold
    {
        public const string Name = "contamination";
        private readonly double fraction;

        public ContaminationThreshold(double fraction)
        {
            if (!(fraction > 0 && fraction < 0.5))
            {
                throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The contamination must be in (0, 0.5).");
            }

            this.fraction = fraction;
        }

        internal override string Kind => Name;

        internal override double Parameter => fraction;

        private protected override double ComputeSorted(double[] sortedScores) => UpperQuantile(sortedScores, fraction);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"contamination {fraction:g4}");
    }

    private sealed record MaxThreshold : Threshold
    {
        public const string Name = "max";

        internal override string Kind => Name;

        internal override bool Reproduces(double stored, double[] sortedScores) => stored == ComputeSorted(sortedScores);

        private protected override double ComputeSorted(double[] sortedScores) => sortedScores[^1];

        public override string ToString() => "maximum training score";
    }

    private sealed record MeanPlusStdThreshold : Threshold
    {
        public const string Name = "mean-plus-std";
        private readonly double k;

        public MeanPlusStdThreshold(double k)
        {
            if (!double.IsFinite(k))
            {
                throw new ArgumentOutOfRangeException(nameof(k), k, "k must be finite.");
            }

            this.k = k;
        }

        internal override string Kind => Name;

        internal override double Parameter => k;

        private protected override double ComputeSorted(double[] sortedScores)
        {
            var mean = sortedScores.Average();
            var std = Math.Sqrt(sortedScores.Sum(s => (s - mean) * (s - mean)) / sortedScores.Length);
            return mean + (k * std);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"mean + {k:g4}·std of training scores");
    }

    private sealed record FalsePositiveRateThreshold : Threshold
    {
        public const string Name = "false-positive-rate";
        private readonly double rate;
        private readonly double holdout;

        public FalsePositiveRateThreshold(double rate, double holdoutFraction)
        {
            if (!(rate > 0 && rate < 0.5))
            {
                throw new ArgumentOutOfRangeException(nameof(rate), rate, "The false-positive rate must be in (0, 0.5).");
            }

            if (!(holdoutFraction > 0 && holdoutFraction < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(holdoutFraction), holdoutFraction, "The held-out fraction must be in (0, 1).");
            }

            this.rate = rate;
            holdout = holdoutFraction;
        }

        internal override double HoldoutFraction => holdout;

        internal override string Kind => Name;

        internal override double Parameter => rate;

        internal override void EnsureEnoughRows(int rows)
        {
            var n = rows < 2 ? 0 : (int)RandomSplit.ValidationCount(rows, holdout);
            if (Conformal.ThresholdRank(n, rate) is null)
            {
                var needed = Conformal.SmallestCalibrationSize(rate);
                var rowsNeeded = Math.Max(2, needed);
                while (RandomSplit.ValidationCount(rowsNeeded, holdout) < needed)
                {
                    rowsNeeded++;
                }

                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"A false-positive rate of {rate:g4} needs at least {needed} held-out clean rows (split-conformal: n ≥ 1/rate − 1), but holding out {holdout * 100:0.#}% of {rows} rows leaves n = {n}, whose smallest achievable rate is 1/(n + 1) = {1.0 / (n + 1):g3}. Give at least {rowsNeeded} clean rows{(1.0 / (n + 1) < 0.5 ? $", or ask for a rate of at least {1.0 / (n + 1):g3}" : string.Empty)}."));
            }
        }

        internal override string Describe(int calibrationCount) => string.Create(CultureInfo.InvariantCulture,
            $"false-positive rate ≤ {rate:g4}, split-conformal on {calibrationCount} held-out clean samples; guaranteed for clean data exchangeable with them");

        // Only too few scores can make the rule fail, and then it throws instead.
        internal override string? Warning(int calibrationCount) => null;

        // An order statistic: exactly one of the calibration scores.
        internal override bool Reproduces(double stored, double[] sortedScores) => stored == ComputeSorted(sortedScores);

        private protected override double ComputeSorted(double[] sortedScores)
        {
            var n = sortedScores.Length;
            if (Conformal.ThresholdRank(n, rate) is not { } k)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"A false-positive rate of {rate:g4} needs at least {Conformal.SmallestCalibrationSize(rate)} clean calibration scores (split-conformal: n ≥ 1/rate − 1); {n} give a smallest achievable rate of 1/(n + 1) = {1.0 / (n + 1):g3}."));
            }

            return sortedScores[k - 1];
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"false-positive rate ≤ {rate:g4}, split-conformal on {holdout * 100:0.#}% held-out clean data");
    }

    private sealed record FixedThreshold : Threshold
    {
        public const string Name = "fixed";
        private readonly double value;

        public FixedThreshold(double value)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The threshold must be finite.");
            }

            this.value = value;
        }

        internal override string Kind => Name;

        internal override double Parameter => value;

        internal override bool Reproduces(double stored, double[] sortedScores) => stored == value;

        internal override string? Warning(int calibrationCount) =>
            calibrationCount < FewCalibrationScores
                ? string.Create(CultureInfo.InvariantCulture, $"The p-values rest on only {calibrationCount} calibration scores (fewer than {FewCalibrationScores}): none can go below 1/(n + 1) = {1.0 / (calibrationCount + 1):g3}. Fit on more clean rows.")
                : null;

        private protected override double ComputeSorted(double[] sortedScores) => value;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"fixed {value:g6}");
    }
}
