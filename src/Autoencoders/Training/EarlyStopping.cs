namespace Autoencoders.Training;

/// <summary>
/// The built-in callback behind <see cref="TrainerOptions.Patience"/>: stops the run after that many
/// epochs without improvement of the monitored loss (as the trainer records it in
/// <see cref="EpochReport.IsBest"/>, with <see cref="TrainerOptions.MinDelta"/>).
/// </summary>
internal sealed class EarlyStopping(int patience) : TrainingCallback
{
    public override void OnEpochEnd(TrainingContext context, EpochReport report)
    {
        if (context.State.EpochsWithoutImprovement >= patience)
        {
            context.RequestStop($"early stopping: no improvement of the {(report.ValidationLoss is null ? "training" : "validation")} loss for {patience} epochs");
        }
    }
}
