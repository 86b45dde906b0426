namespace Autoencoders.NativeFix;

/// <summary>Result of <see cref="ElfVersionNeedPatcher.Analyze(byte[], string)"/> and friends.</summary>
internal sealed class PatchResult
{
    public PatchResult(PatchStatus status, string message, IReadOnlyList<string>? symbols = null, IReadOnlyList<long>? flagOffsets = null)
    {
        Status = status;
        Message = message;
        Symbols = symbols ?? Array.Empty<string>();
        FlagOffsets = flagOffsets ?? Array.Empty<long>();
    }

    /// <summary>What was found or done.</summary>
    public PatchStatus Status { get; }

    /// <summary>A sentence for logs and exception messages.</summary>
    public string Message { get; }

    /// <summary>For refusals: the offending symbol names. Otherwise the symbols bound to the version.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>File offsets of the vna_flags fields of the matching Vernaux entries.</summary>
    public IReadOnlyList<long> FlagOffsets { get; }

    public override string ToString() => Status + ": " + Message;
}
