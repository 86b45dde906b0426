using System.Diagnostics;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// The machine's practical FP32 peak: GFLOP/s of a 2048×2048 by 2048×2048 float32 <c>torch.mm</c> (the
/// BLAS SGEMM libtorch uses for every Linear layer) at a given intra-op thread count.
/// </summary>
internal static class SgemmPeak
{
    private const int Size = 2048;

    /// <summary>The median GFLOP/s over <paramref name="runs"/> products after two warm-up products.</summary>
    public static (double Median, double[] Runs) Measure(int threads, int runs)
    {
        var previous = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator(7);
            var a = rand([Size, Size], generator: generator);
            var b = rand([Size, Size], generator: generator);
            const double flops = 2.0 * Size * Size * Size;
            var results = new double[runs];
            for (var i = -2; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                using (var c = a.mm(b))
                {
                    watch.Stop();
                }

                if (i >= 0)
                {
                    results[i] = flops / watch.Elapsed.TotalSeconds / 1e9;
                }
            }

            return (Stats.Median(results), results);
        }
        finally
        {
            set_num_threads(previous);
        }
    }
}
