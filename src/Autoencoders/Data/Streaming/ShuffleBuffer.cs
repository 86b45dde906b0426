namespace Autoencoders.Data.Streaming;

/// <summary>
/// A stream's shuffle buffer: it holds up to a fixed number of samples and, once full, lets out a sample
/// chosen at random for each one that comes in; at the end of the pass it lets out the rest in random
/// order. A buffer at least as large as the data therefore gives a uniformly random permutation.
/// Its storage grows with use up to the capacity, so a small source never allocates the whole buffer.
/// </summary>
internal sealed class ShuffleBuffer(int capacity, int featureCount, ulong seed)
{
    private ShuffleRandom random = new(seed);
    private float[] storage = [];
    private int count;

    /// <summary>
    /// Takes the sample at <paramref name="source"/>[<paramref name="sourceOffset"/>..]. When the buffer
    /// was full, first moves a random sample out to <paramref name="destination"/>[<paramref name="destinationOffset"/>..]
    /// and returns true.
    /// </summary>
    public bool Push(float[] source, int sourceOffset, float[] destination, int destinationOffset)
    {
        if (count < capacity)
        {
            if ((count + 1) * featureCount > storage.Length)
            {
                Array.Resize(ref storage, (int)Math.Min((long)capacity * featureCount, Math.Max(2L * storage.Length, 64L * featureCount)));
            }

            Array.Copy(source, sourceOffset, storage, count * featureCount, featureCount);
            count++;
            return false;
        }

        var slot = random.Next(capacity) * featureCount;
        Array.Copy(storage, slot, destination, destinationOffset, featureCount);
        Array.Copy(source, sourceOffset, storage, slot, featureCount);
        return true;
    }

    /// <summary>Moves a random remaining sample out; false when the buffer is empty.</summary>
    public bool Pop(float[] destination, int destinationOffset)
    {
        if (count == 0)
        {
            return false;
        }

        var slot = random.Next(count) * featureCount;
        Array.Copy(storage, slot, destination, destinationOffset, featureCount);
        count--;
        Array.Copy(storage, count * featureCount, storage, slot, featureCount);
        return true;
    }
}
