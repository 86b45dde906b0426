using Autoencoders.Data;
using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Evaluation;

/// <summary>
/// A set of points held in float64, centred, for exact squared Euclidean distances from blocks of query
/// rows by one matrix product per block (never an n × n matrix).
/// </summary>
/// <remarks>
/// <para>Squared distances are ‖q‖² + ‖p‖² − 2 q·p in float64 on centred data (centring shrinks the
/// norms, and with them the cancellation). A float64 dot product of d terms is off by at most about
/// d·2⁻⁵³·‖q‖·‖p‖, so two distances from the same query closer than the tolerance
/// <see cref="DistancesFrom"/> returns with them cannot be ordered reliably; <see cref="NeighbourOrder"/>
/// counts them as tied and orders tied points by index. Distances further apart are ordered as exact
/// arithmetic on the float32 inputs would order them.</para>
/// </remarks>
internal sealed class PointSet : IDisposable
{
    /// <summary>Rows per chunk where a computation over all points would otherwise copy them.</summary>
    private const int Chunk = 4096;

    private readonly Tensor points;
    private readonly Tensor squaredNorms;
    private readonly Tensor centre;
    private readonly double largestSquaredNorm;
    private readonly double relativeTolerance;

    private PointSet(Tensor points, Tensor squaredNorms, Tensor centre)
    {
        this.points = points.DetachFromDisposeScope();
        this.squaredNorms = squaredNorms.DetachFromDisposeScope();
        this.centre = centre.DetachFromDisposeScope();
        Count = checked((int)points.shape[0]);
        Dimension = checked((int)points.shape[1]);
        largestSquaredNorm = squaredNorms.max().item<double>();
        // About 2(d + 2)·2⁻⁵³·(‖q‖² + ‖p‖²) bounds the error of one distance and twice that the error of a
        // difference of two; the factor 8 leaves room for the rounding of the centring.
        relativeTolerance = 8.0 * (Dimension + 2) * Math.ScaleB(1.0, -53);
    }

    /// <summary>The number of points.</summary>
    public int Count { get; }

    /// <summary>The number of coordinates of a point.</summary>
    public int Dimension { get; }

    /// <summary>Copies float32 rows [n, d] into a float64 set centred by its own mean.</summary>
    public static PointSet From(Tensor rows)
    {
        using var scope = NewDisposeScope();
        var centred = rows.to_type(ScalarType.Float64, copy: true).contiguous();
        var centre = centred.mean([0]);
        centred.sub_(centre); // in place: one float64 copy of the data, not two
        // Row chunks, each squared and released in turn, so that squaring takes no second copy either.
        var squaredNorms = cat(centred.split(Chunk).Select(SquaredNorms).ToArray()).unsqueeze(0);
        return new PointSet(centred, squaredNorms, centre);
    }

    /// <summary>Float32 (or float64) rows [b, d] in this set's coordinates (centred by its mean).</summary>
    public Tensor Centre(Tensor rows) => rows.to_type(ScalarType.Float64).sub(centre);

    /// <summary>
    /// Squared distances [b, n] from centred query rows [b, d] to every point, and the per-row tolerance
    /// [b, 1] below which two of a row's distances count as tied.
    /// </summary>
    public (Tensor Distances, Tensor Tolerance) DistancesFrom(Tensor centredQueries)
    {
        var queryNorms = centredQueries.Square().sum(1, keepdim: true);
        var distances = addmm(squaredNorms, centredQueries, points.t(), beta: 1, alpha: -2).AddInPlace(queryNorms).ClampMinInPlace(0);
        var tolerance = queryNorms.Add(largestSquaredNorm).MulInPlace(relativeTolerance);
        return (distances, tolerance);
    }

    /// <summary>
    /// <see cref="DistancesFrom"/> for the set's own rows <paramref name="start"/> … start + length − 1,
    /// with each row's distance to itself set to +∞ so that a point is never its own neighbour.
    /// </summary>
    public (Tensor Distances, Tensor Tolerance) DistancesWithin(int start, int length)
    {
        var (distances, tolerance) = DistancesFrom(points.narrow(0, start, length));
        distances.diagonal(start).FillInPlace(double.PositiveInfinity);
        return (distances, tolerance);
    }

    /// <summary>
    /// Squared distances between the points <paramref name="first"/>[p] and <paramref name="second"/>[p],
    /// summed from coordinate differences (no cancellation), <see cref="Chunk"/> pairs at a time.
    /// </summary>
    public double[] PairDistances(int[] first, int[] second)
    {
        var result = new double[first.Length];
        for (var start = 0; start < first.Length; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(Chunk, first.Length - start);
            var a = points.index_select(0, tensor(first.AsSpan(start, length).ToArray()).to_type(ScalarType.Int64));
            var b = points.index_select(0, tensor(second.AsSpan(start, length).ToArray()).to_type(ScalarType.Int64));
            a.sub_(b).SquareInPlace().sum(1).data<double>().CopyTo(result.AsSpan(start, length));
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        points.Dispose();
        squaredNorms.Dispose();
        centre.Dispose();
    }

    /// <summary>
    /// Checks a float32 array [n, d] and wraps it in a tensor, failing with a message that names
    /// <paramref name="what"/> when it is empty or holds NaN/∞.
    /// </summary>
    internal static Tensor ToTensor(float[,] rows, string parameterName, string what)
    {
        ArgumentNullException.ThrowIfNull(rows, parameterName);
        if (rows.GetLength(0) == 0 || rows.GetLength(1) == 0)
        {
            throw new ArgumentException(
                $"The {what} is empty ({rows.GetLength(0)} rows × {rows.GetLength(1)} columns); it needs at least one row and one column.",
                parameterName);
        }

        // TorchSharp pins the array for as long as the tensor lives; PointSet.From copies it to float64.
        var values = tensor(rows);
        InputValidator.ThrowIfNotFinite(values, parameterName);
        return values;
    }

    private static Tensor SquaredNorms(Tensor rows)
    {
        using var scope = NewDisposeScope();
        return rows.Square().sum(1).MoveToOuterDisposeScope();
    }
}
