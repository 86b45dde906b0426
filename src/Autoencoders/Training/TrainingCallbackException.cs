namespace Autoencoders.Training;

/// <summary>
/// Thrown by <see cref="Trainer.Fit"/> when one of your <see cref="TrainingCallback"/>s throws. The
/// message names the callback, the hook and the epoch, and says which weights the model holds; the
/// original exception is the <see cref="Exception.InnerException"/>.
/// </summary>
/// <remarks>
/// The model is left in evaluation mode with the weights it had when the callback failed: those it
/// came with (or a resumed checkpoint's) for <see cref="TrainingCallback.OnTrainBegin"/>; those before
/// the batch for <see cref="TrainingCallback.OnBatchLoss"/> (its update is not applied); those at the
/// end of the epoch, without best-weight restore, for <see cref="TrainingCallback.OnEpochEnd"/>. A
/// checkpoint, when configured, is kept and resumes the run.
/// </remarks>
public sealed class TrainingCallbackException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingCallbackException(string message, TrainingCallback callback, string hook, int epoch, Exception innerException)
        : base(message, innerException)
    {
        Callback = callback;
        Hook = hook;
        Epoch = epoch;
    }

    /// <summary>The callback that threw.</summary>
    public TrainingCallback Callback { get; }

    /// <summary>The name of the hook that threw, e.g. <c>OnEpochEnd</c>.</summary>
    public string Hook { get; }

    /// <summary>The one-based epoch the run was in; 0 before the first.</summary>
    public int Epoch { get; }
}
