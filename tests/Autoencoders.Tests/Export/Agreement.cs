namespace Autoencoders.Tests.Export;

/// <summary>How closely two outputs agree: the max absolute difference, and that difference relative to the reference's largest magnitude.</summary>
internal static class Agreement
{
    public static (double MaxAbs, double Relative) Of(IReadOnlyList<float> actual, IReadOnlyList<float> expected)
    {
        double maxAbs = 0, scale = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }

        return (maxAbs, scale == 0 ? maxAbs : maxAbs / scale);
    }
}
