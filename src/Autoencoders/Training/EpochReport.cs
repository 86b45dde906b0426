namespace Autoencoders.Training;

/// <summary>What happened in one epoch; passed to <see cref="IProgress{T}"/> and kept in the history.</summary>
/// <param name="Epoch">One-based epoch number.</param>
/// <param name="Epochs">The configured maximum number of epochs.</param>
/// <param name="TrainLoss">Mean total loss per sample over the epoch's training batches.</param>
/// <param name="TrainTerms">Mean of each named loss term over the epoch's training batches.</param>
/// <param name="ValidationLoss">Mean total loss on the validation data after the epoch, if any.</param>
/// <param name="ValidationTerms">Mean of each named loss term on the validation data, if any.</param>
/// <param name="LearningRate">The learning rate used in this epoch.</param>
/// <param name="Duration">Wall-clock time of the epoch's training steps (validation excluded).</param>
/// <param name="SamplesPerSecond">Training throughput of the epoch.</param>
/// <param name="IsBest">Whether the monitored loss improved in this epoch.</param>
/// <param name="Diagnostics">The model's diagnostics after the epoch (e.g. a VAE's active units), on the validation data when there is some.</param>
/// <param name="Warnings">Failure-mode warnings raised by this epoch (identity map risk, posterior collapse).</param>
public sealed record EpochReport(
    int Epoch,
    int Epochs,
    double TrainLoss,
    IReadOnlyDictionary<string, double> TrainTerms,
    double? ValidationLoss,
    IReadOnlyDictionary<string, double>? ValidationTerms,
    double LearningRate,
    TimeSpan Duration,
    double SamplesPerSecond,
    bool IsBest,
    IReadOnlyDictionary<string, double> Diagnostics,
    IReadOnlyList<string> Warnings)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"epoch {Epoch}/{Epochs}  loss {TrainLoss:g5}" +
        (ValidationLoss is { } v ? $"  val {v:g5}" : string.Empty) +
        string.Concat(Diagnostics.Select(d => $"  {d.Key} {d.Value:g4}")) +
        $"  lr {LearningRate:g3}  {SamplesPerSecond:n0} samples/s" + (IsBest ? "  *" : string.Empty) +
        string.Concat(Warnings.Select(w => $"{Environment.NewLine}  warning: {w}"));
}
