namespace Autoencoders.Applications;

/// <summary>One feature's part in a sample's reconstruction error.</summary>
/// <param name="Index">The feature's (flattened) index.</param>
/// <param name="Name">The feature's name, when the detector was given names; else "feature {Index}".</param>
/// <param name="Error">The feature's squared reconstruction error, after scaling.</param>
/// <param name="Share">The feature's share of the sample's total error, in [0, 1].</param>
public sealed record FeatureContribution(int Index, string Name, double Error, double Share);
