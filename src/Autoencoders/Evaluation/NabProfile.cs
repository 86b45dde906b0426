using System.Text.Json;

namespace Autoencoders.Evaluation;

/// <summary>
/// One of NAB's application profiles: how much a detected anomaly window earns, a false positive costs and a
/// missed window costs. NAB scores every detector under three of them and tunes its threshold for each.
/// </summary>
/// <remarks>
/// <para>The built-in profiles hold the values of NAB's <c>config/profiles.json</c> (NAB v1.1):
/// <see cref="Standard"/> (tp 1, fp 0.11, fn 1), <see cref="RewardLowFalsePositiveRate"/> (tp 1, fp 0.22, fn 1)
/// and <see cref="RewardLowFalseNegativeRate"/> (tp 1, fp 0.11, fn 2). NAB's cost matrix also lists a
/// <c>tnWeight</c>; true negatives earn nothing in NAB's score, so it is not kept.</para>
/// <example>
/// <code>
/// var profiles = NabProfile.Read("samples/data/nab/config/profiles.json");   // or NabProfile.All
/// foreach (var profile in profiles)
///     Console.WriteLine($"{profile.Name}: {corpus.OptimizeThreshold(scores, profile).NormalizedScore:F2}");
/// </code>
/// </example>
/// </remarks>
public sealed record NabProfile
{
    /// <summary>Creates a profile.</summary>
    /// <param name="name">The profile's name, as NAB spells it (e.g. <c>standard</c>).</param>
    /// <param name="truePositiveWeight">What detecting a window at its very start earns (NAB's <c>tpWeight</c>); positive.</param>
    /// <param name="falsePositiveWeight">What a false positive far from any window costs (NAB's <c>fpWeight</c>); zero or more.</param>
    /// <param name="falseNegativeWeight">What a window without a detection costs (NAB's <c>fnWeight</c>); zero or more.</param>
    /// <exception cref="ArgumentException">The name is empty or a weight is out of range or not finite.</exception>
    public NabProfile(string name, double truePositiveWeight, double falsePositiveWeight, double falseNegativeWeight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(truePositiveWeight) || truePositiveWeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(truePositiveWeight), truePositiveWeight, $"Profile '{name}': the true-positive weight must be a positive number.");
        }

        if (!double.IsFinite(falsePositiveWeight) || falsePositiveWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(falsePositiveWeight), falsePositiveWeight, $"Profile '{name}': the false-positive weight must be zero or a positive number.");
        }

        if (!double.IsFinite(falseNegativeWeight) || falseNegativeWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(falseNegativeWeight), falseNegativeWeight, $"Profile '{name}': the false-negative weight must be zero or a positive number.");
        }

        Name = name;
        TruePositiveWeight = truePositiveWeight;
        FalsePositiveWeight = falsePositiveWeight;
        FalseNegativeWeight = falseNegativeWeight;
    }

    /// <summary>NAB's standard profile: tp 1, fp 0.11, fn 1.</summary>
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);

    /// <summary>NAB's profile for applications where false alarms are expensive: tp 1, fp 0.22, fn 1.</summary>
    public static NabProfile RewardLowFalsePositiveRate { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0);

    /// <summary>NAB's profile for applications where a missed anomaly is expensive: tp 1, fp 0.11, fn 2.</summary>
    public static NabProfile RewardLowFalseNegativeRate { get; } = new("reward_low_FN_rate", 1.0, 0.11, 2.0);

    /// <summary>NAB's three profiles, in the order of its scoreboard: standard, reward low FP rate, reward low FN rate.</summary>
    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositiveRate, RewardLowFalseNegativeRate];

    /// <summary>The profile's name, as NAB spells it.</summary>
    public string Name { get; }

    /// <summary>What detecting a window at its very start earns (NAB's <c>tpWeight</c>).</summary>
    public double TruePositiveWeight { get; }

    /// <summary>What a false positive far from any window costs (NAB's <c>fpWeight</c>).</summary>
    public double FalsePositiveWeight { get; }

    /// <summary>What a window without any detection costs (NAB's <c>fnWeight</c>).</summary>
    public double FalseNegativeWeight { get; }

    /// <summary>Reads profiles from a file in the format of NAB's <c>config/profiles.json</c>.</summary>
    /// <param name="path">The JSON file: <c>{ "standard": { "CostMatrix": { "tpWeight": 1.0, "fpWeight": 0.11, "fnWeight": 1.0, ... } }, ... }</c>.</param>
    /// <returns>The profiles, in the file's order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not in that format.</exception>
    public static IReadOnlyList<NabProfile> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), $"NAB profiles file '{path}'");
    }

    /// <summary>Reads profiles from JSON text in the format of NAB's <c>config/profiles.json</c>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The profiles, in the text's order.</returns>
    /// <exception cref="InvalidDataException">The text is not in that format.</exception>
    public static IReadOnlyList<NabProfile> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(json, "NAB profiles JSON");
    }

    private static List<NabProfile> Parse(string json, string source)
    {
        using var document = NabJson.ParseObject(json, source, "profile names to { \"CostMatrix\": { ... } }");
        var profiles = new List<NabProfile>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object
                || !entry.Value.TryGetProperty("CostMatrix", out var costs)
                || costs.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"The {source}: profile '{entry.Name}' has no \"CostMatrix\" object.");
            }

            try
            {
                profiles.Add(new NabProfile(entry.Name, Weight(costs, "tpWeight"), Weight(costs, "fpWeight"), Weight(costs, "fnWeight")));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"The {source}: {e.Message}", e);
            }

            double Weight(JsonElement costMatrix, string key) =>
                costMatrix.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number
                    ? value.GetDouble()
                    : throw new InvalidDataException($"The {source}: profile '{entry.Name}' has no number \"{key}\" in its CostMatrix.");
        }

        if (profiles.Count == 0)
        {
            throw new InvalidDataException($"The {source} holds no profile.");
        }

        return profiles;
    }
}
