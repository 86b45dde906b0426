namespace Autoencoders.Training;

/// <summary>
/// How the learning rate changes from epoch to epoch. The rate for an epoch is computed from the
/// base rate, the epoch index and the number of epochs alone, so a schedule has no hidden state.
/// </summary>
/// <example>
/// <code>
/// var options = new TrainerOptions { Epochs = 50, Schedule = LearningRateSchedule.Cosine(minimum: 1e-5) };
/// </code>
/// </example>
public abstract record LearningRateSchedule
{
    /// <summary>The base rate in every epoch.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>Cosine annealing from the base rate at the first epoch to <paramref name="minimum"/> at the last.</summary>
    public static LearningRateSchedule Cosine(double minimum = 0) => new CosineSchedule(minimum);

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="every"/> epochs.</summary>
    public static LearningRateSchedule Step(int every, double gamma = 0.1) => new StepSchedule(every, gamma);

    /// <summary>The learning rate for the zero-based <paramref name="epoch"/> of <paramref name="epochs"/>.</summary>
    public abstract double RateAt(int epoch, int epochs, double baseRate);

    private sealed record ConstantSchedule : LearningRateSchedule
    {
        public override double RateAt(int epoch, int epochs, double baseRate) => baseRate;

        public override string ToString() => "constant";
    }

    private sealed record CosineSchedule : LearningRateSchedule
    {
        private readonly double minimum;

        public CosineSchedule(double minimum)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(minimum);
            this.minimum = minimum;
        }

        public override double RateAt(int epoch, int epochs, double baseRate) =>
            epochs <= 1 ? baseRate : minimum + (0.5 * (baseRate - minimum) * (1 + Math.Cos(Math.PI * epoch / (epochs - 1))));

        public override string ToString() => $"cosine to {minimum:g3}";
    }

    private sealed record StepSchedule : LearningRateSchedule
    {
        private readonly int every;
        private readonly double gamma;

        public StepSchedule(int every, double gamma)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gamma);
            this.every = every;
            this.gamma = gamma;
        }

        public override double RateAt(int epoch, int epochs, double baseRate) => baseRate * Math.Pow(gamma, epoch / every);

        public override string ToString() => $"×{gamma:g3} every {every} epochs";
    }
}
