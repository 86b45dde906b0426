namespace Autoencoders.Applications;

/// <summary>How a façade scales the data before the autoencoder sees it.</summary>
public enum Scaling
{
    /// <summary>
    /// Images with values in [0, 1] are left as they are; anything else is standardised (min-max scaled
    /// when the model's likelihood is Bernoulli, which needs [0, 1]).
    /// </summary>
    Auto,
    /// <summary>No scaling: the data must already be on a sensible scale.</summary>
    None,
    /// <summary>Zero mean and unit variance per feature.</summary>
    Standard,
    /// <summary>Each feature mapped to [0, 1].</summary>
    MinMax,
}
