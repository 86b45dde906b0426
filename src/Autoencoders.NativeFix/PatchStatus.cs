namespace Autoencoders.NativeFix;

/// <summary>Outcome of analysing or patching one ELF file.</summary>
internal enum PatchStatus
{
    /// <summary>The version requirement is present, not yet weak, and safe to weaken (Analyze only).</summary>
    Patchable,

    /// <summary>The version requirement was weakened (Patch only).</summary>
    Patched,

    /// <summary>Every requirement on the version is already weak; nothing to do.</summary>
    AlreadyPatched,

    /// <summary>The file does not require the version at all; nothing to do.</summary>
    VersionNotReferenced,

    /// <summary>Refused: a symbol other than the marker symbol is bound to the version.</summary>
    RefusedOtherSymbolsNeedVersion,

    /// <summary>Refused: a dynamic relocation references a symbol bound to the version.</summary>
    RefusedRelocationReferencesVersion,

    /// <summary>The input is not a little-endian ELF64 file.</summary>
    NotElf64,

    /// <summary>The input looks like ELF64 but a header, table or offset is inconsistent or out of bounds.</summary>
    Malformed,
}