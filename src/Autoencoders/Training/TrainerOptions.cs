using Autoencoders.Native;

namespace Autoencoders.Training;

/// <summary>
/// Everything that configures a training run. Defaults suit a small dense autoencoder on scaled data.
/// </summary>
/// <remarks>
/// Some options switch on one of the trainer's built-in <see cref="TrainingCallback"/>s: a schedule other
/// than <see cref="LearningRateSchedule.Constant"/>, <see cref="RestoreBestWeights"/>,
/// <see cref="Patience"/> and <see cref="CheckpointPath"/>; the NaN/∞ guard and the failure-mode warnings
/// are always on. The options are plain settings; callbacks of your own are passed to
/// <see cref="Trainer.Fit"/>.
/// </remarks>
/// <example>
/// <code>
/// var options = new TrainerOptions { Epochs = 30, BatchSize = 128, Patience = 5, ValidationFraction = 0.1 };
/// </code>
/// </example>
public sealed record TrainerOptions
{
    /// <summary>The maximum number of passes over the training data.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Samples per optimisation step; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The base learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The optimiser.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Weight decay: coupled L2 for Adam and SGD, decoupled for AdamW.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Momentum for <see cref="OptimizerKind.Sgd"/>.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>How the learning rate changes over epochs.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// The fraction of the training data held out for validation when no validation set is passed
    /// to <see cref="Trainer.Fit"/>; 0 for none.
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// Stop after this many epochs without improvement of the monitored loss (the validation loss when
    /// there is validation data, else the training loss); null to always run every epoch.
    /// </summary>
    public int? Patience { get; init; }

    /// <summary>The smallest decrease of the monitored loss that counts as an improvement.</summary>
    public double MinDelta { get; init; }

    /// <summary>
    /// When there is validation data, end with the weights of the epoch with the lowest validation loss
    /// rather than those of the last epoch.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>Rescale gradients whose global L2 norm exceeds this value; null for no clipping.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Reshuffle the training data every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seeds shuffling and the validation split (the model's weights are seeded when it is built).</summary>
    public long Seed { get; init; }

    /// <summary>
    /// libtorch intra-op threads used while training; null for <see cref="ThreadPolicy.DefaultTrainingThreads"/>.
    /// Results are bit-identical for the same seed, the same thread count and the same device, on the CPU
    /// (a run on a CUDA device gives other numbers than one on the CPU, and whether it repeats bit for bit
    /// on the GPU is not verified: see the user guide's section on devices).
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Where to keep a checkpoint of the run (weights, optimiser and random state, progress), rewritten
    /// atomically every <see cref="CheckpointEvery"/> epochs. If the file exists when training starts,
    /// the run resumes from it and continues bit for bit as if it had never stopped (same thread count
    /// assumed). It is deleted when the run completes. Null for no checkpoints.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>How many epochs apart checkpoints are written.</summary>
    public int CheckpointEvery { get; init; } = 1;

    internal void Validate()
    {
        Require(Epochs > 0, $"Epochs must be positive; it is {Epochs}.");
        Require(BatchSize > 0, $"BatchSize must be positive; it is {BatchSize}.");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, $"LearningRate must be a positive number; it is {LearningRate}.");
        Require(Enum.IsDefined(Optimizer), $"Unknown optimizer {Optimizer}.");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, $"WeightDecay must be zero or positive; it is {WeightDecay}.");
        Require(double.IsFinite(Momentum) && Momentum >= 0 && Momentum < 1, $"Momentum must be in [0, 1); it is {Momentum}.");
        Require(Schedule is not null, "Schedule must not be null.");
        Require(ValidationFraction >= 0 && ValidationFraction < 1, $"ValidationFraction must be in [0, 1); it is {ValidationFraction}.");
        Require(Patience is null or > 0, $"Patience must be positive or null; it is {Patience}.");
        Require(MinDelta >= 0, $"MinDelta must be zero or positive; it is {MinDelta}.");
        Require(GradientClipNorm is null or > 0, $"GradientClipNorm must be positive or null; it is {GradientClipNorm}.");
        Require(Threads is null or > 0, $"Threads must be positive or null; it is {Threads}.");
        Require(CheckpointEvery > 0, $"CheckpointEvery must be positive; it is {CheckpointEvery}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
