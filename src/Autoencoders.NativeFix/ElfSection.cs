namespace Autoencoders.NativeFix;

/// <summary>One ELF64 section header, with offset and size already checked against the file.</summary>
internal sealed class ElfSection
{
    public int Index;
    public uint NameOffset;
    public uint Type;
    public ulong Flags;
    public long Offset;
    public long Size;
    public uint Link;
    public uint Info;
    public ulong EntrySize;
}
