using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// The plain TorchSharp training and inference loops the library is compared with: what a user would
/// write from the PyTorch tutorials, with nothing the library does not also have to do.
/// </summary>
internal static class HandwrittenLoop
{
    /// <summary>
    /// One epoch of Adam over <paramref name="data"/> (shuffled with randperm, batches gathered with
    /// index_select), the loss read back with <c>.item()</c> every step, one dispose scope per step. Like
    /// <c>Trainer.Fit</c>, it creates its optimizer on entry, so the timed region covers the same work.
    /// </summary>
    /// <returns>Wall-clock seconds of the whole call, and the mean loss per sample.</returns>
    public static (double Seconds, double MeanLoss) TrainEpoch(Sequential net, Tensor data, int batchSize, double learningRate, torch.Generator generator)
    {
        var watch = Stopwatch.StartNew();
        using var optimizer = optim.Adam(net.parameters(), learningRate);
        net.train();
        var count = data.shape[0];
        double lossSum = 0;
        using (var epochScope = NewDisposeScope())
        {
            var order = randperm(count, generator: generator);
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(batchSize, count - start);
                var batch = data.index_select(0, order.narrow(0, start, length));
                optimizer.zero_grad();
                var output = net.forward(batch);
                // Squared error summed over features, averaged over the batch: the library's objective.
                var loss = nn.functional.mse_loss(output, batch, nn.Reduction.Sum) / length;
                lossSum += loss.item<float>() * (double)length;
                loss.backward();
                optimizer.step();
            }
        }

        watch.Stop();
        return (watch.Elapsed.TotalSeconds, lossSum / count);
    }

    /// <summary>
    /// Reconstructs <paramref name="data"/> in batches of 1024 under no_grad in eval mode and copies the
    /// results to one managed array (the caller needs the numbers, as with <c>Reconstruct</c>).
    /// </summary>
    public static float[] Reconstruct(Sequential net, Tensor data, int batchSize = 1024)
    {
        var count = data.shape[0];
        var features = (int)(data.numel() / count);
        var result = new float[count * features];
        net.eval();
        try
        {
            using var noGrad = no_grad();
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(batchSize, count - start);
                var output = net.forward(data.narrow(0, start, length));
                output.data<float>().CopyTo(result, checked((int)(start * features)));
            }
        }
        finally
        {
            net.train();
        }

        return result;
    }
}
