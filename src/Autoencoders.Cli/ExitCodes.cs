namespace Autoencoders.Cli;

/// <summary>The tool's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (a score run exits 0 whether or not it flags rows).</summary>
    public const int Ok = 0;

    /// <summary>Bad input or usage: unknown command or option, a missing or unreadable file, a malformed CSV/IDX or model file, a value out of range.</summary>
    public const int BadInput = 1;

    /// <summary>A runtime failure: the native TorchSharp runtime did not load, training diverged, an I/O error while writing.</summary>
    public const int Failure = 2;
}
