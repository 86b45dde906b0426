// The native-runtime fix described in DESIGN.md ("Native runtime"): the ELF analysis and the one-flag patch.
// Run at build time by the PatchLibTorchSharp task; nothing of it ships in the runtime library.

namespace Autoencoders.NativeFix;

/// <summary>
/// Reads ELF64 little-endian shared objects and, when provably safe, marks one symbol-version
/// requirement (a Vernaux entry in .gnu.version_r) as weak (VER_FLG_WEAK), so that the dynamic loader no
/// longer refuses the library when the system's libstdc++ lacks that version.
/// </summary>
/// <remarks>
/// TorchSharp 0.107.0's libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13) only for the marker symbol
/// <c>std::ios_base_library_init()</c> (mangled <c>_ZSt21ios_base_library_initv</c>), which GCC 13 emits
/// to force the iostream initialisation order and against which no relocation exists. The patch is
/// applied only when every dynamic symbol bound to the version is that marker and no dynamic relocation
/// references it; anything else is refused.
/// </remarks>
internal static class ElfVersionNeedPatcher
{
    /// <summary>The version GCC 13's libstdc++ introduced; Debian 12 and Ubuntu 22.04 stop at 3.4.30.</summary>
    public const string DefaultVersionName = "GLIBCXX_3.4.32";

    /// <summary>std::ios_base_library_init(), the only symbol allowed to be bound to the weakened version.</summary>
    public const string MarkerSymbol = "_ZSt21ios_base_library_initv";

    /// <summary>VER_FLG_WEAK.</summary>
    public const ushort VerFlagWeak = 0x2;

    /// <summary>Analyses <paramref name="elf"/> without modifying it.</summary>
    public static PatchResult Analyze(byte[] elf, string versionName = DefaultVersionName) => Run(elf, versionName, apply: false);

    /// <summary>
    /// Weakens the requirement in place when safe. <paramref name="elf"/> is modified only when the result
    /// is <see cref="PatchStatus.Patched"/>, and then only in the 2-byte vna_flags field(s).
    /// </summary>
    public static PatchResult Patch(byte[] elf, string versionName = DefaultVersionName) => Run(elf, versionName, apply: true);

    /// <summary>
    /// Patches a file on disk when safe. The patched bytes are written to a temporary file in the same folder
    /// (a copy of the original, so the file mode is kept) which is then renamed over <paramref name="path"/>.
    /// The rename breaks hard links and replaces symbolic links, so a linked NuGet-cache file is never
    /// modified. Idempotent: a patched file reports <see cref="PatchStatus.AlreadyPatched"/>.
    /// </summary>
    public static PatchResult PatchFile(string path, string versionName = DefaultVersionName)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        var bytes = File.ReadAllBytes(path);
        var result = Patch(bytes, versionName);
        if (result.Status != PatchStatus.Patched)
        {
            return result;
        }

        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            // File.Copy keeps the permission bits on Unix. A read-only copy is made writable for the write
            // and made read-only again afterwards (clearing/setting ReadOnly toggles the write bits).
            File.Copy(full, temp, overwrite: false);
            var attributes = File.GetAttributes(temp);
            bool readOnly = (attributes & FileAttributes.ReadOnly) != 0;
            if (readOnly)
            {
                File.SetAttributes(temp, attributes & ~FileAttributes.ReadOnly);
            }

            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                stream.SetLength(0);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }

            if (readOnly)
            {
                File.SetAttributes(temp, attributes);
            }

            // On Unix File.Replace without a backup is rename(2): atomic, and it swaps the directory entry
            // rather than writing through it.
            File.Replace(temp, full, destinationBackupFileName: null);
            temp = string.Empty;
        }
        finally
        {
            if (temp.Length > 0 && File.Exists(temp))
            {
                try
                {
                    File.Delete(temp);
                }
                catch (IOException)
                {
                    // best effort: the original is untouched either way
                }
                catch (UnauthorizedAccessException)
                {
                    // best effort
                }
            }
        }

        return result;
    }

    private static PatchResult Run(byte[] elf, string versionName, bool apply)
    {
        if (elf is null)
        {
            throw new ArgumentNullException(nameof(elf));
        }

        if (string.IsNullOrEmpty(versionName))
        {
            throw new ArgumentException("A version name is required.", nameof(versionName));
        }

        if (!ElfFile.IsElf64LittleEndian(elf))
        {
            return new PatchResult(PatchStatus.NotElf64, "not a little-endian ELF64 file");
        }

        try
        {
            return RunChecked(ElfFile.Parse(elf), elf, versionName, apply);
        }
        catch (ElfFormatException ex)
        {
            return new PatchResult(PatchStatus.Malformed, ex.Message);
        }
    }

    private static PatchResult RunChecked(ElfFile file, byte[] elf, string versionName, bool apply)
    {
        var verneed = file.FindFirst(ElfFile.ShtGnuVerneed);
        if (verneed is null)
        {
            return new PatchResult(PatchStatus.VersionNotReferenced, "no .gnu.version_r section: the file requires no symbol versions");
        }

        // 1. The Vernaux entries naming the version.
        var strtab = file.Section(verneed.Link, ".gnu.version_r's string table");
        var flagOffsets = new List<long>();
        var indexes = new HashSet<ushort>();
        bool allWeak = true;
        long offset = verneed.Offset;
        long needCount = verneed.Info; // DT_VERNEEDNUM
        for (long i = 0; i < needCount && i < ElfFile.MaxChainLength; i++)
        {
            file.Require(offset, 16, verneed, "Verneed entry");
            ushort vnCnt = file.U16(offset + 2);
            uint vnAux = file.U32(offset + 8);
            uint vnNext = file.U32(offset + 12);
            long aux = offset + vnAux;
            for (int j = 0; j < vnCnt; j++)
            {
                file.Require(aux, 16, verneed, "Vernaux entry");
                ushort flags = file.U16(aux + 4);
                ushort other = file.U16(aux + 6);
                uint name = file.U32(aux + 8);
                uint next = file.U32(aux + 12);
                if (string.Equals(file.String(strtab, name), versionName, StringComparison.Ordinal))
                {
                    flagOffsets.Add(aux + 4);
                    indexes.Add((ushort)(other & 0x7fff));
                    allWeak &= (flags & VerFlagWeak) != 0;
                }

                if (next == 0)
                {
                    break;
                }

                aux += next;
            }

            if (vnNext == 0)
            {
                break;
            }

            offset += vnNext;
        }

        if (flagOffsets.Count == 0)
        {
            return new PatchResult(PatchStatus.VersionNotReferenced, "the file does not require " + versionName);
        }

        if (allWeak)
        {
            return new PatchResult(PatchStatus.AlreadyPatched, "the requirement on " + versionName + " is already weak", flagOffsets: flagOffsets);
        }

        // 2. The dynamic symbols bound to those version indexes.
        var dynsym = file.FindFirst(ElfFile.ShtDynsym) ?? throw new ElfFormatException("the file requires symbol versions but has no .dynsym section");
        var versym = file.FindFirst(ElfFile.ShtGnuVersym) ?? throw new ElfFormatException("the file requires symbol versions but has no .gnu.version section");
        if (dynsym.EntrySize != 0 && dynsym.EntrySize != 24)
        {
            throw new ElfFormatException(".dynsym has an entry size of " + dynsym.EntrySize + " bytes, expected 24");
        }

        long symbolCount = dynsym.Size / 24;
        if (versym.Size / 2 != symbolCount)
        {
            throw new ElfFormatException(".gnu.version has " + (versym.Size / 2) + " entries but .dynsym has " + symbolCount);
        }

        var dynstr = file.Section(dynsym.Link, ".dynsym's string table");
        var bound = new HashSet<long>();
        var boundNames = new List<string>();
        var others = new List<string>();
        for (long s = 0; s < symbolCount; s++)
        {
            ushort index = (ushort)(file.U16(versym.Offset + (s * 2)) & 0x7fff);
            if (!indexes.Contains(index))
            {
                continue;
            }

            var symbolName = file.String(dynstr, file.U32(dynsym.Offset + (s * 24)));
            bound.Add(s);
            boundNames.Add(symbolName);
            if (!string.Equals(symbolName, MarkerSymbol, StringComparison.Ordinal))
            {
                others.Add(symbolName.Length == 0 ? "(unnamed symbol #" + s + ")" : symbolName);
            }
        }

        if (others.Count > 0)
        {
            return new PatchResult(
                PatchStatus.RefusedOtherSymbolsNeedVersion,
                "refused: symbols other than " + MarkerSymbol + " need " + versionName + ": " + string.Join(", ", others),
                others,
                flagOffsets);
        }

        // 3. No dynamic relocation may reference a symbol bound to the version.
        var relocated = new List<string>();
        for (int i = 0; i < file.Sections.Count; i++)
        {
            var section = file.Sections[i];
            if (section.Type != ElfFile.ShtRela && section.Type != ElfFile.ShtRel)
            {
                continue;
            }

            bool dynamic = section.Link == dynsym.Index || (section.Link == 0 && (section.Flags & ElfFile.ShfAlloc) != 0);
            if (!dynamic)
            {
                continue;
            }

            long entrySize = section.Type == ElfFile.ShtRela ? 24 : 16;
            if (section.EntrySize != 0 && section.EntrySize != (ulong)entrySize)
            {
                throw new ElfFormatException(file.Name(section) + " has an entry size of " + section.EntrySize + " bytes, expected " + entrySize);
            }

            for (long r = 0; r + entrySize <= section.Size; r += entrySize)
            {
                ulong info = file.U64(section.Offset + r + 8);
                long symbol = (long)(info >> 32);
                if (symbol != 0 && bound.Contains(symbol))
                {
                    var symbolName = file.String(dynstr, file.U32(dynsym.Offset + (symbol * 24)));
                    if (!relocated.Contains(symbolName))
                    {
                        relocated.Add(symbolName);
                    }
                }
            }
        }

        if (relocated.Count > 0)
        {
            return new PatchResult(
                PatchStatus.RefusedRelocationReferencesVersion,
                "refused: a dynamic relocation references " + string.Join(", ", relocated) + ", which needs " + versionName,
                relocated,
                flagOffsets);
        }

        if (!apply)
        {
            return new PatchResult(PatchStatus.Patchable, "the requirement on " + versionName + " can be made weak (only " + MarkerSymbol + " needs it)", boundNames, flagOffsets);
        }

        foreach (var flagOffset in flagOffsets)
        {
            ushort flags = (ushort)(elf[flagOffset] | (elf[flagOffset + 1] << 8));
            flags |= VerFlagWeak;
            elf[flagOffset] = (byte)flags;
            elf[flagOffset + 1] = (byte)(flags >> 8);
        }

        return new PatchResult(PatchStatus.Patched, "made the requirement on " + versionName + " weak (only " + MarkerSymbol + " needs it)", boundNames, flagOffsets);
    }
}
