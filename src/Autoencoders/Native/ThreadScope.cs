using TorchSharp;

namespace Autoencoders.Native;

/// <summary>Sets libtorch's process-wide intra-op thread count for a using block and restores it after.</summary>
internal sealed class ThreadScope : IDisposable
{
    private readonly int previous;

    public ThreadScope(int? threads)
    {
        if (threads is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "The thread count must be positive, or null for the library's default.");
        }

        previous = torch.get_num_threads();
        torch.set_num_threads(threads ?? ThreadPolicy.DefaultTrainingThreads);
    }

    public void Dispose() => torch.set_num_threads(previous);
}
