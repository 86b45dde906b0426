using static TorchSharp.torch;

namespace Autoencoders.Data.Streaming;

/// <summary>
/// Gathers samples into one batch buffer and turns a full (or the last) batch into a float32 tensor in
/// libtorch's own memory, so that batches are aligned as the in-memory dataset's are.
/// </summary>
internal sealed class BatchAssembler(int batchSize, long[] sampleShape, int featureCount)
{
    private readonly float[] buffer = GC.AllocateUninitializedArray<float>(checked(batchSize * featureCount));

    /// <summary>The samples gathered so far.</summary>
    public int Rows { get; private set; }

    public bool IsFull => Rows == batchSize;

    /// <summary>The buffer the next sample goes to, at <see cref="NextOffset"/>.</summary>
    public float[] Buffer => buffer;

    public int NextOffset => Rows * featureCount;

    /// <summary>Copies up to the free room of consecutive samples from <paramref name="source"/>; returns how many.</summary>
    public int AddFrom(float[] source, int sourceOffset, int rows)
    {
        var taken = Math.Min(rows, batchSize - Rows);
        Array.Copy(source, sourceOffset, buffer, NextOffset, taken * featureCount);
        Rows += taken;
        return taken;
    }

    /// <summary>Counts one sample written at <see cref="NextOffset"/> by someone else.</summary>
    public void Added() => Rows++;

    /// <summary>The gathered samples as a tensor [rows, ...sampleShape] in the caller's dispose scope; empties the buffer.</summary>
    public Tensor Take()
    {
        var batch = TensorCopy.Of(buffer.AsSpan(0, Rows * featureCount), [Rows, .. sampleShape]);
        Rows = 0;
        return batch;
    }
}
