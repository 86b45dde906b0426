namespace CustomModules;

/// <summary>The encoder's parameters: stored in the spec (and so in the model file) as JSON, {"width":256,"blocks":2}.</summary>
/// <param name="Width">The width of the residual stream.</param>
/// <param name="Blocks">The number of residual blocks.</param>
public sealed record ResidualMlpParameters(int Width, int Blocks);
