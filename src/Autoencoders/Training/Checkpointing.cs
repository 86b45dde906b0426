namespace Autoencoders.Training;

/// <summary>
/// The built-in callback behind <see cref="TrainerOptions.CheckpointPath"/>: resumes the run from the
/// checkpoint when the file exists, rewrites it every <see cref="TrainerOptions.CheckpointEvery"/>
/// epochs (and at the last or a stopping epoch), and deletes it when the run completes. It runs after
/// the other built-in callbacks, so the checkpoint holds their decisions (the best weights, a stop).
/// </summary>
internal sealed class Checkpointing(string path, int every) : TrainingCallback
{
    public override void OnTrainBegin(TrainingContext context)
    {
        if (File.Exists(path))
        {
            var (state, best) = Checkpoint.Restore(path, context.Model, context.Optimizer, context.Shuffle, context.Noise, context.State.Fingerprint);
            context.State = state;
            context.ReplaceBestWeights(best);
        }
    }

    public override void OnEpochEnd(TrainingContext context, EpochReport report)
    {
        var completed = context.State.CompletedEpochs;
        if (completed % every == 0 || completed == context.Options.Epochs || context.StopReason is not null)
        {
            Checkpoint.Save(path, context.Model, context.Optimizer, context.Shuffle, context.Noise, context.BestWeights, context.State);
        }
    }

    public override void OnTrainEnd(TrainingContext context) => File.Delete(path);
}
