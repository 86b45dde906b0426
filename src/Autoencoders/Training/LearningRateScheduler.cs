namespace Autoencoders.Training;

/// <summary>The built-in callback behind <see cref="TrainerOptions.Schedule"/>: sets each epoch's rate from the schedule.</summary>
internal sealed class LearningRateScheduler(LearningRateSchedule schedule) : TrainingCallback
{
    public override void OnEpochBegin(TrainingContext context, int epoch) =>
        context.LearningRate = schedule.RateAt(epoch - 1, context.Options.Epochs, context.Options.LearningRate);
}
