using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Autoencoders.Data.Streaming;

/// <summary>
/// Runs a pass's reader on its own thread, a few blocks ahead of the consumer, so that reading, decoding
/// and parsing overlap with training. The order of the blocks is the reader's; an exception it throws
/// reaches the consumer after the blocks read before it. Disposing stops the reader and waits for it, so
/// that no file stays open.
/// </summary>
internal sealed class ReadAhead : IDisposable
{
    private readonly BlockingCollection<SampleBlock> queue;
    private readonly CancellationTokenSource stop = new();
    private readonly Task reader;
    private Exception? failure;

    public ReadAhead(Func<BlockPool, CancellationToken, IEnumerable<SampleBlock>> read, int depth = 2)
    {
        queue = new BlockingCollection<SampleBlock>(depth);
        Pool = new BlockPool(depth + 2);
        var token = stop.Token;
        reader = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    foreach (var block in read(Pool, token))
                    {
                        queue.Add(block, token);
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // The consumer stopped early.
                }
                catch (Exception e)
                {
                    Volatile.Write(ref failure, e);
                }
                finally
                {
                    queue.CompleteAdding();
                }
            },
            token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Where the consumer returns the value arrays of the blocks it is done with.</summary>
    public BlockPool Pool { get; }

    /// <summary>The blocks in the reader's order, then the reader's exception, if it threw.</summary>
    public IEnumerable<SampleBlock> Blocks()
    {
        foreach (var block in queue.GetConsumingEnumerable())
        {
            yield return block;
        }

        if (Volatile.Read(ref failure) is { } e)
        {
            ExceptionDispatchInfo.Throw(e);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        try
        {
            reader.Wait();
        }
        catch (AggregateException)
        {
            // The reader's failures are reported through Blocks.
        }

        queue.Dispose();
        stop.Dispose();
    }
}
