namespace Autoencoders.Tests.Reliability;

/// <summary>
/// How many mutated inputs each fuzz test tries. The CI counts keep every fuzz test to a few seconds;
/// set <c>AUTOENCODERS_FUZZ_SCALE</c> (a positive integer) to multiply them for a longer run, and
/// <c>AUTOENCODERS_FUZZ_SEED</c> to explore other inputs than the fixed CI seed.
/// </summary>
internal static class FuzzSettings
{
    public const string ScaleVariable = "AUTOENCODERS_FUZZ_SCALE";
    public const string SeedVariable = "AUTOENCODERS_FUZZ_SEED";

    public static int Scale =>
        int.TryParse(Environment.GetEnvironmentVariable(ScaleVariable), out var scale) && scale > 0 ? scale : 1;

    public static ulong Seed =>
        ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var seed) ? seed : 20260707;

    /// <summary>The number of cases for a test whose CI count is <paramref name="ciCount"/>.</summary>
    public static int Cases(int ciCount) => checked(ciCount * Scale);
}
