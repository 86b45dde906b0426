namespace Autoencoders.Applications;

/// <summary>
/// How an anomaly detector turns scores into yes/no decisions: a rule applied to the scores of clean
/// calibration data (the training data, or a held-out clean part of it).
/// </summary>
/// <example>
/// <code>
/// var options = new AnomalyDetectorOptions { Threshold = Threshold.FalsePositiveRate(0.01) };
/// </code>
/// </example>
public abstract record Threshold
{
    /// <summary>Flags the highest-scoring <paramref name="fraction"/> of the training data: use when the training data contains that share of anomalies.</summary>
    public static Threshold Contamination(double fraction) => new ContaminationThreshold(fraction);

    /// <summary>Flags anything scoring above every training sample.</summary>
    public static Threshold MaxTrainingScore() => new MaxThreshold();

    /// <summary>Flags scores above the mean plus <paramref name="k"/> standard deviations of the training scores.</summary>
    public static Threshold MeanPlusStd(double k = 3) => new MeanPlusStdThreshold(k);

    /// <summary>
    /// Trains on clean data only and holds out <paramref name="holdoutFraction"/> of it: the threshold is
    /// the score that the held-out clean samples exceed with probability <paramref name="rate"/>, so
    /// clean data is flagged at about that rate. No contamination estimate is needed.
    /// </summary>
    public static Threshold FalsePositiveRate(double rate, double holdoutFraction = 0.2) => new FalsePositiveRateThreshold(rate, holdoutFraction);

    /// <summary>A fixed score.</summary>
    public static Threshold Fixed(double value) => new FixedThreshold(value);

    /// <summary>The fraction of the training data held out to calibrate the threshold (0 for none).</summary>
    internal virtual double HoldoutFraction => 0;

    /// <summary>The threshold from the scores of the clean calibration data.</summary>
    internal abstract double Compute(double[] calibrationScores);

    /// <summary>The empirical (1 − p) quantile of the scores, by linear interpolation (numpy's default).</summary>
    internal static double UpperQuantile(double[] scores, double p)
    {
        var sorted = scores.Order().ToArray();
        var position = (1 - p) * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private sealed record ContaminationThreshold : Threshold
    {
        private readonly double fraction;

        public ContaminationThreshold(double fraction)
        {
            if (!(fraction > 0 && fraction < 0.5))
            {
                throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The contamination must be in (0, 0.5).");
            }

            this.fraction = fraction;
        }

        internal override double Compute(double[] calibrationScores) => UpperQuantile(calibrationScores, fraction);

        public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"contamination {fraction:g4}");
    }

    private sealed record MaxThreshold : Threshold
    {
        internal override double Compute(double[] calibrationScores) => calibrationScores.Max();

        public override string ToString() => "maximum training score";
    }

    private sealed record MeanPlusStdThreshold : Threshold
    {
        private readonly double k;

        public MeanPlusStdThreshold(double k)
        {
            if (!double.IsFinite(k))
            {
                throw new ArgumentOutOfRangeException(nameof(k), k, "k must be finite.");
            }

            this.k = k;
        }

        internal override double Compute(double[] calibrationScores)
        {
            var mean = calibrationScores.Average();
            var std = Math.Sqrt(calibrationScores.Sum(s => (s - mean) * (s - mean)) / calibrationScores.Length);
            return mean + (k * std);
        }

        public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"mean + {k:g4}·std of training scores");
    }

    private sealed record FalsePositiveRateThreshold : Threshold
    {
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

        internal override double Compute(double[] calibrationScores) => UpperQuantile(calibrationScores, rate);

        public override string ToString() =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"false-positive rate {rate:g4} on {holdout * 100:0.#}% held-out clean data");
    }

    private sealed record FixedThreshold : Threshold
    {
        private readonly double value;

        public FixedThreshold(double value)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The threshold must be finite.");
            }

            this.value = value;
        }

        internal override double Compute(double[] calibrationScores) => value;

        public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"fixed {value:g6}");
    }
}
