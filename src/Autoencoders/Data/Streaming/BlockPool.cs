using System.Collections.Concurrent;

namespace Autoencoders.Data.Streaming;

/// <summary>
/// The value arrays of one pass, handed back by the consumer and reused by the reader, so that a pass over
/// any amount of data allocates only the few arrays in flight.
/// </summary>
internal sealed class BlockPool(int keep)
{
    private readonly ConcurrentQueue<float[]> free = new();

    /// <summary>An array of at least <paramref name="length"/> values (contents undefined).</summary>
    public float[] Rent(int length)
    {
        while (free.TryDequeue(out var array))
        {
            if (array.Length >= length)
            {
                return array;
            }
        }

        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Makes an array the consumer is done with available again.</summary>
    public void Return(float[] array)
    {
        if (free.Count < keep)
        {
            free.Enqueue(array);
        }
    }
}
