namespace Autoencoders.Training;

/// <summary>
/// One training batch's loss terms, as <see cref="TrainingCallback.OnBatchLoss"/> receives them: the
/// values the trainer reads back anyway for its epoch means, so looking at them costs no extra work.
/// </summary>
/// <example>
/// <code>
/// public override void OnBatchLoss(TrainingContext context, BatchLoss batch)
/// {
///     if (batch.Batch % 100 == 0) Console.WriteLine($"epoch {batch.Epoch} batch {batch.Batch}: {batch.Loss:g4}");
/// }
/// </code>
/// </example>
public readonly struct BatchLoss
{
    private readonly KeyValuePair<string, float>[] terms;

    internal BatchLoss(int epoch, int batch, int size, KeyValuePair<string, float>[] terms)
    {
        Epoch = epoch;
        Batch = batch;
        Size = size;
        this.terms = terms;
    }

    /// <summary>The one-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>The one-based batch within the epoch.</summary>
    public int Batch { get; }

    /// <summary>The number of samples in the batch.</summary>
    public int Size { get; }

    /// <summary>Each named loss term of the batch (mean over its samples), in the order the model adds them.</summary>
    public IReadOnlyList<KeyValuePair<string, float>> Terms => terms ?? [];

    /// <summary>The sum of <see cref="Terms"/>: the batch's loss.</summary>
    public float Loss
    {
        get
        {
            // Summed in double and rounded once, as Enumerable.Sum does for floats.
            double total = 0;
            foreach (var term in terms ?? [])
            {
                total += term.Value;
            }

            return (float)total;
        }
    }
}
