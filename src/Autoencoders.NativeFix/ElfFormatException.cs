namespace Autoencoders.NativeFix;

/// <summary>A header, table or offset of an ELF file is inconsistent or out of bounds.</summary>
internal sealed class ElfFormatException : Exception
{
    public ElfFormatException(string message)
        : base(message)
    {
    }
}
