using Autoencoders.NativeFix;

namespace Autoencoders.Tests.Native;

public class ElfVersionNeedPatcherTests
{
    private const uint ShtRela = 4;
    private const uint ShtDynsym = 11;
    private const uint ShtVerneed = 0x6ffffffe;
    private const uint ShtVersym = 0x6fffffff;
    private const string Version = "GLIBCXX_3.4.32";
    private const string Marker = "_ZSt21ios_base_library_initv";

    [Fact]
    public void Analyze_RealLibrary_FindsOnlyTheMarkerAndDoesNotModify()
    {
        var original = NativeTestFiles.ReadCachedLibTorchSharp();
        var bytes = (byte[])original.Clone();

        var result = ElfVersionNeedPatcher.Analyze(bytes);

        result.Status.Should().Be(PatchStatus.Patchable, result.Message);
        result.Symbols.Should().Equal(Marker);
        result.FlagOffsets.Should().HaveCount(1);
        bytes.Should().Equal(original);
    }

    [Fact]
    public void Patch_RealLibrary_SetsWeakFlagOnTheGlibcxx3432VernauxOnly()
    {
        var original = NativeTestFiles.ReadCachedLibTorchSharp();
        var patched = (byte[])original.Clone();

        var result = ElfVersionNeedPatcher.Patch(patched);

        result.Status.Should().Be(PatchStatus.Patched, result.Message);
        long flags = result.FlagOffsets.Single();

        // Exactly the 2-byte vna_flags field changed, by VER_FLG_WEAK.
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        changed.Should().NotBeEmpty().And.OnlyContain(i => i >= flags && i < flags + 2);
        var before = BitConverter.ToUInt16(original, (int)flags);
        var after = BitConverter.ToUInt16(patched, (int)flags);
        (before & 0x2).Should().Be(0);
        after.Should().Be((ushort)(before | 0x2));

        // ...and that field belongs to the Vernaux entry named GLIBCXX_3.4.32 (index 18), inside .gnu.version_r,
        // as read by an independent reader: Vernaux = hash u32, flags u16, other u16, name u32, next u32.
        var verneed = NativeTestFiles.SectionOfType(original, ShtVerneed);
        var dynstr = NativeTestFiles.Sections(original)[(int)verneed.Link];
        long vernaux = flags - 4;
        vernaux.Should().BeInRange(verneed.Offset, verneed.Offset + verneed.Size - 16);
        BitConverter.ToUInt16(original, (int)vernaux + 6).Should().Be(18);
        NativeTestFiles.CString(original, dynstr.Offset + BitConverter.ToUInt32(original, (int)vernaux + 8)).Should().Be(Version);
    }

    [Fact]
    public void Patch_IsIdempotent()
    {
        var once = NativeTestFiles.ReadCachedLibTorchSharp();
        ElfVersionNeedPatcher.Patch(once).Status.Should().Be(PatchStatus.Patched);
        var twice = (byte[])once.Clone();

        var second = ElfVersionNeedPatcher.Patch(twice);

        second.Status.Should().Be(PatchStatus.AlreadyPatched);
        twice.Should().Equal(once);
        ElfVersionNeedPatcher.Analyze(once).Status.Should().Be(PatchStatus.AlreadyPatched);
    }

    [Fact]
    public void Patch_UnreferencedVersion_ReportsAndLeavesBytes()
    {
        var original = NativeTestFiles.ReadCachedLibTorchSharp();
        var bytes = (byte[])original.Clone();

        ElfVersionNeedPatcher.Patch(bytes, "GLIBCXX_9.9.99").Status.Should().Be(PatchStatus.VersionNotReferenced);
        bytes.Should().Equal(original);
    }

    [Fact]
    public void Patch_RefusesWhenAnotherSymbolNeedsTheVersion()
    {
        var bytes = NativeTestFiles.ReadCachedLibTorchSharp();
        var versym = NativeTestFiles.SectionOfType(bytes, ShtVersym);
        var dynsym = NativeTestFiles.SectionOfType(bytes, ShtDynsym);
        var dynstr = NativeTestFiles.Sections(bytes)[(int)dynsym.Link];

        // An undefined symbol bound to another version (index 2, GLIBCXX_3.4) now claims index 18.
        int victim = Enumerable.Range(1, (int)(versym.Size / 2)).First(i => BitConverter.ToUInt16(bytes, (int)versym.Offset + (i * 2)) == 2);
        BitConverter.TryWriteBytes(bytes.AsSpan((int)versym.Offset + (victim * 2), 2), (ushort)18).Should().BeTrue();
        var victimName = NativeTestFiles.CString(bytes, dynstr.Offset + BitConverter.ToUInt32(bytes, (int)dynsym.Offset + (victim * 24)));
        var tampered = (byte[])bytes.Clone();

        var result = ElfVersionNeedPatcher.Patch(bytes);

        result.Status.Should().Be(PatchStatus.RefusedOtherSymbolsNeedVersion);
        result.Symbols.Should().Equal(victimName);
        result.Message.Should().Contain(victimName);
        bytes.Should().Equal(tampered);
    }

    [Fact]
    public void Patch_RefusesWhenARelocationReferencesTheMarker()
    {
        var bytes = NativeTestFiles.ReadCachedLibTorchSharp();
        var versym = NativeTestFiles.SectionOfType(bytes, ShtVersym);
        int marker = Enumerable.Range(1, (int)(versym.Size / 2)).Single(i => BitConverter.ToUInt16(bytes, (int)versym.Offset + (i * 2)) == 18);

        // Point the symbol of the first relocation that has one at the marker symbol.
        var rela = NativeTestFiles.Sections(bytes).Where(s => s.Type == ShtRela).ToList();
        rela.Should().NotBeEmpty();
        var section = rela.Last();
        long entry = Enumerable.Range(0, (int)(section.Size / 24)).Select(i => section.Offset + (i * 24L))
            .First(e => BitConverter.ToUInt64(bytes, (int)e + 8) >> 32 != 0);
        ulong info = BitConverter.ToUInt64(bytes, (int)entry + 8);
        BitConverter.TryWriteBytes(bytes.AsSpan((int)entry + 8, 8), ((ulong)marker << 32) | (info & 0xffffffff)).Should().BeTrue();
        var tampered = (byte[])bytes.Clone();

        var result = ElfVersionNeedPatcher.Patch(bytes);

        result.Status.Should().Be(PatchStatus.RefusedRelocationReferencesVersion);
        result.Symbols.Should().Equal(Marker);
        bytes.Should().Equal(tampered);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' })]
    public void Patch_TinyOrForeignInput_IsNotElf64(byte[] input)
    {
        ElfVersionNeedPatcher.Patch((byte[])input.Clone()).Status.Should().Be(PatchStatus.NotElf64);
        var act = () => ElfVersionDefinitions.Contains(input, Version);
        act.Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void Patch_Elf32OrBigEndian_IsNotElf64()
    {
        var elf32 = NativeTestFiles.ReadCachedLibTorchSharp();
        elf32[4] = 1;
        ElfVersionNeedPatcher.Patch(elf32).Status.Should().Be(PatchStatus.NotElf64);
        var bigEndian = NativeTestFiles.ReadCachedLibTorchSharp();
        bigEndian[5] = 2;
        ElfVersionNeedPatcher.Patch(bigEndian).Status.Should().Be(PatchStatus.NotElf64);
    }

    [Fact]
    public void Patch_TruncatedInputs_AreReportedCleanly()
    {
        var full = NativeTestFiles.ReadCachedLibTorchSharp();
        var verneed = NativeTestFiles.SectionOfType(full, ShtVerneed);
        int[] lengths = [64, 100, 4096, (int)verneed.Offset + 8, full.Length / 2, full.Length - 1];
        foreach (var length in lengths)
        {
            var result = ElfVersionNeedPatcher.Patch(full.AsSpan(0, length).ToArray());
            result.Status.Should().Be(PatchStatus.Malformed, $"length {length}");
            result.Message.Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void Patch_CorruptedTables_NeverThrow()
    {
        var original = NativeTestFiles.ReadCachedLibTorchSharp();
        var sections = NativeTestFiles.Sections(original);
        var verneed = NativeTestFiles.SectionOfType(original, ShtVerneed);
        var shoff = (int)BitConverter.ToUInt64(original, 0x28);

        // Targeted corruptions: header fields, the section table, Verneed/Vernaux chains, string offsets.
        var corruptions = new List<(int Offset, byte[] Value)>
        {
            (0x28, BitConverter.GetBytes(ulong.MaxValue)),
            (0x3A, BitConverter.GetBytes((ushort)0)),
            (0x3C, BitConverter.GetBytes((ushort)0xffff)),
            (shoff + (verneed.Index * 64) + 24, BitConverter.GetBytes((ulong)original.Length)),
            (shoff + (verneed.Index * 64) + 32, BitConverter.GetBytes(ulong.MaxValue - 5)),
            (shoff + (verneed.Index * 64) + 40, BitConverter.GetBytes(9999u)),
            ((int)verneed.Offset + 8, BitConverter.GetBytes(0x7fffffffu)),
            ((int)verneed.Offset + 12, BitConverter.GetBytes(0u)),
            ((int)verneed.Offset + 0x10 + 8, BitConverter.GetBytes(uint.MaxValue)),
            ((int)verneed.Offset + 0x10 + 12, BitConverter.GetBytes(0xfffffff0u)),
        };
        foreach (var (offset, value) in corruptions)
        {
            var bytes = (byte[])original.Clone();
            value.CopyTo(bytes, offset);
            var act = () => ElfVersionNeedPatcher.Patch(bytes);
            act.Should().NotThrow($"corruption at {offset}");
        }

        // Random corruption of the parsed regions, seeded.
        var random = new Random(1234);
        var regions = sections.Where(s => s.Type is ShtVerneed or ShtVersym).Select(s => (s.Offset, s.Size))
            .Append((shoff, sections.Count * 64L)).Append((0L, 64L)).ToArray();
        for (int i = 0; i < 300; i++)
        {
            var bytes = (byte[])original.Clone();
            for (int k = 0; k < 4; k++)
            {
                var (start, size) = regions[random.Next(regions.Length)];
                bytes[start + random.NextInt64(size)] = (byte)random.Next(256);
            }

            var act = () => ElfVersionNeedPatcher.Patch(bytes);
            act.Should().NotThrow();
        }
    }

    [Fact]
    public void VersionDefinitions_LibraryWithoutVerdef_AreEmpty()
    {
        ElfVersionDefinitions.Read(NativeTestFiles.ReadCachedLibTorchSharp()).Should().BeEmpty();
    }

    [Debian12Fact]
    public void VersionDefinitions_Debian12LibStdCxx_Has3430But_Not3432()
    {
        var libstdcxx = File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6");

        ElfVersionDefinitions.Contains(libstdcxx, "GLIBCXX_3.4").Should().BeTrue();
        ElfVersionDefinitions.Contains(libstdcxx, "GLIBCXX_3.4.30").Should().BeTrue();
        ElfVersionDefinitions.Contains(libstdcxx, "CXXABI_1.3.13").Should().BeTrue();
        ElfVersionDefinitions.Contains(libstdcxx, "GLIBCXX_3.4.31").Should().BeFalse();
        ElfVersionDefinitions.Contains(libstdcxx, "GLIBCXX_3.4.32").Should().BeFalse();
    }

    [Debian12Fact]
    public void MachineLibStdCxx_OnDebian12_ResolvesTheSymlinkAndLacks3432()
    {
        var path = MachineLibStdCxx.Find();

        path.Should().Be("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30");
        MachineLibStdCxx.Defines(Version, out var used).Should().BeFalse();
        used.Should().Be(path);
    }
}
