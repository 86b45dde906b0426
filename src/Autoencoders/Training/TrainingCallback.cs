namespace Autoencoders.Training;

/// <summary>
/// Code that runs at fixed points of a training run: to log, to stop on a condition, to save snapshots,
/// to change the learning rate. Subclass it and override only the hooks you need; pass instances to
/// <see cref="Trainer.Fit"/>.
/// </summary>
/// <example>
/// <code>
/// sealed class StopBelow(double target) : TrainingCallback
/// {
///     public override void OnEpochEnd(TrainingContext context, EpochReport report)
///     {
///         if (report.ValidationLoss &lt; target) context.RequestStop($"validation loss below {target}");
///     }
/// }
///
/// var history = trainer.Fit(model, train, callbacks: [new StopBelow(0.05), new CsvLogger("history.csv")]);
/// </code>
/// </example>
/// <remarks>
/// <para>
/// The trainer's own policies are callbacks too, added from <see cref="TrainerOptions"/>: the
/// learning-rate schedule, the NaN/∞ guard, the failure-mode warnings, best-weight restore, early
/// stopping and checkpoints. For every hook they run first, in that order, then yours in the order you
/// passed them, then the <see cref="IProgress{T}"/> report (after <see cref="OnEpochEnd"/>). So at
/// <see cref="OnTrainBegin"/> you see a resumed run's history, and at <see cref="OnTrainEnd"/> the
/// model already holds its best weights.
/// </para>
/// <para>
/// A run calls <see cref="OnTrainBegin"/>; then for each epoch <see cref="OnEpochBegin"/>,
/// <see cref="OnBatchLoss"/> for each training batch, and <see cref="OnEpochEnd"/> once the epoch is
/// validated; then <see cref="OnTrainEnd"/> when it ends normally (all epochs, or a stop). A run that
/// fails or is cancelled does not call <see cref="OnTrainEnd"/>.
/// </para>
/// <para>
/// An exception thrown by your callback ends the run as a <see cref="TrainingCallbackException"/>
/// (an <see cref="OperationCanceledException"/> passes through unchanged) whose message says which
/// callback, hook and epoch failed and which weights the model holds; the model is left in evaluation
/// mode. A callback instance holds the state of one run: do not share one between concurrent runs.
/// </para>
/// </remarks>
public abstract class TrainingCallback
{
    /// <summary>
    /// Called once before the first epoch, after a checkpoint (if any) was resumed:
    /// <see cref="TrainingContext.Epochs"/> then holds the epochs already done.
    /// </summary>
    public virtual void OnTrainBegin(TrainingContext context)
    {
    }

    /// <summary>
    /// Called before each epoch's first step. Setting <see cref="TrainingContext.LearningRate"/> here
    /// sets the rate of this epoch.
    /// </summary>
    /// <param name="context">The run.</param>
    /// <param name="epoch">The one-based number of the epoch about to start.</param>
    public virtual void OnEpochBegin(TrainingContext context, int epoch)
    {
    }

    /// <summary>
    /// Called for each training batch once its loss terms are known, before the gradients are computed
    /// and applied; throwing here therefore leaves the weights as they were before this batch. A
    /// callback that does not override this method costs nothing per step: the trainer calls only the
    /// callbacks that override it (checked once per run). The model is in training mode here: do not
    /// run inference on it.
    /// </summary>
    /// <param name="context">The run.</param>
    /// <param name="batch">The batch's loss terms and position.</param>
    public virtual void OnBatchLoss(TrainingContext context, BatchLoss batch)
    {
    }

    /// <summary>
    /// Called after each epoch is trained, validated and recorded (<paramref name="report"/> is the
    /// last of <see cref="TrainingContext.Epochs"/>). Call <see cref="TrainingContext.RequestStop"/> to
    /// end the run here.
    /// </summary>
    public virtual void OnEpochEnd(TrainingContext context, EpochReport report)
    {
    }

    /// <summary>Called once when the run ends normally, after the best weights (if kept) were restored.</summary>
    public virtual void OnTrainEnd(TrainingContext context)
    {
    }

    /// <summary>
    /// Failure-mode warnings to add to the epoch's report, asked after validation and before the report
    /// exists (so a public hook cannot provide them). Only the built-in warnings callback uses it.
    /// </summary>
    internal virtual IEnumerable<string> Warnings(TrainingContext context, IReadOnlyDictionary<string, double> diagnostics) => [];

    /// <summary>Whether this callback's type overrides <see cref="OnBatchLoss"/>.</summary>
    internal bool HandlesBatches() =>
        GetType().GetMethod(nameof(OnBatchLoss), [typeof(TrainingContext), typeof(BatchLoss)])!.DeclaringType != typeof(TrainingCallback);
}
