namespace Autoencoders.Training;

/// <summary>The part of a training run's state that is not tensors: what a checkpoint stores as JSON.</summary>
internal sealed class TrainingProgressState
{
    public int CompletedEpochs { get; set; }

    public int BestEpoch { get; set; }

    public double BestLoss { get; set; } = double.PositiveInfinity;

    public int EpochsWithoutImprovement { get; set; }

    public List<EpochReport> Reports { get; set; } = [];

    public List<string> Warnings { get; set; } = [];

    /// <summary>Why the run stops early, once a callback asked it to; kept so that a resumed run stops too.</summary>
    public string? StopReason { get; set; }

    /// <summary>Identifies the configuration and data the run belongs to; a checkpoint resumes only the same run.</summary>
    public string Fingerprint { get; set; } = string.Empty;
}
