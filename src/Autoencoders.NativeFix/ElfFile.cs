using System.Text;

namespace Autoencoders.NativeFix;

/// <summary>A bounds-checked view over the section headers of an ELF64 little-endian file.</summary>
internal sealed class ElfFile
{
    public const uint ShtRela = 4;
    public const uint ShtNobits = 8;
    public const uint ShtRel = 9;
    public const uint ShtDynsym = 11;
    public const uint ShtGnuVerdef = 0x6ffffffd;
    public const uint ShtGnuVerneed = 0x6ffffffe;
    public const uint ShtGnuVersym = 0x6fffffff;
    public const ulong ShfAlloc = 0x2;

    /// <summary>Bounds the walks along Verneed/Verdef chains, so a looping chain in a corrupt file ends.</summary>
    public const int MaxChainLength = 1 << 16;

    private readonly byte[] _data;

    private ElfFile(byte[] data, List<ElfSection> sections, int stringSectionIndex)
    {
        _data = data;
        Sections = sections;
        StringSectionIndex = stringSectionIndex;
    }

    public List<ElfSection> Sections { get; }

    public int StringSectionIndex { get; }

    public static bool IsElf64LittleEndian(byte[] data) =>
        data.Length >= 64 && data[0] == 0x7f && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F'
        && data[4] == 2 /* ELFCLASS64 */ && data[5] == 1 /* ELFDATA2LSB */;

    public static ElfFile Parse(byte[] data)
    {
        if (!IsElf64LittleEndian(data))
        {
            throw new ElfFormatException("not a little-endian ELF64 file");
        }

        var header = new ElfFile(data, new List<ElfSection>(), 0);
        ulong shoff = header.U64(0x28);
        ushort shentsize = header.U16(0x3A);
        long shnum = header.U16(0x3C);
        long shstrndx = header.U16(0x3E);
        if (shoff == 0)
        {
            throw new ElfFormatException("the file has no section headers");
        }

        if (shentsize < 64)
        {
            throw new ElfFormatException("section header entry size " + shentsize + " is smaller than 64 bytes");
        }

        if (shoff > (ulong)data.Length || (ulong)data.Length - shoff < 64)
        {
            throw new ElfFormatException("the section header table (offset " + shoff + ") lies outside the file (" + data.Length + " bytes)");
        }

        long tableOffset = (long)shoff;
        if (shnum == 0)
        {
            // Extended numbering: the count is in section 0's sh_size.
            ulong extended = header.U64(tableOffset + 32);
            if (extended > int.MaxValue)
            {
                throw new ElfFormatException("implausible section count " + extended);
            }

            shnum = (long)extended;
        }

        if (shstrndx == 0xffff)
        {
            shstrndx = header.U32(tableOffset + 40);
        }

        if (shnum == 0 || (data.Length - tableOffset) / shentsize < shnum)
        {
            throw new ElfFormatException("the section header table (" + shnum + " entries of " + shentsize + " bytes at " + tableOffset + ") does not fit in the file (" + data.Length + " bytes)");
        }

        var sections = new List<ElfSection>((int)shnum);
        for (int i = 0; i < shnum; i++)
        {
            long at = tableOffset + ((long)i * shentsize);
            var section = new ElfSection
            {
                Index = i,
                NameOffset = header.U32(at),
                Type = header.U32(at + 4),
                Flags = header.U64(at + 8),
                Link = header.U32(at + 40),
                Info = header.U32(at + 44),
                EntrySize = header.U64(at + 56),
            };
            ulong offset = header.U64(at + 24);
            ulong size = header.U64(at + 32);
            const uint ShtNobits = 8;
            if (section.Type != ShtNobits && section.Type != 0)
            {
                if (offset > (ulong)data.Length || size > (ulong)data.Length - offset)
                {
                    throw new ElfFormatException("section #" + i + " (offset " + offset + ", size " + size + ") lies outside the file (" + data.Length + " bytes)");
                }

                section.Offset = (long)offset;
                section.Size = (long)size;
            }

            sections.Add(section);
        }

        if (shstrndx >= shnum)
        {
            shstrndx = 0;
        }

        return new ElfFile(data, sections, (int)shstrndx);
    }

    public ElfSection? FindFirst(uint type)
    {
        foreach (var section in Sections)
        {
            if (section.Type == type)
            {
                return section;
            }
        }

        return null;
    }

    public ElfSection Section(uint index, string what)
    {
        if (index == 0 || index >= Sections.Count)
        {
            throw new ElfFormatException(what + " is section #" + index + ", which does not exist");
        }

        return Sections[(int)index];
    }

    public string Name(ElfSection section)
    {
        if (StringSectionIndex == 0)
        {
            return "section #" + section.Index;
        }

        try
        {
            var name = String(Sections[StringSectionIndex], section.NameOffset);
            return name.Length == 0 ? "section #" + section.Index : name;
        }
        catch (ElfFormatException)
        {
            return "section #" + section.Index;
        }
    }

    /// <summary>Requires <paramref name="length"/> bytes at <paramref name="offset"/> to lie inside <paramref name="section"/>.</summary>
    public void Require(long offset, long length, ElfSection section, string what)
    {
        if (offset < section.Offset || offset > section.Offset + section.Size - length)
        {
            throw new ElfFormatException(what + " at offset " + offset + " lies outside " + Name(section) + " (offset " + section.Offset + ", size " + section.Size + ")");
        }
    }

    public string String(ElfSection table, uint offset)
    {
        if (offset >= table.Size)
        {
            throw new ElfFormatException("string offset " + offset + " lies outside " + Name(table) + " (size " + table.Size + ")");
        }

        long start = table.Offset + offset;
        long end = start;
        long limit = table.Offset + table.Size;
        while (end < limit && _data[end] != 0)
        {
            end++;
        }

        if (end == limit)
        {
            throw new ElfFormatException("unterminated string at offset " + start + " in " + Name(table));
        }

        return Encoding.UTF8.GetString(_data, (int)start, (int)(end - start));
    }

    public ushort U16(long offset)
    {
        Check(offset, 2);
        return (ushort)(_data[offset] | (_data[offset + 1] << 8));
    }

    public uint U32(long offset)
    {
        Check(offset, 4);
        return (uint)(_data[offset] | (_data[offset + 1] << 8) | (_data[offset + 2] << 16) | (_data[offset + 3] << 24));
    }

    public ulong U64(long offset)
    {
        Check(offset, 8);
        return U32(offset) | ((ulong)U32(offset + 4) << 32);
    }

    private void Check(long offset, int length)
    {
        if (offset < 0 || offset > _data.Length - length)
        {
            throw new ElfFormatException("read of " + length + " bytes at offset " + offset + " lies outside the file (" + _data.Length + " bytes)");
        }
    }
}
