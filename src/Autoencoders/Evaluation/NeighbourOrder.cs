using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Evaluation;

/// <summary>
/// The order of a row's points by distance, ties broken by index. Sorted by distance, consecutive
/// distances no more than the row's tolerance τ apart (see <see cref="PointSet.DistancesFrom"/>) form one
/// group of equals; groups are ordered by distance and the points of a group by index. Distances of +∞
/// (a point and itself) come last.
/// </summary>
/// <remarks>
/// τ bounds the float64 rounding of the distances, so exactly tied distances always share a group;
/// distinct distances share one only when they differ by less than about τ, i.e. when rounding could
/// have swapped them anyway. Groups make the order total, so ranks are a permutation of 1 … n.
/// </remarks>
internal static class NeighbourOrder
{
    /// <summary>
    /// The <paramref name="k"/> nearest points of each row of <paramref name="distances"/> [b, n], nearest
    /// first: int64 [b, k].
    /// </summary>
    public static Tensor Nearest(Tensor distances, Tensor tolerance, int k)
    {
        var columns = distances.shape[1];
        var candidates = (int)Math.Min(columns, k + 8L);
        while (true)
        {
            var (values, indices) = distances.topk(candidates, dim: 1, largest: false, sorted: true);
            var gaps = values.narrow(1, 1, candidates - 1).sub(values.narrow(1, 0, candidates - 1)).gt(tolerance);
            var group = cat([zeros([values.shape[0], 1], dtype: ScalarType.Int64), gaps.cumsum(1, ScalarType.Int64)], 1);
            // The k-th point's group must end before the last candidate: beyond a gap wider than τ, nothing
            // outside the candidates can belong to it or to any group before it.
            if (candidates == columns || group.narrow(1, k - 1, 1).lt(group.narrow(1, candidates - 1, 1)).all().item<bool>())
            {
                var order = group.Mul(columns).Add(indices).topk(k, dim: 1, largest: false, sorted: true).indexes;
                return indices.gather(1, order);
            }

            candidates = (int)Math.Min(columns, 2L * candidates);
        }
    }

    /// <summary>
    /// The 1-based rank of each of <paramref name="targets"/> [b, m] in its row of
    /// <paramref name="distances"/> [b, n]: one more than the number of points that come before it.
    /// </summary>
    public static Tensor Ranks(Tensor distances, Tensor tolerance, Tensor targets)
    {
        // One target at a time: a [b, m, n] comparison would need m times the distance block's memory.
        var ranks = new Tensor[targets.shape[1]];
        for (var t = 0; t < ranks.Length; t++)
        {
            using var scope = NewDisposeScope();
            var target = targets.narrow(1, t, 1);
            var own = distances.gather(1, target);
            var closer = distances.lt(own.sub(tolerance)).sum(1, keepdim: true);
            var near = distances.le(own.Add(tolerance)).sum(1, keepdim: true).sub_(closer);
            // Alone in its group (nothing else within τ), a target's rank is one more than the points closer.
            ranks[t] = (near.Gt(1).any().item<bool>() ? GroupRank(distances, tolerance, target, own) : closer.AddInPlace(1)).MoveToOuterDisposeScope();
        }

        return cat(ranks, 1);
    }

    /// <summary>The ranks [b, 1] of one target per row, finding the extent of its group first.</summary>
    private static Tensor GroupRank(Tensor distances, Tensor tolerance, Tensor target, Tensor own)
    {
        var (low, high) = (own, own);
        while (true)
        {
            // Every distance within τ below the group's lowest member joins the group, and so on.
            var lower = distances.MaskedFill(distances.lt(low.sub(tolerance)), double.PositiveInfinity).amin([1], keepdim: true);
            var higher = distances.MaskedFill(distances.gt(high.Add(tolerance)), double.NegativeInfinity).amax([1], keepdim: true);
            if (lower.eq(low).all().item<bool>() && higher.eq(high).all().item<bool>())
            {
                break;
            }

            (low, high) = (lower, higher);
        }

        var column = TensorMath.Arange(distances.shape[1]).unsqueeze(0);
        var tiedBefore = distances.ge(low).logical_and_(distances.le(high)).logical_and_(column.lt(target));
        return distances.lt(low).sum(1, keepdim: true).Add(tiedBefore.sum(1, keepdim: true)).Add(1);
    }
}
