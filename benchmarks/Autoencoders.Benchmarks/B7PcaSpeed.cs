using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Autoencoders.Data;
using Autoencoders.Linear;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoders.Benchmarks;

/// <summary>
/// B7: the library's PCA fit time on the Fashion-MNIST training matrix (all components and k = 50), the
/// routes it was chosen against (MathNet's managed matrix product; a native BLAS SYRK as a reference), and
/// the agreement of its explained variance with an exact eigen-decomposition of a covariance computed by
/// MathNet's own product.
/// </summary>
public static class B7PcaSpeed
{
    private const int Repeats = 3;

    /// <summary>Runs B7 and writes its reports.</summary>
    /// <param name="quick">A short run on the first 10,000 training images.</param>
    /// <param name="outPath">Where to write the JSON summary; null for none.</param>
    /// <param name="dataFolder">The Fashion-MNIST folder; null for Debian's, else the repository's subset.</param>
    /// <returns>0 when the explained variances agree with the reference to 1e-9 of the largest.</returns>
    public static int Run(bool quick, string? outPath, string? dataFolder = null)
    {
        var root = LinearBenchSupport.RepoRoot();
        var header = LinearBenchSupport.Header("B7", root, quick, LinearBenchSupport.LoadAverage());
        var folder = LinearBenchSupport.DataFolder(dataFolder, root);
        Console.WriteLine($"B7 PCA speed ({(quick ? "quick" : "full")}), data {folder}");
        float[,] train;
        using (var fashion = FashionMnist.Load(folder, maxTrain: quick ? 10_000 : null, maxTest: 1))
        {
            train = fashion.Train.ToArray();
        }

        var (n, d) = (train.GetLength(0), train.GetLength(1));
        var repeats = quick ? 1 : Repeats;
        Pca.Fit(Rows(train, 1000));   // JIT warm-up

        var all = Time(repeats, () => Pca.Fit(train), out var fitted);
        var fifty = Time(repeats, () => Pca.Fit(train, components: 50), out var fitted50);
        var oneThread = Time(1, () => Pca.Fit(train, threads: 1), out _);
        Console.WriteLine($"  library PCA {n}×{d}: all components {all:f2} s, k = 50 {fifty:f2} s (medians of {repeats}), all on 1 thread {oneThread:f2} s");

        // Reference: centre with MathNet, multiply with MathNet's (managed) provider, decompose with MathNet's EVD.
        var mean = fitted.Mean;
        var centred = Matrix<double>.Build.Dense(n, d, (i, j) => train[i, j] - mean[j]);
        var watch = Stopwatch.StartNew();
        var scatter = centred.TransposeThisAndMultiply(centred);
        var managedProduct = watch.Elapsed.TotalSeconds;
        var covariance = scatter / (n - 1);
        watch.Restart();
        var evd = covariance.Evd(Symmetricity.Symmetric);
        var evdSeconds = watch.Elapsed.TotalSeconds;
        var reference = evd.EigenValues.Select(v => v.Real).OrderByDescending(v => v).ToArray();
        var order = Enumerable.Range(0, d).OrderByDescending(i => evd.EigenValues[i].Real).Take(50).ToArray();
        var referenceTop50 = Matrix<double>.Build.DenseOfColumnVectors(order.Select(i => evd.EigenVectors.Column(i)));
        Console.WriteLine($"  MathNet managed XᵀX {managedProduct:f2} s, symmetric EVD {evdSeconds:f2} s (MathNet managed provider)");

        var variance = fitted.ExplainedVariance;
        var maxAbsolute = Enumerable.Range(0, d).Max(i => Math.Abs(variance[i] - reference[i]));
        var maxRelativeTop50 = Enumerable.Range(0, 50).Max(i => Math.Abs(variance[i] - reference[i]) / reference[i]);
        var angle50 = PrincipalAngles.Largest(fitted50.Components.Transpose(), referenceTop50) * 180 / Math.PI;
        var totalDifference = Math.Abs(fitted.TotalVariance - covariance.Trace()) / covariance.Trace();
        Console.WriteLine($"  agreement: max |λ − λ_ref| / λ1 = {maxAbsolute / reference[0]:g3}, max relative (top 50) {maxRelativeTop50:g3}, top-50 subspace angle {angle50:g3}°");

        var blas = NativeSyrk.TryTime(centred, out var blasScatter);
        double? blasAgreement = blasScatter is null ? null : (blasScatter - scatter).InfinityNorm() / scatter.InfinityNorm();
        Console.WriteLine(blas is null ? "  native BLAS (libopenblas.so.0): not installed, skipped" : $"  native BLAS cblas_dsyrk {blas:f2} s, relative difference to MathNet's product {blasAgreement:g3}");

        var loadAfter = LinearBenchSupport.LoadAverage();
        var passed = maxAbsolute / reference[0] < 1e-9;
        const string openBlasProvider = "MathNet.Numerics.Providers.OpenBLAS 5.0.0 P/Invokes libMathNetNumericsOpenBLAS, a wrapper no Debian or NuGet package ships for Linux; Control.TryUseNativeOpenBLAS() returns false here, so that route is unavailable";
        var json = new Dictionary<string, object?>(header)
        {
            ["settings"] = new Dictionary<string, object?>
            {
                ["data"] = folder,
                ["rows"] = n,
                ["features"] = d,
                ["repeats"] = repeats,
                ["threads"] = Environment.ProcessorCount,
            },
            ["library_all_components_seconds"] = all,
            ["library_k50_seconds"] = fifty,
            ["library_all_components_one_thread_seconds"] = oneThread,
            ["mathnet_managed_product_seconds"] = managedProduct,
            ["mathnet_evd_seconds"] = evdSeconds,
            ["native_blas_syrk_seconds"] = blas,
            ["native_blas_relative_difference"] = blasAgreement,
            ["mathnet_openblas_provider"] = openBlasProvider,
            ["max_abs_eigenvalue_difference_over_largest"] = maxAbsolute / reference[0],
            ["max_relative_eigenvalue_difference_top50"] = maxRelativeTop50,
            ["top50_subspace_angle_degrees"] = angle50,
            ["total_variance_relative_difference"] = totalDifference,
            ["load_average_after"] = loadAfter,
        };

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# B7 PCA baseline speed{(quick ? " (quick)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(LinearBenchSupport.MachineMarkdown(header, loadAfter));
        md.AppendLine(CultureInfo.InvariantCulture, $"Data: the first {n} Fashion-MNIST training images from `{folder}`, {n}×{d}, pixels in [0, 1]. Times are wall-clock medians of {repeats} fits (after a warm-up fit on 1,000 rows), {Environment.ProcessorCount} worker threads unless stated.");
        md.AppendLine();
        md.AppendLine("| route | time |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| `Pca.Fit(train)`, all {d} components | {all:f2} s |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| `Pca.Fit(train, components: 50)` | {fifty:f2} s |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| `Pca.Fit(train, threads: 1)`, all components | {oneThread:f2} s |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| MathNet managed provider: centred XᵀX alone (`TransposeThisAndMultiply`) | {managedProduct:f2} s |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| MathNet symmetric EVD of the {d}×{d} covariance (part of every fit) | {evdSeconds:f2} s |");
        md.AppendLine(blas is null
            ? "| native BLAS `cblas_dsyrk` (libopenblas0), reference only | not installed, skipped |"
            : string.Create(CultureInfo.InvariantCulture, $"| native BLAS `cblas_dsyrk` (Debian's libopenblas0), XᵀX alone, reference only | {blas:f2} s |"));
        md.AppendLine("| MathNet OpenBLAS provider | unavailable: needs libMathNetNumericsOpenBLAS, which no Linux package ships |");
        md.AppendLine();
        md.AppendLine("The library computes the covariance with its own blocked, vectorised (256-bit FMA), multi-threaded kernel and decomposes it with MathNet's symmetric eigen-solver; the cost is the same for any number of components, so k = 50 takes as long as all of them.");
        md.AppendLine();
        md.AppendLine("Agreement with the exact reference (covariance by MathNet's own product, MathNet symmetric EVD):");
        md.AppendLine();
        md.AppendLine("| measure | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| max over all {d} eigenvalues of \\|λ − λ_ref\\| / λ1 | {maxAbsolute / reference[0]:g3} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| max relative difference, top 50 eigenvalues | {maxRelativeTop50:g3} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| largest principal angle between the top-50 subspaces | {angle50:g3}° |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| relative difference of the total variance | {totalDifference:g3} |");
        if (blasAgreement is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| BLAS XᵀX vs MathNet XᵀX, relative max-norm difference | {blasAgreement:g3} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"\nλ1 = {reference[0]:g6}, λ2 = {reference[1]:g6}, λ10 = {reference[9]:g6}, λ50 = {reference[49]:g6}; explained-variance ratio of 50 components {fitted50.ExplainedVarianceRatio.Sum():f4}.");
        LinearBenchSupport.Write("B7", quick, outPath, json, md.ToString(), root);
        return passed ? 0 : 1;
    }

    private static double Time(int repeats, Func<Pca> fit, out Pca result)
    {
        var times = new List<double>();
        result = null!;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            result = fit();
            times.Add(watch.Elapsed.TotalSeconds);
        }

        return LinearBenchSupport.Median(times);
    }

    private static float[,] Rows(float[,] data, int count)
    {
        var result = new float[count, data.GetLength(1)];
        Buffer.BlockCopy(data, 0, result, 0, count * data.GetLength(1) * sizeof(float));
        return result;
    }

    /// <summary>XᵀX by Debian's OpenBLAS (cblas_dsyrk), loaded at run time when present: a reference point only.</summary>
    private static class NativeSyrk
    {
        private const int RowMajor = 101;
        private const int Upper = 121;
        private const int Transpose = 112;

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate void DsyrkFunction(int order, int uplo, int trans, int n, int k, double alpha, IntPtr a, int lda, double beta, IntPtr c, int ldc);

        public static double? TryTime(Matrix<double> centred, out Matrix<double>? scatter)
        {
            scatter = null;
            if (!NativeLibrary.TryLoad("libopenblas.so.0", out var library))
            {
                return null;
            }

            try
            {
                var dsyrk = Marshal.GetDelegateForFunctionPointer<DsyrkFunction>(NativeLibrary.GetExport(library, "cblas_dsyrk"));
                var (n, d) = (centred.RowCount, centred.ColumnCount);
                var rows = centred.ToRowMajorArray();
                var result = new double[d * d];
                var watch = Stopwatch.StartNew();
                var a = GCHandle.Alloc(rows, GCHandleType.Pinned);
                var c = GCHandle.Alloc(result, GCHandleType.Pinned);
                try
                {
                    dsyrk(RowMajor, Upper, Transpose, d, n, 1.0, a.AddrOfPinnedObject(), d, 0.0, c.AddrOfPinnedObject(), d);
                }
                finally
                {
                    a.Free();
                    c.Free();
                }

                var seconds = watch.Elapsed.TotalSeconds;
                scatter = Matrix<double>.Build.Dense(d, d, (i, j) => i <= j ? result[(i * d) + j] : result[(j * d) + i]);
                return seconds;
            }
            finally
            {
                NativeLibrary.Free(library);
            }
        }
    }
}
