using System.IO.Compression;
using Autoencoders.Data;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Data;

public class IdxTests
{
    private static readonly int[] Dims = [2, 3, 4];

    private static float[] SampleValues(IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte => Enumerable.Range(0, 24).Select(i => (float)(i * 11)).ToArray(),
        IdxElementType.SignedByte => Enumerable.Range(0, 24).Select(i => (float)(i * 11 - 128)).ToArray(),
        IdxElementType.Int16 => Enumerable.Range(0, 24).Select(i => (float)(i * 2800 - 32768)).ToArray(),
        IdxElementType.Int32 => Enumerable.Range(0, 24).Select(i => (float)(i * 1_400_000 - 16_777_216)).ToArray(),
        IdxElementType.Single => Enumerable.Range(0, 24).Select(i => (i - 12) * 1.37e7f + 0.25f).ToArray(),
        IdxElementType.Double => Enumerable.Range(0, 24).Select(i => (i - 12) * -0.1f).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static TheoryData<IdxElementType, bool> TypesAndCompression()
    {
        var data = new TheoryData<IdxElementType, bool>();
        foreach (var type in Enum.GetValues<IdxElementType>())
        {
            data.Add(type, false);
            data.Add(type, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TypesAndCompression))]
    public void WriteThenRead_RoundTrips(IdxElementType type, bool gzip)
    {
        using var folder = new TempFolder();
        string path = folder.File("data.idx"); // compression is detected from content, not the name
        var values = SampleValues(type);
        IdxWriter.Write(path, new IdxArray(type, Dims, values), gzip);

        var bytes = File.ReadAllBytes(path);
        (bytes[0] == 0x1F && bytes[1] == 0x8B).Should().Be(gzip);
        var read = IdxReader.Read(path);
        read.ElementType.Should().Be(type);
        read.Dimensions.Should().Equal(Dims);
        read.Data.Should().Equal(values);
        Directory.GetFiles(folder.Path).Should().ContainSingle("the temporary file was moved into place");
    }

    [Fact]
    public void RawFile_HasTheStandardBigEndianLayout()
    {
        using var folder = new TempFolder();
        string path = folder.File("x");
        IdxWriter.Write(path, new IdxArray(IdxElementType.Int16, [2, 258], Enumerable.Repeat(-2f, 516).ToArray()));
        var bytes = File.ReadAllBytes(path);
        bytes.Take(12).Should().Equal(0, 0, 0x0B, 2, 0, 0, 0, 2, 0, 0, 1, 2);
        bytes.Skip(12).Take(2).Should().Equal(0xFF, 0xFE);
        bytes.Length.Should().Be(12 + 516 * 2);
    }

    [Fact]
    public void UbyteOverload_WritesGzip_AndStreamReaderHandlesNonSeekableStreams()
    {
        using var folder = new TempFolder();
        string path = folder.File("labels-idx1-ubyte.gz");
        IdxWriter.Write(path, new byte[] { 0, 3, 9, 255 }, [4], gzip: true);
        using var file = File.OpenRead(path);
        using var nonSeekable = new NonSeekableStream(file);
        var read = IdxReader.Read(nonSeekable);
        read.Data.Should().Equal(0f, 3f, 9f, 255f);
        read.Dimensions.Should().Equal(4);
    }

    [Fact]
    public void Writer_RejectsValuesTheTypeCannotHold()
    {
        using var folder = new TempFolder();
        var act = () => IdxWriter.Write(folder.File("x"), new IdxArray(IdxElementType.UnsignedByte, [2], [1f, 3.5f]));
        act.Should().Throw<ArgumentException>().WithMessage("*3.5 at index 1*");
        FluentActions.Invoking(() => new IdxArray(IdxElementType.Single, [2, 2], [1f])).Should().Throw<ArgumentException>();
        Directory.GetFiles(folder.Path).Should().BeEmpty("nothing half-written is left behind");
    }

    private static byte[] Header(byte type, params int[] dims)
    {
        var header = new byte[4 + 4 * dims.Length];
        header[2] = type;
        header[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dims[i]);
        }

        return header;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    private static InvalidDataException ReadFails(byte[] fileBytes, string messagePattern)
    {
        using var folder = new TempFolder();
        string path = folder.File("bad-idx");
        File.WriteAllBytes(path, fileBytes);
        var act = () => IdxReader.Read(path);
        return act.Should().Throw<InvalidDataException>()
            .WithMessage($"*{path}*")
            .WithMessage(messagePattern)
            .Which;
    }

    [Fact]
    public void BadMagic_IsRejected() =>
        ReadFails([.. new byte[] { 1, 0 }, .. Header(8, 1)[2..], 7], "*must start with two zero bytes*01 00*");

    [Fact]
    public void UnknownTypeCode_IsRejected() =>
        ReadFails([.. Header(0x0A, 1), 7], "*unknown element type code 0x0A*");

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void DimensionCountOutOfRange_IsRejected(int rank)
    {
        byte[] bytes = [0, 0, 8, (byte)rank, .. new byte[4 * rank + 1]];
        ReadFails(bytes, $"*declares {rank} dimensions; expected 1 to 8*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void NonPositiveDimension_IsRejected(int dim) =>
        ReadFails([.. Header(8, 3, dim), 1, 2, 3], $"*dimension 1 as {dim}*");

    [Fact]
    public void TruncatedRawFile_IsRejected() =>
        ReadFails([.. Header(8, 2, 3), 1, 2, 3, 4, 5], "*expected 18 bytes (12 header + 6 data) but found 17 (truncated)*");

    [Fact]
    public void TruncatedHeader_IsRejected() =>
        ReadFails([0, 0, 8, 2, 0, 0], "*truncated in its header*expected 8 bytes*found 2*");

    [Fact]
    public void TrailingBytesInRawFile_AreRejected() =>
        ReadFails([.. Header(0x0D, 2), .. new byte[9]], "*expected 16 bytes*found 17 (trailing bytes*");

    [Fact]
    public void TruncatedGzipContent_IsRejected() =>
        ReadFails(Gzip([.. Header(8, 100), .. new byte[60]]), "*(gzip) is truncated*need 100 data bytes but only 60*");

    [Fact]
    public void TrailingDataInGzip_IsRejected() =>
        ReadFails(Gzip([.. Header(8, 10), .. new byte[11]]), "*(gzip) has trailing data*");

    [Fact]
    public void CutOffGzipStream_IsRejected()
    {
        var full = Gzip([.. Header(8, 4000), .. Enumerable.Range(0, 4000).Select(i => (byte)(i * 7919 % 251))]);
        ReadFails(full[..(full.Length / 2)], "*gzip*");
    }

    [Fact]
    public void GzipClaimingAHugeSize_FailsFastWithoutAllocatingIt()
    {
        // 60000 × 28 × 28 float64 = 376 MB claimed by a file of well under 100 bytes.
        var bytes = Gzip([.. Header(0x0E, 60000, 28, 28), 1, 2, 3, 4]);
        bytes.Length.Should().BeLessThan(100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = ReadFails(bytes, "*claims 376320016 bytes*only*bytes compressed*");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().BeLessThan(4_000_000, "the claimed size must never be allocated");
        error.Should().NotBeNull();
    }

    [Fact]
    public void ElementCountAboveTheCap_IsRejectedBeforeAnyAllocation() =>
        ReadFails([.. Header(8, 60000, 60000, 28), 1], "*more than 268435456 elements*");

    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
