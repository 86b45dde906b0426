namespace Autoencoders.Evaluation;

/// <summary>
/// How much of its input's structure an embedding keeps, from <see cref="EmbeddingQuality.Measure(float[,], float[,], IReadOnlyList{long}?, EmbeddingQualityOptions?, IProgress{NeighbourSearchProgress}?, CancellationToken)"/>.
/// Every measure is 1 for an embedding that is an isometry of its input (a rotation plus a translation).
/// </summary>
/// <param name="Neighbours">The neighbourhood size k every neighbourhood measure used.</param>
/// <param name="Count">The number of points n.</param>
/// <param name="Trustworthiness">
/// Venna &amp; Kaski's trustworthiness: 1 − 2/(n k (2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uₖ(i)} (r(i, j) − k), where Uₖ(i)
/// are the points among i's k nearest in the embedding but not in the input, and r(i, j) is j's rank
/// among i's neighbours in the input. Penalises false neighbours the embedding brings in; chance is about
/// 0.5. Equal to scikit-learn's <c>sklearn.manifold.trustworthiness(input, embedding, n_neighbors=k)</c>.
/// </param>
/// <param name="Continuity">
/// Trustworthiness with the roles swapped: penalises true neighbours the embedding pushes away.
/// Equal to scikit-learn's <c>trustworthiness(embedding, input, n_neighbors=k)</c>.
/// </param>
/// <param name="NeighbourPreservation">
/// The mean share of each point's k nearest input neighbours that are also among its k nearest embedding
/// neighbours; chance is k/(n − 1).
/// </param>
/// <param name="DistanceCorrelation">
/// Spearman's rank correlation between the input and the embedding distances of <see cref="DistancePairs"/>
/// pairs of points (average ranks for ties, as <c>scipy.stats.spearmanr</c>); NaN when either side's
/// distances are all equal. Global structure, where the other measures are local.
/// </param>
/// <param name="DistancePairs">The number of pairs the distance correlation used.</param>
/// <param name="NeighbourAccuracy">
/// The leave-one-out k-NN accuracy of the labels in the embedding (each point voted on by its k nearest
/// other points, see <see cref="NeighbourClassification.LeaveOneOutAccuracy"/>); null without labels.
/// </param>
public sealed record EmbeddingQualityReport(
    int Neighbours,
    int Count,
    double Trustworthiness,
    double Continuity,
    double NeighbourPreservation,
    double DistanceCorrelation,
    int DistancePairs,
    double? NeighbourAccuracy);
