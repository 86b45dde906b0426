namespace Autoencoders.Evaluation;

/// <summary>Ranks 1 … n of a sample in ascending order, equal values sharing their average rank.</summary>
internal static class AverageRanks
{
    public static double[] Of(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).ToArray();
        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[keys.Length];
        for (var start = 0; start < keys.Length;)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            var average = ((start + end - 1) / 2.0) + 1;
            for (var p = start; p < end; p++)
            {
                ranks[order[p]] = average;
            }

            start = end;
        }

        return ranks;
    }
}
