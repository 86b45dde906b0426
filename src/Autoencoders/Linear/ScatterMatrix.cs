using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoders.Linear;

/// <summary>
/// The scatter matrix Σ_r (x_r − μ)(x_r − μ)ᵀ of the rows of a data matrix, in double precision.
/// </summary>
/// <remarks>
/// MathNet's managed provider multiplies a 60,000×784 matrix by its transpose in about a minute, and
/// its OpenBLAS provider needs a native wrapper (libMathNetNumericsOpenBLAS) that no Linux package
/// ships. This kernel does the same product in about a second: rows are copied, centred, in blocks
/// into a feature-major buffer, and 4×3 tiles of the upper triangle are accumulated with 256-bit fused
/// multiply-adds, one accumulator matrix per worker thread.
/// </remarks>
internal static class ScatterMatrix
{
    private const int BlockRows = 128;

    /// <summary>Computes the mean of every column.</summary>
    public static double[] ColumnMeans(IRowSource source)
    {
        var (n, d) = (source.Rows, source.Columns);
        var sums = new double[d];
        var buffer = new double[d * BlockRows];
        for (var start = 0; start < n; start += BlockRows)
        {
            var length = Math.Min(BlockRows, n - start);
            source.CopyBlock(start, length, buffer, BlockRows);
            for (var f = 0; f < d; f++)
            {
                var column = buffer.AsSpan(f * BlockRows, length);
                double s = 0;
                foreach (var v in column)
                {
                    s += v;
                }

                sums[f] += s;
            }
        }

        for (var f = 0; f < d; f++)
        {
            sums[f] /= n;
        }

        return sums;
    }

    /// <summary>The full symmetric scatter matrix about <paramref name="mean"/>.</summary>
    public static Matrix<double> Compute(IRowSource source, double[] mean, int? threads = null)
    {
        var (n, d) = (source.Rows, source.Columns);
        var blocks = (n + BlockRows - 1) / BlockRows;
        var total = new double[d * d];
        var gate = new object();
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount };
        Parallel.For(
            0,
            blocks,
            options,
            () => (Sum: new double[d * d], Buffer: new double[d * BlockRows]),
            (block, _, local) =>
            {
                var start = block * BlockRows;
                var length = Math.Min(BlockRows, n - start);
                Array.Clear(local.Buffer);
                source.CopyBlock(start, length, local.Buffer, BlockRows);
                for (var f = 0; f < d; f++)
                {
                    var column = local.Buffer.AsSpan(f * BlockRows, length);
                    var m = mean[f];
                    for (var r = 0; r < column.Length; r++)
                    {
                        column[r] -= m;
                    }
                }

                AccumulateUpper(local.Buffer, BlockRows, d, local.Sum);
                return local;
            },
            local =>
            {
                lock (gate)
                {
                    for (var i = 0; i < total.Length; i++)
                    {
                        total[i] += local.Sum[i];
                    }
                }
            });

        // total holds the upper triangle in row-major order; mirror it into a column-major MathNet matrix.
        var values = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            for (var j = i; j < d; j++)
            {
                values[(j * d) + i] = total[(i * d) + j];
                values[(i * d) + j] = total[(i * d) + j];
            }
        }

        return Matrix<double>.Build.Dense(d, d, values);
    }

    /// <summary>Adds the upper triangle of T·Tᵀ to <paramref name="sum"/> (row-major d×d), T being d×stride.</summary>
    private static void AccumulateUpper(double[] t, int stride, int d, double[] sum)
    {
        ref var origin = ref MemoryMarshal.GetArrayDataReference(t);
        var i = 0;
        for (; i + 4 <= d; i += 4)
        {
            var j = i;
            for (; j + 3 <= d; j += 3)
            {
                Tile4x3(ref origin, stride, i, j, d, sum);
            }

            for (; j < d; j++)
            {
                for (var a = 0; a < 4; a++)
                {
                    sum[((i + a) * d) + j] += Dot(t, stride, i + a, j);
                }
            }
        }

        for (; i < d; i++)
        {
            for (var j = i; j < d; j++)
            {
                sum[(i * d) + j] += Dot(t, stride, i, j);
            }
        }
    }

    private static double Dot(double[] t, int stride, int a, int b)
    {
        var x = t.AsSpan(a * stride, stride);
        var y = t.AsSpan(b * stride, stride);
        double s = 0;
        for (var r = 0; r < stride; r++)
        {
            s += x[r] * y[r];
        }

        return s;
    }

    // Rows i..i+3 against rows j..j+2 of T. Entries below the diagonal that a tile on the diagonal
    // also produces are written to the lower triangle of the row-major sum, which is never read.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x3(ref double origin, int stride, int i, int j, int d, double[] sum)
    {
        ref var a0 = ref Unsafe.Add(ref origin, i * stride);
        ref var a1 = ref Unsafe.Add(ref a0, stride);
        ref var a2 = ref Unsafe.Add(ref a1, stride);
        ref var a3 = ref Unsafe.Add(ref a2, stride);
        ref var b0 = ref Unsafe.Add(ref origin, j * stride);
        ref var b1 = ref Unsafe.Add(ref b0, stride);
        ref var b2 = ref Unsafe.Add(ref b1, stride);
        Vector256<double> c00 = default, c01 = default, c02 = default;
        Vector256<double> c10 = default, c11 = default, c12 = default;
        Vector256<double> c20 = default, c21 = default, c22 = default;
        Vector256<double> c30 = default, c31 = default, c32 = default;
        for (nuint r = 0; r < (nuint)stride; r += 4)
        {
            var x0 = Vector256.LoadUnsafe(ref b0, r);
            var x1 = Vector256.LoadUnsafe(ref b1, r);
            var x2 = Vector256.LoadUnsafe(ref b2, r);
            var y = Vector256.LoadUnsafe(ref a0, r);
            c00 = Vector256.FusedMultiplyAdd(y, x0, c00);
            c01 = Vector256.FusedMultiplyAdd(y, x1, c01);
            c02 = Vector256.FusedMultiplyAdd(y, x2, c02);
            y = Vector256.LoadUnsafe(ref a1, r);
            c10 = Vector256.FusedMultiplyAdd(y, x0, c10);
            c11 = Vector256.FusedMultiplyAdd(y, x1, c11);
            c12 = Vector256.FusedMultiplyAdd(y, x2, c12);
            y = Vector256.LoadUnsafe(ref a2, r);
            c20 = Vector256.FusedMultiplyAdd(y, x0, c20);
            c21 = Vector256.FusedMultiplyAdd(y, x1, c21);
            c22 = Vector256.FusedMultiplyAdd(y, x2, c22);
            y = Vector256.LoadUnsafe(ref a3, r);
            c30 = Vector256.FusedMultiplyAdd(y, x0, c30);
            c31 = Vector256.FusedMultiplyAdd(y, x1, c31);
            c32 = Vector256.FusedMultiplyAdd(y, x2, c32);
        }

        var o = (i * d) + j;
        sum[o] += Vector256.Sum(c00);
        sum[o + 1] += Vector256.Sum(c01);
        sum[o + 2] += Vector256.Sum(c02);
        o += d;
        sum[o] += Vector256.Sum(c10);
        sum[o + 1] += Vector256.Sum(c11);
        sum[o + 2] += Vector256.Sum(c12);
        o += d;
        sum[o] += Vector256.Sum(c20);
        sum[o + 1] += Vector256.Sum(c21);
        sum[o + 2] += Vector256.Sum(c22);
        o += d;
        sum[o] += Vector256.Sum(c30);
        sum[o + 1] += Vector256.Sum(c31);
        sum[o + 2] += Vector256.Sum(c32);
    }
}
