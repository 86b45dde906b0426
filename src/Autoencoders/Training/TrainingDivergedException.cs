namespace Autoencoders.Training;

/// <summary>
/// Thrown when a loss term becomes NaN or infinite during training. The message says where (epoch,
/// batch, term) and the likely cause. The failing batch's update is not applied, but earlier steps may
/// already have driven the weights to extreme or non-finite values: rebuild or reload the model before
/// using it again.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message, int epoch, int batch, string term)
        : base(message)
    {
        Epoch = epoch;
        Batch = batch;
        Term = term;
    }

    /// <summary>The one-based epoch in which the loss became non-finite.</summary>
    public int Epoch { get; }

    /// <summary>The one-based batch within that epoch.</summary>
    public int Batch { get; }

    /// <summary>The name of the first non-finite loss term.</summary>
    public string Term { get; }
}
