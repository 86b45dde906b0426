namespace Autoencoders.Training;

/// <summary>The record of a finished training run.</summary>
/// <param name="Epochs">One report per completed epoch, in order.</param>
/// <param name="BestEpoch">The one-based epoch with the lowest monitored loss.</param>
/// <param name="BestLoss">That lowest monitored loss.</param>
/// <param name="StoppedEarly">Whether early stopping or a callback's <see cref="TrainingContext.RequestStop"/> ended the run before the last epoch.</param>
/// <param name="RestoredBestWeights">Whether the model's weights were reset to those of <paramref name="BestEpoch"/>.</param>
/// <param name="Threads">The intra-op thread count used.</param>
/// <param name="Duration">Wall-clock time of the whole run.</param>
/// <param name="Warnings">Every distinct failure-mode warning raised during the run.</param>
public sealed record TrainingHistory(
    IReadOnlyList<EpochReport> Epochs,
    int BestEpoch,
    double BestLoss,
    bool StoppedEarly,
    bool RestoredBestWeights,
    int Threads,
    TimeSpan Duration,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Why the run ended before its last epoch (see <see cref="StoppedEarly"/>); null when it ran every epoch.</summary>
    public string? StopReason { get; init; }

    /// <summary>The training loss of each epoch, in order.</summary>
    public IReadOnlyList<double> TrainLosses => Epochs.Select(e => e.TrainLoss).ToArray();

    /// <summary>The validation loss of each epoch, in order (empty without validation data).</summary>
    public IReadOnlyList<double> ValidationLosses => Epochs.Where(e => e.ValidationLoss.HasValue).Select(e => e.ValidationLoss!.Value).ToArray();
}
