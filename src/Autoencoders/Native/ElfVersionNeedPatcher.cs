// One source of truth for the native-runtime fix described in DESIGN.md ("Native runtime").
//
// This file is compiled twice:
//  * into the Autoencoders library (which defines AUTOENCODERS_LIBRARY), where only the pure ELF logic
//    below is used (by TorchRuntime's diagnosis and by the tests);
//  * by MSBuild's RoslynCodeTaskFactory from buildTransitive/Autoencoders.targets, which also compiles the
//    PatchLibTorchSharp task at the bottom. That compilation references netstandard 2.0 only, so this file
//    must not use Span<T>, records, init accessors or APIs newer than netstandard 2.0 outside
//    "#if AUTOENCODERS_LIBRARY".
#nullable enable

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Autoencoders.Native;

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

    /// <summary>True for outcomes that are not a problem (patched, patchable, nothing to do).</summary>
    public bool IsSuccess => Status == PatchStatus.Patchable || Status == PatchStatus.Patched
        || Status == PatchStatus.AlreadyPatched || Status == PatchStatus.VersionNotReferenced;

    public override string ToString() => Status + ": " + Message;
}

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

    /// <summary>The file name of TorchSharp's native glue library on Linux.</summary>
    public const string LibTorchSharpFileName = "libLibTorchSharp.so";

    /// <summary>VER_FLG_WEAK.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint ShtRela = 4;
    private const uint ShtRel = 9;
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ulong ShfAlloc = 0x2;
    private const int MaxChainLength = 1 << 16;

    /// <summary>Analyses <paramref name="elf"/> without modifying it.</summary>
    public static PatchResult Analyze(byte[] elf, string versionName = DefaultVersionName) => Run(elf, versionName, apply: false);

    /// <summary>
    /// Weakens the requirement in place when safe. <paramref name="elf"/> is modified only when the result
    /// is <see cref="PatchStatus.Patched"/>, and then only in the 2-byte vna_flags field(s).
    /// </summary>
    public static PatchResult Patch(byte[] elf, string versionName = DefaultVersionName) => Run(elf, versionName, apply: true);

#if AUTOENCODERS_LIBRARY
    /// <summary>Analyses <paramref name="elf"/> without modifying it.</summary>
    public static PatchResult Analyze(ReadOnlySpan<byte> elf, string versionName = DefaultVersionName) => Analyze(elf.ToArray(), versionName);

    /// <summary>True when the shared library (e.g. libstdc++.so.6) defines <paramref name="version"/> in .gnu.version_d.</summary>
    /// <exception cref="InvalidDataException">The input is not a well-formed ELF64 little-endian file.</exception>
    public static bool LibraryDefinesVersion(ReadOnlySpan<byte> elf, string version) => LibraryDefinesVersion(elf.ToArray(), version);
#endif

    /// <summary>True when the shared library (e.g. libstdc++.so.6) defines <paramref name="version"/> in .gnu.version_d.</summary>
    /// <exception cref="InvalidDataException">The input is not a well-formed ELF64 little-endian file.</exception>
    public static bool LibraryDefinesVersion(byte[] elf, string version)
    {
        foreach (var defined in DefinedVersions(elf))
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
    public static IReadOnlyList<string> DefinedVersions(byte[] elf)
    {
        if (elf is null)
        {
            throw new ArgumentNullException(nameof(elf));
        }

        try
        {
            var file = ElfFile.Parse(elf);
            var names = new List<string>();
            var verdef = file.FindFirst(ShtGnuVerdef);
            if (verdef is null)
            {
                return names;
            }

            var strtab = file.Section(verdef.Link, ".gnu.version_d's string table");
            long offset = verdef.Offset;
            long count = verdef.Info; // DT_VERDEFNUM
            for (long i = 0; i < count && i < MaxChainLength; i++)
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

    /// <summary>The folders searched for libstdc++.so.6, most specific first.</summary>
    public static IReadOnlyList<string> LibStdCxxSearchFolders()
    {
        var folders = new List<string>
        {
            "/usr/lib/x86_64-linux-gnu",
            "/lib/x86_64-linux-gnu",
            "/usr/lib64",
            "/lib64",
            "/usr/lib",
            "/usr/lib/aarch64-linux-gnu",
        };
        if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            folders.Remove("/usr/lib/aarch64-linux-gnu");
            folders.Insert(0, "/usr/lib/aarch64-linux-gnu");
        }

        return folders;
    }

    /// <summary>The machine's libstdc++.so.6 with symbolic links resolved, or null when none is found.</summary>
    public static string? FindLibStdCxx()
    {
        foreach (var folder in LibStdCxxSearchFolders())
        {
            var candidate = Path.Combine(folder, "libstdc++.so.6");
            if (File.Exists(candidate))
            {
                return ResolveLinks(candidate);
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the machine's libstdc++ defines <paramref name="version"/>: true or false, or null when no
    /// libstdc++.so.6 was found or it could not be read; <paramref name="libraryPath"/> names the file.
    /// </summary>
    public static bool? MachineLibStdCxxDefines(string version, out string? libraryPath)
    {
        libraryPath = FindLibStdCxx();
        if (libraryPath is null)
        {
            return null;
        }

        try
        {
            return LibraryDefinesVersion(File.ReadAllBytes(libraryPath), version);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
        {
            return null;
        }
    }

    private static string ResolveLinks(string path)
    {
        try
        {
#if AUTOENCODERS_LIBRARY
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
#else
            // FileSystemInfo.ResolveLinkTarget is .NET 6+, absent from the netstandard reference the task is
            // compiled against, but present in the runtime MSBuild runs on.
            var method = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });
            var target = method?.Invoke(new FileInfo(path), new object[] { true }) as FileSystemInfo;
            return target?.FullName ?? path;
#endif
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Reflection.TargetInvocationException)
        {
            return path;
        }
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
        var verneed = file.FindFirst(ShtGnuVerneed);
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
        for (long i = 0; i < needCount && i < MaxChainLength; i++)
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
        var dynsym = file.FindFirst(ShtDynsym) ?? throw new ElfFormatException("the file requires symbol versions but has no .dynsym section");
        var versym = file.FindFirst(ShtGnuVersym) ?? throw new ElfFormatException("the file requires symbol versions but has no .gnu.version section");
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
            if (section.Type != ShtRela && section.Type != ShtRel)
            {
                continue;
            }

            bool dynamic = section.Link == dynsym.Index || (section.Link == 0 && (section.Flags & ShfAlloc) != 0);
            if (!dynamic)
            {
                continue;
            }

            long entrySize = section.Type == ShtRela ? 24 : 16;
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

    private sealed class ElfFormatException : Exception
    {
        public ElfFormatException(string message)
            : base(message)
        {
        }
    }

    private sealed class Section
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

    /// <summary>A bounds-checked view over the section headers of an ELF64 little-endian file.</summary>
    private sealed class ElfFile
    {
        private readonly byte[] _data;

        private ElfFile(byte[] data, List<Section> sections, int stringSectionIndex)
        {
            _data = data;
            Sections = sections;
            StringSectionIndex = stringSectionIndex;
        }

        public List<Section> Sections { get; }

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

            var header = new ElfFile(data, new List<Section>(), 0);
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

            var sections = new List<Section>((int)shnum);
            for (int i = 0; i < shnum; i++)
            {
                long at = tableOffset + ((long)i * shentsize);
                var section = new Section
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

        public Section? FindFirst(uint type)
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

        public Section Section(uint index, string what)
        {
            if (index == 0 || index >= Sections.Count)
            {
                throw new ElfFormatException(what + " is section #" + index + ", which does not exist");
            }

            return Sections[(int)index];
        }

        public string Name(Section section)
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
        public void Require(long offset, long length, Section section, string what)
        {
            if (offset < section.Offset || offset > section.Offset + section.Size - length)
            {
                throw new ElfFormatException(what + " at offset " + offset + " lies outside " + Name(section) + " (offset " + section.Offset + ", size " + section.Size + ")");
            }
        }

        public string String(Section table, uint offset)
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
}

#if !AUTOENCODERS_LIBRARY
/// <summary>
/// MSBuild task (compiled by RoslynCodeTaskFactory from buildTransitive/Autoencoders.targets) that weakens
/// libLibTorchSharp.so's GLIBCXX_3.4.32 requirement in build and publish outputs.
/// </summary>
public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    /// <summary>The copies of libLibTorchSharp.so to patch (never files in the NuGet cache).</summary>
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    /// <summary>auto (patch only when the machine's libstdc++ lacks the version), always or never.</summary>
    public string Mode { get; set; } = "auto";

    /// <summary>The version requirement to weaken.</summary>
    public string VersionName { get; set; } = ElfVersionNeedPatcher.DefaultVersionName;

    /// <summary>The files that were patched by this invocation.</summary>
    [Microsoft.Build.Framework.Output]
    public Microsoft.Build.Framework.ITaskItem[] PatchedFiles { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    public override bool Execute()
    {
        var mode = (Mode ?? string.Empty).Trim().ToLowerInvariant();
        if (mode.Length == 0)
        {
            mode = "auto";
        }

        if (mode == "never")
        {
            return true;
        }

        if (mode != "auto" && mode != "always")
        {
            Log.LogError(null, "AENATIVE002", null, null, 0, 0, 0, 0,
                "AutoencodersNativeFix must be 'auto', 'always' or 'never', not '{0}'.", Mode);
            return false;
        }

        if (mode == "auto")
        {
            var defines = ElfVersionNeedPatcher.MachineLibStdCxxDefines(VersionName, out var libstdcxx);
            if (defines == true)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    "Autoencoders: {0} defines {1}; libLibTorchSharp.so needs no patch.", libstdcxx, VersionName);
                return true;
            }

            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                defines == false
                    ? "Autoencoders: {0} lacks {1}; checking libLibTorchSharp.so."
                    : "Autoencoders: could not read libstdc++.so.6 ({0}); assuming it lacks {1}.",
                libstdcxx ?? "not found", VersionName);
        }

        var patched = new List<Microsoft.Build.Framework.ITaskItem>();
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            if (!File.Exists(path))
            {
                continue;
            }

            PatchResult result;
            try
            {
                result = ElfVersionNeedPatcher.PatchFile(path, VersionName);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Log.LogWarning(null, "AENATIVE001", null, path, 0, 0, 0, 0,
                    "Autoencoders: could not patch {0}: {1} TorchSharp may fail to load on this machine.", path, ex.Message);
                continue;
            }

            switch (result.Status)
            {
                case PatchStatus.Patched:
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                        "Autoencoders: patched {0}: {1}.", path, result.Message);
                    patched.Add(item);
                    break;
                case PatchStatus.AlreadyPatched:
                case PatchStatus.VersionNotReferenced:
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                        "Autoencoders: {0}: {1}.", path, result.Message);
                    break;
                default:
                    Log.LogWarning(null, "AENATIVE001", null, path, 0, 0, 0, 0,
                        "Autoencoders: did not patch {0}: {1}. TorchSharp may fail to load on this machine (set the MSBuild property AutoencodersNativeFix=never to skip this step).", path, result.Message);
                    break;
            }
        }

        PatchedFiles = patched.ToArray();
        return !Log.HasLoggedErrors;
    }
}
#endif
