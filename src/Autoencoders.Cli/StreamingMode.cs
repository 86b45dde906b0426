namespace Autoencoders.Cli;

/// <summary>Whether a command streams its data file from disk (bounded memory) or loads it into memory (fastest).</summary>
internal enum StreamingMode
{
    /// <summary>Stream files larger than <see cref="InputData.AutoStreamingBytes"/>, load smaller ones.</summary>
    Auto,

    /// <summary>Always stream.</summary>
    Always,

    /// <summary>Always load into memory.</summary>
    Never,
}
