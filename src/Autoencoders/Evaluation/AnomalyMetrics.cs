namespace Autoencoders.Evaluation;

/// <summary>
/// Standard measures of how well scores separate anomalies (true) from normal samples (false).
/// </summary>
/// <example>
/// <code>
/// double auc = AnomalyMetrics.RocAuc(detector.Score(rows), isAnomaly);
/// </code>
/// </example>
public static class AnomalyMetrics
{
    /// <summary>
    /// The area under the ROC curve: the probability that a random anomaly scores above a random normal
    /// sample (ties count one half). 0.5 is chance, 1 is perfect.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly)
    {
        Check(scores, isAnomaly);
        var ranks = AverageRanks.Of(scores);
        double positives = isAnomaly.Count(a => a), negatives = isAnomaly.Count - positives;
        var rankSum = Enumerable.Range(0, ranks.Length).Where(i => isAnomaly[i]).Sum(i => ranks[i]);
        return (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    /// <summary>
    /// The area under the precision-recall curve as average precision: Σ (Rₙ − Rₙ₋₁)·Pₙ over the
    /// distinct score thresholds, highest first (scikit-learn's definition). Chance is the anomaly share.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly)
    {
        Check(scores, isAnomaly);
        var positives = isAnomaly.Count(a => a);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double result = 0, previousRecall = 0;
        int truePositives = 0, seen = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            for (var k = start; k <= end; k++)
            {
                truePositives += isAnomaly[order[k]] ? 1 : 0;
                seen++;
            }

            var recall = truePositives / (double)positives;
            result += (recall - previousRecall) * (truePositives / (double)seen);
            previousRecall = recall;
            start = end + 1;
        }

        return result;
    }

    /// <summary>Precision, recall and F1 of yes/no decisions against the truth.</summary>
    public static (double Precision, double Recall, double F1) PrecisionRecall(IReadOnlyList<bool> predicted, IReadOnlyList<bool> isAnomaly)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(isAnomaly);
        if (predicted.Count != isAnomaly.Count)
        {
            throw new ArgumentException($"There are {predicted.Count} decisions but {isAnomaly.Count} labels.");
        }

        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < predicted.Count; i++)
        {
            tp += predicted[i] && isAnomaly[i] ? 1 : 0;
            fp += predicted[i] && !isAnomaly[i] ? 1 : 0;
            fn += !predicted[i] && isAnomaly[i] ? 1 : 0;
        }

        var precision = tp + fp == 0 ? 0 : tp / (double)(tp + fp);
        var recall = tp + fn == 0 ? 0 : tp / (double)(tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }

    private static void Check(IReadOnlyList<double> scores, IReadOnlyList<bool> isAnomaly)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(isAnomaly);
        if (scores.Count != isAnomaly.Count)
        {
            throw new ArgumentException($"There are {scores.Count} scores but {isAnomaly.Count} labels.");
        }

        if (!isAnomaly.Contains(true) || !isAnomaly.Contains(false))
        {
            throw new ArgumentException("Both anomalies and normal samples are needed.");
        }

        if (scores.Any(s => !double.IsFinite(s)))
        {
            throw new ArgumentException("Scores must be finite.");
        }
    }
}
