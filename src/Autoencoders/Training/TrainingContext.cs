using Autoencoders.Data;
using Autoencoders.Model;
using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>
/// The training run a <see cref="TrainingCallback"/> is called from: the model, the options, the epochs
/// done so far, the learning rate, and a way to stop.
/// </summary>
/// <example>
/// <code>
/// public override void OnEpochEnd(TrainingContext context, EpochReport report)
/// {
///     if (context.Epochs.Count &gt;= 3 &amp;&amp; report.TrainLoss &gt; context.Epochs[^3].TrainLoss)
///         context.LearningRate /= 2;                       // a plateau: halve the rate from the next epoch on
/// }
/// </code>
/// </example>
public sealed class TrainingContext
{
    private readonly optim.Optimizer optimizer;

    internal TrainingContext(
        Autoencoder model,
        TrainerOptions options,
        optim.Optimizer optimizer,
        Generator shuffle,
        Generator noise,
        DataSource train,
        DataSource? validation,
        TrainingProgressState state)
    {
        Model = model;
        Options = options;
        this.optimizer = optimizer;
        Shuffle = shuffle;
        Noise = noise;
        Train = train;
        Validation = validation;
        State = state;
    }

    /// <summary>The model being trained. Run inference on it only at epoch boundaries, never in <see cref="TrainingCallback.OnBatchLoss"/>.</summary>
    public Autoencoder Model { get; }

    /// <summary>The options of the run.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The reports of the epochs completed so far, in order (including those of a resumed checkpoint).</summary>
    public IReadOnlyList<EpochReport> Epochs => State.Reports.AsReadOnly();

    /// <summary>
    /// The optimiser's current learning rate. Setting it applies from the next step on; a
    /// <see cref="TrainerOptions.Schedule"/> other than constant sets it again at the start of every epoch,
    /// before your <see cref="TrainingCallback.OnEpochBegin"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => optimizer.ParamGroups.First().LearningRate;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a finite number, zero or more.");
            }

            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = value;
            }
        }
    }

    /// <summary>Why the run is stopping, once a callback has called <see cref="RequestStop"/>; null otherwise.</summary>
    public string? StopReason => State.StopReason;

    /// <summary>
    /// Ends the run after the current epoch (before the first, when called from
    /// <see cref="TrainingCallback.OnTrainBegin"/>). The first reason given is kept and reported in
    /// <see cref="TrainingHistory.StopReason"/>.
    /// </summary>
    /// <param name="reason">Why, in words, e.g. "validation loss below 0.05".</param>
    public void RequestStop(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        State.StopReason ??= reason;
    }

    internal optim.Optimizer Optimizer => optimizer;

    /// <summary>The generator that shuffles the training data.</summary>
    internal Generator Shuffle { get; }

    /// <summary>The generator of corruption and sampling noise, of the model's device.</summary>
    internal Generator Noise { get; }

    /// <summary>The training data, in its own units (the model's scaler applies to each batch).</summary>
    internal DataSource Train { get; }

    /// <summary>The validation data, in its own units, if any.</summary>
    internal DataSource? Validation { get; }

    /// <summary>The run's progress; what a checkpoint stores and restores.</summary>
    internal TrainingProgressState State { get; set; }

    /// <summary>The weights of the best epoch so far, when they are kept for restoring; owned by the run.</summary>
    internal Dictionary<string, Tensor>? BestWeights { get; private set; }

    /// <summary>Whether the model's weights were reset to the best epoch's at the end.</summary>
    internal bool RestoredBestWeights { get; set; }

    /// <summary>Replaces the kept best weights, disposing the previous ones.</summary>
    internal void ReplaceBestWeights(Dictionary<string, Tensor>? weights)
    {
        foreach (var tensor in BestWeights?.Values ?? Enumerable.Empty<Tensor>())
        {
            tensor.Dispose();
        }

        BestWeights = weights;
    }
}
