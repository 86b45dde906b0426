namespace Autoencoders.NativeFix;

/// <summary>Reads the symbol versions a shared library defines (its .gnu.version_d section).</summary>
internal static class ElfVersionDefinitions
{
    /// <summary>True when the shared library (e.g. libstdc++.so.6) defines <paramref name="version"/> in .gnu.version_d.</summary>
    /// <exception cref="InvalidDataException">The input is not a well-formed ELF64 little-endian file.</exception>
    public static bool Contains(byte[] elf, string version)
    {
        foreach (var defined in Read(elf))
        {
            if (string.Equals(defined, version, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>All version names a shared library defines in .gnu.version_d (empty when it has none).</summary>
    /// <exception cref="InvalidDataException">The input is not a well-formed ELF64 little-endian file.</exception>
    public static IReadOnlyList<string> Read(byte[] elf)
    {
        if (elf is null)
        {
            throw new ArgumentNullException(nameof(elf));
        }

        try
        {
            var file = ElfFile.Parse(elf);
            var names = new List<string>();
            var verdef = file.FindFirst(ElfFile.ShtGnuVerdef);
            if (verdef is null)
            {
                return names;
            }

            var strtab = file.Section(verdef.Link, ".gnu.version_d's string table");
            long offset = verdef.Offset;
            long count = verdef.Info; // DT_VERDEFNUM
            for (long i = 0; i < count && i < ElfFile.MaxChainLength; i++)
            {
                file.Require(offset, 20, verdef, "Verdef entry");
                ushort vdCnt = file.U16(offset + 6);
                uint vdAux = file.U32(offset + 12);
                uint vdNext = file.U32(offset + 16);
                if (vdCnt > 0)
                {
                    long aux = offset + vdAux;
                    file.Require(aux, 8, verdef, "Verdaux entry");
                    names.Add(file.String(strtab, file.U32(aux)));
                }

                if (vdNext == 0)
                {
                    break;
                }

                offset += vdNext;
            }

            return names;
        }
        catch (ElfFormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }
}
