namespace Autoencoders.Benchmarks;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its callback on the reporting thread, immediately (between two
/// epochs of <c>Trainer.Fit</c>), unlike <see cref="Progress{T}"/>, which posts it to the thread pool.
/// </summary>
internal sealed class ImmediateProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
