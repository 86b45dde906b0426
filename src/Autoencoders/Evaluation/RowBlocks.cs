using static TorchSharp.torch;

namespace Autoencoders.Evaluation;

/// <summary>
/// Walks query rows a block at a time, each block in its own dispose scope, checking for cancellation
/// before and reporting progress after each one.
/// </summary>
internal static class RowBlocks
{
    /// <summary>Distance entries [rows × points] per block: 64 MB of float64, whatever the data's size.</summary>
    private const int EntriesPerBlock = 8_000_000;

    public static void Run(int rows, int points, Action<int, int> block, IProgress<NeighbourSearchProgress>? progress, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(EntriesPerBlock / points, 16, 2048);
        for (var start = 0; start < rows; start += size)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = Math.Min(size, rows - start);
            using (NewDisposeScope())
            {
                block(start, length);
            }

            progress?.Report(new NeighbourSearchProgress(start + length, rows));
        }
    }
}
