namespace Autoencoders.Data;

/// <summary>What a time-series detector does with missing values (NaN) in a series.</summary>
/// <remarks>Infinite values are never taken for missing ones: they are refused whatever the policy.</remarks>
public enum MissingValues
{
    /// <summary>A NaN is an error that names its time step and channel.</summary>
    Refuse,

    /// <summary>
    /// A NaN takes the last value of its channel before it (forward fill), and the fill is reported as a warning. A NaN with
    /// no value before it in its channel (at the start of a series or stream) is still an error.
    /// </summary>
    ForwardFill,
}
