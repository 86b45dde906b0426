using Autoencoders.Data;
using Autoencoders.Evaluation;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Evaluation;

public sealed class EmbeddingQualityTests
{
    private static readonly float[] Levels = [0f, 0.13f, 0.37f];

    // The values below were computed once by reference/embedding_quality_reference.py with Debian 12's
    // scikit-learn 1.2.1, SciPy 1.10.1 and NumPy 1.24.2 on ReferenceData (300 points, 20-D, 2-D map):
    // trustworthiness = sklearn.manifold.trustworthiness(X, Z, n_neighbors=k); continuity the same with
    // X and Z swapped; preservation from NearestNeighbors(k).kneighbors() on both sides; Spearman
    // = scipy.stats.spearmanr of the squared distances (pdist 'sqeuclidean' for all pairs, and the 5000
    // pairs of the library's documented seeded draw, seed 7).
    [Theory]
    [InlineData(1, 0.80649888143176729, 0.90507829977628629, 0.023333333333333334)]
    [InlineData(5, 0.80947031963470317, 0.89444292237442924, 0.12133333333333333)]
    [InlineData(10, 0.81878500292911549, 0.88975629759812536, 0.18933333333333335)]
    [InlineData(20, 0.83560173160173168, 0.89176252319109461, 0.29616666666666669)]
    [InlineData(50, 0.86386102449888647, 0.89108656273199705, 0.49713333333333326)]
    public void Neighbourhood_measures_match_scikit_learn(int k, double trustworthiness, double continuity, double preservation)
    {
        var (input, embedding, _) = ReferenceData.Build();

        var quality = EmbeddingQuality.Measure(input, embedding, options: new EmbeddingQualityOptions { Neighbours = k });

        quality.Trustworthiness.Should().BeApproximately(trustworthiness, 1e-12);
        quality.Continuity.Should().BeApproximately(continuity, 1e-12);
        quality.NeighbourPreservation.Should().BeApproximately(preservation, 1e-12);
        quality.Neighbours.Should().Be(k);
        quality.Count.Should().Be(ReferenceData.Count);
    }

    [Fact]
    public void Distance_correlation_matches_scipy_on_all_pairs_and_on_the_seeded_sample()
    {
        var (input, embedding, _) = ReferenceData.Build();

        var all = EmbeddingQuality.Measure(input, embedding);
        var sampled = EmbeddingQuality.Measure(input, embedding, options: new EmbeddingQualityOptions { DistancePairs = 5000, Seed = 7 });

        all.DistancePairs.Should().Be(300 * 299 / 2, "there are fewer pairs than the default sample size");
        all.DistanceCorrelation.Should().BeApproximately(0.74659878293558002, 1e-12);
        sampled.DistancePairs.Should().Be(5000);
        sampled.DistanceCorrelation.Should().BeApproximately(0.75219817392746557, 1e-12);
    }

    [Fact]
    public void Reference_data_is_bit_identical_to_the_scripts()
    {
        var (input, embedding, _) = ReferenceData.Build();

        // The script prints the float64 sums of its float32 arrays; summed in the same row-major order.
        input.Cast<float>().Aggregate(0.0, (s, v) => s + v).Should().Be(303.60562680021394);
        embedding.Cast<float>().Aggregate(0.0, (s, v) => s + v).Should().Be(123.32216874882579);
    }

    [Fact]
    public void An_isometry_scores_one_everywhere()
    {
        var input = Synthetic.LowRank(400, 6, 6, seed: 11, noise: 0);
        var rotation = RandomRotation(6, seed: 12);
        var moved = new float[400, 6];
        for (var i = 0; i < 400; i++)
        {
            for (var r = 0; r < 6; r++)
            {
                var sum = 100.0 + r;
                for (var c = 0; c < 6; c++)
                {
                    sum += rotation[r, c] * input[i, c];
                }

                moved[i, r] = (float)sum;
            }
        }

        var labels = Enumerable.Range(0, 400).Select(i => (long)(input[i, 0] > 0 ? 1 : 0)).ToArray();
        var quality = EmbeddingQuality.Measure(input, moved, labels, new EmbeddingQualityOptions { Neighbours = 10 });

        quality.Trustworthiness.Should().Be(1);
        quality.Continuity.Should().Be(1);
        quality.NeighbourPreservation.Should().Be(1);
        quality.DistanceCorrelation.Should().BeApproximately(1, 1e-9, "only float32 rounding of the rotated points separates the distances");
        quality.NeighbourAccuracy.Should().Be(NeighbourClassification.LeaveOneOutAccuracy(input, labels, neighbours: 10));
    }

    [Fact]
    public void A_random_embedding_scores_near_chance()
    {
        const int n = 600, k = 5;
        var input = Synthetic.LowRank(n, 10, 10, seed: 21, noise: 0);
        var embedding = Synthetic.LowRank(n, 2, 2, seed: 22, noise: 0);
        var labels = Enumerable.Range(0, n).Select(i => (long)(i % 3)).ToArray();

        var quality = EmbeddingQuality.Measure(input, embedding, labels, new EmbeddingQualityOptions { Neighbours = k });

        // A random neighbour's input rank is uniform on 1 … n − 1, so E[max(0, r − k)] = (n − 1 − k)(n − k) / (2(n − 1)).
        var chance = 1 - ((n - 1.0 - k) * (n - k) / ((n - 1.0) * ((2.0 * n) - (3.0 * k) - 1)));
        quality.Trustworthiness.Should().BeApproximately(chance, 0.03);
        quality.Continuity.Should().BeApproximately(chance, 0.03);
        quality.NeighbourPreservation.Should().BeApproximately(k / (n - 1.0), 0.01);
        quality.DistanceCorrelation.Should().BeApproximately(0, 0.05);
        quality.NeighbourAccuracy!.Value.Should().BeApproximately(1.0 / 3, 0.06);
    }

    [Fact]
    public void Exactly_tied_distances_are_ordered_by_index_in_both_spaces()
    {
        // A lattice of 3⁵ points, every point twice: nearly every distance is tied many times over. The
        // embedding permutes and flips the axes, an exact isometry in float32, so the exact distances agree
        // while their float64 rounding (sums in another order) does not: about a third of the computed
        // distances differ in the last bits. Uneven levels keep the centred values from being exact.
        const int dimensions = 5, levels = 3;
        var count = (int)Math.Pow(levels, dimensions);
        var input = new float[2 * count, dimensions];
        var embedding = new float[2 * count, dimensions];
        int[] axes = [3, 0, 4, 1, 2];
        for (var i = 0; i < 2 * count; i++)
        {
            for (int f = 0, rest = i % count; f < dimensions; f++, rest /= levels)
            {
                input[i, f] = Levels[rest % levels];
            }

            for (var f = 0; f < dimensions; f++)
            {
                embedding[i, f] = f % 2 == 0 ? -input[i, axes[f]] : input[i, axes[f]];
            }
        }

        foreach (var k in new[] { 1, 10, 60 })
        {
            var quality = EmbeddingQuality.Measure(input, embedding, options: new EmbeddingQualityOptions { Neighbours = k });

            quality.Trustworthiness.Should().Be(1, $"ties must break the same way in both spaces (k = {k})");
            quality.Continuity.Should().Be(1);
            quality.NeighbourPreservation.Should().Be(1);
            quality.DistanceCorrelation.Should().BeApproximately(1, 1e-9);
        }
    }

    [Fact]
    public void A_point_and_its_duplicate_are_each_others_nearest_neighbours()
    {
        // Rows 0 and 3 coincide and share a label; every other label is unique. The self-distance is
        // excluded by index, not by value, so each twin is voted for by the other.
        float[,] codes = { { 0, 0 }, { 5, 0 }, { 0, 9 }, { 0, 0 }, { 20, 20 } };
        long[] labels = [7, 1, 2, 7, 3];

        NeighbourClassification.LeaveOneOutAccuracy(codes, labels, neighbours: 1).Should().Be(0.4);
        var quality = EmbeddingQuality.Measure(codes, codes, labels, new EmbeddingQualityOptions { Neighbours = 1 });
        quality.NeighbourAccuracy.Should().Be(0.4);
        quality.Trustworthiness.Should().Be(1);
    }

    [Fact]
    public void Several_blocks_of_rows_give_the_definition_computed_the_slow_way()
    {
        // 2,100 points need two blocks; the reference sorts every row of the full distance matrix.
        var input = Synthetic.LowRank(2100, 4, 4, seed: 31, noise: 0);
        var embedding = Synthetic.LowRank(2100, 2, 1, seed: 32, noise: 0.3);
        for (var i = 0; i < 2100; i++)
        {
            embedding[i, 0] += input[i, 0];
        }

        var quality = EmbeddingQuality.Measure(input, embedding, options: new EmbeddingQualityOptions { Neighbours = 7 });
        var (inputOrder, embeddingOrder) = (Orders(input), Orders(embedding));

        quality.Trustworthiness.Should().BeApproximately(SlowTrustworthiness(inputOrder, embeddingOrder, 7), 1e-14);
        quality.Continuity.Should().BeApproximately(SlowTrustworthiness(embeddingOrder, inputOrder, 7), 1e-14);
    }

    [Fact]
    public void A_dataset_is_scored_like_its_rows_with_its_own_labels()
    {
        var (input, embedding, labels) = ReferenceData.Build();
        using var data = InMemoryDataset.FromTensor(TorchSharp.torch.tensor(input).view(300, 4, 5), TorchSharp.torch.tensor(labels));

        var fromDataset = EmbeddingQuality.Measure(data, embedding);

        fromDataset.Should().Be(EmbeddingQuality.Measure(input, embedding, labels));
        fromDataset.NeighbourAccuracy.Should().BeApproximately(0.35666666666666669, 1e-12, "the leave-one-out 5-NN accuracy scikit-learn gives");
    }

    [Fact]
    public void Progress_reaches_every_row_and_cancellation_stops_the_search()
    {
        var (input, embedding, _) = ReferenceData.Build();
        var reports = new List<NeighbourSearchProgress>();

        EmbeddingQuality.Measure(input, embedding, progress: new SynchronousProgress<NeighbourSearchProgress>(reports.Add));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        reports.Should().NotBeEmpty();
        reports[^1].Should().Be(new NeighbourSearchProgress(300, 300));
        ((Action)(() => EmbeddingQuality.Measure(input, embedding, cancellationToken: cancelled.Token))).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Bad_input_fails_with_a_clear_message()
    {
        var (input, embedding, labels) = ReferenceData.Build();
        var nan = (float[,])embedding.Clone();
        nan[17, 1] = float.NaN;

        ((Action)(() => EmbeddingQuality.Measure(input, ReferenceData.Rows(embedding, 0, 299))))
            .Should().Throw<ArgumentException>().WithMessage("*input has 300 rows but the embedding has 299*");
        ((Action)(() => EmbeddingQuality.Measure(input, nan)))
            .Should().Throw<ArgumentException>().WithMessage("*row 17, feature 1 is NaN*").And.ParamName.Should().Be("embedding");
        ((Action)(() => EmbeddingQuality.Measure(input, embedding, options: new EmbeddingQualityOptions { Neighbours = 150 })))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*below half the number of points*150 for 300 points*");
        ((Action)(() => EmbeddingQuality.Measure(input, embedding, options: new EmbeddingQualityOptions { Neighbours = 0 })))
            .Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => EmbeddingQuality.Measure(input, embedding, labels[..10])))
            .Should().Throw<ArgumentException>().WithMessage("*10 labels for 300 points*");
        ((Action)(() => EmbeddingQuality.Measure(new float[0, 3], new float[0, 2])))
            .Should().Throw<ArgumentException>().WithMessage("*input is empty*");
        ((Action)(() => EmbeddingQuality.Measure(input, embedding, options: new EmbeddingQualityOptions { Threads = 0 })))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    /// <summary>The definition, from every point's full order of the other points in both spaces.</summary>
    private static double SlowTrustworthiness(int[][] inputOrder, int[][] embeddingOrder, int k)
    {
        var n = inputOrder.Length;
        long penalty = 0;
        var rank = new int[n];
        for (var i = 0; i < n; i++)
        {
            for (var r = 0; r < n - 1; r++)
            {
                rank[inputOrder[i][r]] = r + 1;
            }

            foreach (var j in embeddingOrder[i].Take(k))
            {
                penalty += Math.Max(0, rank[j] - k);
            }
        }

        return 1 - (penalty * 2.0 / (n * (double)k * ((2.0 * n) - (3.0 * k) - 1)));
    }

    /// <summary>For each point, the other points by distance (from differences, in float64), ties by index.</summary>
    private static int[][] Orders(float[,] points)
    {
        var (n, d) = (points.GetLength(0), points.GetLength(1));
        var orders = new int[n][];
        for (var i = 0; i < n; i++)
        {
            var keys = new (double Distance, int Index)[n - 1];
            for (int j = 0, p = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                var distance = 0.0;
                for (var f = 0; f < d; f++)
                {
                    var difference = (double)points[i, f] - points[j, f];
                    distance += difference * difference;
                }

                keys[p++] = (distance, j);
            }

            Array.Sort(keys);
            orders[i] = [.. keys.Select(key => key.Index)];
        }

        return orders;
    }

    /// <summary>An orthogonal matrix from Gram–Schmidt on seeded Gaussian columns.</summary>
    private static double[,] RandomRotation(int size, int seed)
    {
        var random = new Random(seed);
        var q = new double[size, size];
        for (var c = 0; c < size; c++)
        {
            var v = Enumerable.Range(0, size).Select(_ => Synthetic.Gaussian(random)).ToArray();
            for (var p = 0; p < c; p++)
            {
                var dot = Enumerable.Range(0, size).Sum(r => v[r] * q[r, p]);
                for (var r = 0; r < size; r++)
                {
                    v[r] -= dot * q[r, p];
                }
            }

            var norm = Math.Sqrt(v.Sum(x => x * x));
            for (var r = 0; r < size; r++)
            {
                q[r, c] = v[r] / norm;
            }
        }

        return q;
    }
}
