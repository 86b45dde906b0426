using System.IO.Compression;
using Autoencoders.Data;
using CsCheck;
using Xunit.Abstractions;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// Mutated and truncated IDX files, raw and gzip-compressed, only ever give an
/// <see cref="InvalidDataException"/> or a correct array, within a deadline, allocating no more than
/// the data they actually contain calls for.
/// </summary>
public sealed class IdxFuzzTests(ITestOutputHelper output)
{
    private static readonly IdxArray[] Seeds =
    [
        new(IdxElementType.UnsignedByte, [5, 4, 4], Enumerable.Range(0, 80).Select(i => (float)(i * 3 % 256)).ToArray()),
        new(IdxElementType.Single, [6, 3], Enumerable.Range(0, 18).Select(i => i * 0.25f - 2).ToArray()),
        new(IdxElementType.Int16, [10], Enumerable.Range(0, 10).Select(i => (float)(i * 1000 - 5000)).ToArray()),
        new(IdxElementType.Double, [2, 2, 2], Enumerable.Range(0, 8).Select(i => (float)i).ToArray()),
        new(IdxElementType.SignedByte, [3, 1, 1, 2], [-128, -1, 0, 1, 2, 127]),
        new(IdxElementType.Int32, [4], [int.MinValue, -1, 0, 1 << 20]),
    ];

    private static Gen<byte[]> Raw { get; } =
        Gen.Select(Gen.Int[0, Seeds.Length - 1], ByteMutation.Several, (i, mutations) => ByteMutation.ApplyAll(Encode(Seeds[i], gzip: false), mutations));

    /// <summary>Damaged compressed bytes, or a well-formed gzip stream around damaged IDX bytes.</summary>
    private static Gen<byte[]> Gzip { get; } =
        Gen.Select(Gen.Int[0, Seeds.Length - 1], ByteMutation.Several, Gen.Bool, (i, mutations, inside) => inside
            ? Compress(ByteMutation.ApplyAll(Encode(Seeds[i], gzip: false), mutations))
            : ByteMutation.ApplyAll(Encode(Seeds[i], gzip: true), mutations));

    [Fact]
    public void Mutated_raw_IDX_files_give_only_InvalidDataException_or_a_consistent_array()
    {
        var outcomes = Fuzz.Run("IDX raw", Raw, FuzzSettings.Cases(10000), Check, output);

        outcomes.Keys.Should().BeSubsetOf(["ok", nameof(InvalidDataException)]);
        outcomes.GetValueOrDefault(nameof(InvalidDataException)).Should().BeGreaterThan(FuzzSettings.Cases(10000) / 2, "most mutations break a file");
    }

    [Fact]
    public void Mutated_gzip_IDX_files_give_only_InvalidDataException_or_a_consistent_array()
    {
        var outcomes = Fuzz.Run("IDX gzip", Gzip, FuzzSettings.Cases(5000), Check, output);

        outcomes.Keys.Should().BeSubsetOf(["ok", nameof(InvalidDataException)]);
    }

    [Fact]
    public void A_small_gzip_file_claiming_a_large_array_allocates_for_what_it_holds_not_for_the_claim()
    {
        // 2^20 bytes claimed by the header, within the deflate ratio of the ~1 KiB file, but only 16 delivered.
        var header = Encode(new IdxArray(IdxElementType.UnsignedByte, [1 << 20], new float[1 << 20]), gzip: false)[..8];
        var padding = new byte[1200];
        new Random(1).NextBytes(padding);
        var file = Compress([.. header, .. new byte[16]]);
        file = [.. file[..^8], .. padding[..(1000 - file.Length)]]; // spoil the trailer, keep the file ~1 KB

        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => IdxReader.Read(new MemoryStream(file));

        act.Should().Throw<InvalidDataException>();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20, "4 MiB of floats were claimed but 16 bytes delivered");
    }

    private static string Check(byte[] file)
    {
        var content = Math.Max(file.Length, DecompressedLength(file));
        return Fuzz.Classify(
            () =>
            {
                var array = IdxReader.Read(new MemoryStream(file));
                array.Data.Length.Should().Be(array.Dimensions.Aggregate(1, (a, b) => a * b));
                array.Data.Length.Should().BeLessThanOrEqualTo((int)content);
            },
            allocationLimit: (16L * (file.Length + content)) + (512 << 10),
            typeof(InvalidDataException));
    }

    private static byte[] Encode(IdxArray array, bool gzip)
    {
        using var stream = new MemoryStream();
        IdxWriter.Write(stream, array, gzip);
        return stream.ToArray();
    }

    private static byte[] Compress(byte[] bytes)
    {
        using var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return stream.ToArray();
    }

    /// <summary>How many bytes a gzip stream yields before it ends or breaks (0 for a file that is not gzip).</summary>
    private static long DecompressedLength(byte[] file)
    {
        if (file.Length < 2 || file[0] != 0x1F || file[1] != 0x8B)
        {
            return 0;
        }

        long total = 0;
        var buffer = new byte[1 << 16];
        try
        {
            using var gzip = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
            int read;
            while ((read = gzip.Read(buffer)) > 0 && total < (1L << 32))
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            // A damaged stream: count what came out before the damage.
        }

        return total;
    }
}
