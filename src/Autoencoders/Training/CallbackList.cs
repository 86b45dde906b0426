namespace Autoencoders.Training;

/// <summary>
/// The callbacks of one run, built-in ones first, and the one place that calls them: in order, and with
/// a user callback's exception turned into a <see cref="TrainingCallbackException"/> that says where
/// it happened and what the model holds.
/// </summary>
internal sealed class CallbackList
{
    private readonly TrainingCallback[] callbacks;
    private readonly int builtInCount;

    // Indices of the callbacks that override OnBatchLoss, found once so that the others cost nothing per step.
    private readonly int[] batchHandlers;

    public CallbackList(IEnumerable<TrainingCallback> builtIn, IEnumerable<TrainingCallback>? user)
    {
        var users = user?.ToArray() ?? [];
        if (Array.IndexOf(users, null) is var missing and >= 0)
        {
            throw new ArgumentException($"The callback at position {missing} is null.", nameof(user));
        }

        var builtIns = builtIn.ToArray();
        callbacks = [.. builtIns, .. users];
        builtInCount = builtIns.Length;
        batchHandlers = [.. Enumerable.Range(0, callbacks.Length).Where(i => callbacks[i].HandlesBatches())];
    }

    public void TrainBegin(TrainingContext context) =>
        Each(nameof(TrainingCallback.OnTrainBegin), context, 0, 0, static (c, context, _) => c.OnTrainBegin(context));

    public void EpochBegin(TrainingContext context, int epoch) =>
        Each(nameof(TrainingCallback.OnEpochBegin), context, epoch, epoch, static (c, context, epoch) => c.OnEpochBegin(context, epoch));

    public void BatchLoss(TrainingContext context, BatchLoss batch)
    {
        foreach (var i in batchHandlers)
        {
            try
            {
                callbacks[i].OnBatchLoss(context, batch);
            }
            catch (Exception e) when (IsUsers(i, e))
            {
                throw Failed(i, nameof(TrainingCallback.OnBatchLoss), batch.Epoch, $"the weights before batch {batch.Batch} of epoch {batch.Epoch} (its update was not applied)", e);
            }
        }
    }

    public string[] Warnings(TrainingContext context, IReadOnlyDictionary<string, double> diagnostics) =>
        [.. callbacks.SelectMany(c => c.Warnings(context, diagnostics)).Except(context.State.Warnings)];

    public void EpochEnd(TrainingContext context, EpochReport report) =>
        Each(nameof(TrainingCallback.OnEpochEnd), context, report.Epoch, report, static (c, context, report) => c.OnEpochEnd(context, report));

    public void TrainEnd(TrainingContext context) =>
        Each(nameof(TrainingCallback.OnTrainEnd), context, context.State.CompletedEpochs, 0, static (c, context, _) => c.OnTrainEnd(context));

    private void Each<T>(string hook, TrainingContext context, int epoch, T argument, Action<TrainingCallback, TrainingContext, T> call)
    {
        for (var i = 0; i < callbacks.Length; i++)
        {
            try
            {
                call(callbacks[i], context, argument);
            }
            catch (Exception e) when (IsUsers(i, e))
            {
                throw Failed(i, hook, epoch, WeightsAfterFailure(hook, epoch), e);
            }
        }
    }

    // The built-in callbacks' exceptions (divergence, a foreign checkpoint) are the trainer's own and
    // pass unchanged, as does a cancellation.
    private bool IsUsers(int index, Exception e) => index >= builtInCount && e is not OperationCanceledException;

    private TrainingCallbackException Failed(int index, string hook, int epoch, string weights, Exception e)
    {
        var callback = callbacks[index];
        return new TrainingCallbackException(
            $"The training callback {callback.GetType().Name} failed in {hook}{(epoch > 0 ? $" at epoch {epoch}" : string.Empty)}: {e.Message.TrimEnd('.')}. " +
            $"Training stopped; the model holds {weights} and is in evaluation mode.",
            callback,
            hook,
            epoch,
            e);
    }

    private static string WeightsAfterFailure(string hook, int epoch) => hook switch
    {
        nameof(TrainingCallback.OnTrainBegin) => "the weights it came with (or a resumed checkpoint's)",
        nameof(TrainingCallback.OnEpochBegin) => epoch > 1 ? $"the weights at the end of epoch {epoch - 1}" : "the weights it came with",
        nameof(TrainingCallback.OnEpochEnd) => $"the weights at the end of epoch {epoch} (best weights not restored)",
        _ => "its final weights (best weights restored where that applies)",
    };
}
