using Autoencoders.Data;
using Autoencoders.Tests.Support;
using TorchSharp;

namespace Autoencoders.Tests.Data;

/// <summary>
/// The contract every source keeps, in memory or streamed from each kind of file or enumerable: the same
/// samples in the same order, seeded shuffles that visit every sample once, splits and statistics that
/// agree with the in-memory dataset's.
/// </summary>
public sealed class DataSourceTests : IDisposable
{
    private static readonly StreamingOptions SmallChunks = new() { ChunkSize = 5, ShuffleBufferSize = 8 };
    private readonly float[,] rows = StreamFiles.Numbered(37, 3);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> Kinds() => [.. StreamFiles.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Yields_every_sample_in_the_stored_order_when_not_shuffled(string kind)
    {
        using var source = StreamFiles.Open(kind, rows, folder.Path, SmallChunks);

        var epoch = StreamFiles.Epoch(source, batchSize: 8, shuffle: false);

        source.SampleShape.Should().Equal(3L);
        source.FeatureCount.Should().Be(3);
        epoch.Should().HaveCount(37);
        for (var i = 0; i < 37; i++)
        {
            epoch[i].Should().Equal(StreamFiles.Row(rows, i));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_shuffled_epoch_visits_every_sample_once_and_the_seed_fixes_the_order(string kind)
    {
        using var source = StreamFiles.Open(kind, rows, folder.Path, SmallChunks);
        using var generator = new torch.Generator(42);
        using var again = new torch.Generator(42);
        using var other = new torch.Generator(43);

        var first = StreamFiles.Ids(source, 8, shuffle: true, generator);
        var second = StreamFiles.Ids(source, 8, shuffle: true, generator);
        var replay = StreamFiles.Ids(source, 8, shuffle: true, again);
        var otherSeed = StreamFiles.Ids(source, 8, shuffle: true, other);

        first.Order().Should().Equal(Enumerable.Range(0, 37).Select(i => (long)i));
        second.Order().Should().Equal(first.Order());
        first.Should().NotEqual(Enumerable.Range(0, 37).Select(i => (long)i), "the epoch is shuffled");
        second.Should().NotEqual(first, "each epoch draws a new order");
        replay.Should().Equal(first, "the same seed gives the same order, bit for bit");
        otherSeed.Should().NotEqual(first);
    }

    [Fact]
    public void A_raw_idx_file_is_shuffled_chunk_by_chunk_and_a_gzip_one_front_to_back()
    {
        // A one-sample buffer lets samples out in the order they are read, so this shows the read order.
        var options = new StreamingOptions { ChunkSize = 10, ShuffleBufferSize = 1 };
        using var raw = StreamFiles.Open("idx-raw", StreamFiles.Numbered(60, 2), folder.Path, options);
        using var gzip = StreamFiles.Open("idx-gzip", StreamFiles.Numbered(60, 2), folder.Path, options);
        using var generator = new torch.Generator(7);

        var rawOrder = StreamFiles.Ids(raw, 16, shuffle: true, generator);
        var gzipOrder = StreamFiles.Ids(gzip, 16, shuffle: true, generator);

        var chunks = rawOrder.Chunk(10).ToArray();
        chunks.Should().AllSatisfy(c => c.Should().Equal(Enumerable.Range((int)c[0], 10).Select(i => (long)i)), "a chunk is read as a whole");
        chunks.Select(c => c[0] / 10).Should().BeEquivalentTo(Enumerable.Range(0, 6)).And.NotBeInAscendingOrder("the chunks are read in a random order");
        gzipOrder.Should().Equal(Enumerable.Range(0, 60).Select(i => (long)i), "a gzip file cannot seek");
    }

    [Fact]
    public void A_shuffle_buffer_as_large_as_the_data_gives_a_uniform_permutation()
    {
        // Where sample 0 lands, over many seeded epochs of 8 samples: uniform, by a chi-square test at p = 0.001.
        const int n = 8, epochs = 800;
        using var source = DataSource.FromEnumerable(StreamFiles.Rows(StreamFiles.Numbered(n, 1)), [1]);
        var positions = new int[n];
        using var generator = new torch.Generator(2024);
        for (var e = 0; e < epochs; e++)
        {
            positions[Array.IndexOf(StreamFiles.Ids(source, n, shuffle: true, generator), 0L)]++;
        }

        var expected = epochs / (double)n;
        var chiSquare = positions.Sum(c => (c - expected) * (c - expected) / expected);
        chiSquare.Should().BeLessThan(24.32, $"positions {string.Join(", ", positions)} should be uniform (df 7)");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Splits_the_same_samples_as_the_in_memory_dataset_does(string kind)
    {
        using var memory = InMemoryDataset.FromArray(rows);
        using var source = StreamFiles.Open(kind, rows, folder.Path, SmallChunks);

        var (memoryTrain, memoryValidation) = memory.Split(0.3, seed: 5);
        var (train, validation) = source.Split(0.3, seed: 5);
        var (memoryInner, memoryHeld) = memoryTrain.Split(0.25, seed: 6);
        var (inner, held) = train.Split(0.25, seed: 6);
        using (memoryTrain)
        using (memoryValidation)
        using (train)
        using (validation)
        using (memoryInner)
        using (memoryHeld)
        using (inner)
        using (held)
        {
            StreamFiles.Ids(validation, 4, false).Should().Equal(StreamFiles.Ids(memoryValidation, 4, false)).And.HaveCount(11);
            StreamFiles.Ids(train, 4, false).Should().Equal(StreamFiles.Ids(memoryTrain, 4, false));
            StreamFiles.Ids(inner, 4, false).Should().Equal(StreamFiles.Ids(memoryInner, 4, false), "a split of a split is a split of the same samples");
            StreamFiles.Ids(held, 4, false).Should().Equal(StreamFiles.Ids(memoryHeld, 4, false));
            train.TryGetCount(out var count).Should().BeTrue();
            count.Should().Be(26);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Statistics_agree_with_the_in_memory_two_pass_reduction(string kind)
    {
        var data = Synthetic.LowRank(203, 6, 2, seed: 3, offset: 40, scale: 7);
        using var memory = InMemoryDataset.FromArray(data);
        using var source = StreamFiles.Open(kind, data, folder.Path, SmallChunks);

        var expected = memory.ComputeStatistics();
        var actual = source.ComputeStatistics();

        actual.Count.Should().Be(203);
        actual.Minimum.Should().Equal(expected.Minimum);
        actual.Maximum.Should().Equal(expected.Maximum);
        actual.Mean.Should().Equal(expected.Mean, (a, b) => Math.Abs(a - b) <= 1e-13 * Math.Abs(b));
        actual.Variance.Should().Equal(expected.Variance, (a, b) => Math.Abs(a - b) <= 1e-12 * b);
        StandardScaler.Fit(source).Offset.Should().Equal(StandardScaler.Fit(memory).Offset, "float32 rounding hides float64 differences this small");
        StandardScaler.Fit(source).Scale.Should().Equal(StandardScaler.Fit(memory).Scale);
        MinMaxScaler.Fit(source).Scale.Should().Equal(MinMaxScaler.Fit(memory).Scale);
    }

    [Fact]
    public void Streamed_statistics_do_not_depend_on_the_chunk_size()
    {
        var data = Synthetic.LowRank(500, 7, 3, seed: 8, offset: 1e3);
        using var small = StreamFiles.Open("idx-raw", data, folder.Path, new StreamingOptions { ChunkSize = 3 });
        var fine = small.ComputeStatistics();
        using var large = StreamFiles.Open("idx-raw", data, folder.Path, new StreamingOptions { ChunkSize = 4096 });
        var coarse = large.ComputeStatistics();

        fine.Mean.Should().Equal(coarse.Mean);
        fine.Variance.Should().Equal(coarse.Variance);
    }

    [Theory]
    [InlineData("memory", true)]
    [InlineData("idx-raw", true)]
    [InlineData("idx-gzip", true)]
    [InlineData("parquet", true)]
    [InlineData("csv", false)]
    [InlineData("enumerable", false)]
    public void Knows_its_count_when_declared_and_after_a_complete_pass_otherwise(string kind, bool declared)
    {
        using var source = StreamFiles.Open(kind, rows, folder.Path);

        source.TryGetCount(out var before).Should().Be(declared);
        source.Description.Should().Contain(declared ? "37" : "count unknown");
        _ = StreamFiles.Epoch(source, 10, shuffle: false);

        source.TryGetCount(out var after).Should().BeTrue();
        after.Should().Be(37);
        if (declared)
        {
            before.Should().Be(37);
        }
    }

    [Fact]
    public void Loads_a_stream_into_memory()
    {
        using var source = DataSource.FromEnumerable(StreamFiles.Rows(rows), [1, 3]);

        using var memory = InMemoryDataset.FromSource(source);

        memory.Count.Should().Be(37);
        memory.SampleShape.Should().Equal(1L, 3L);
        memory.ToArray().Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Any_source_converts_to_an_idx_file_that_streams_back(bool gzip)
    {
        var path = folder.File(gzip ? "converted.idx.gz" : "converted.idx");
        var images = StreamFiles.Numbered(45, 16);
        using var source = DataSource.FromEnumerable(StreamFiles.Rows(images), [1, 4, 4], new StreamingOptions { ChunkSize = 7 });

        IdxWriter.Write(path, source, gzip: gzip).Should().Be(45);
        using var back = DataSource.FromIdx(path);

        IdxReader.Read(path).Dimensions.Should().Equal(45, 4, 4);
        back.SampleShape.Should().Equal(1L, 4L, 4L);
        back.Description.Should().Contain(gzip ? "gzip Single" : "raw Single").And.Contain(gzip ? "streamed" : "random access");
        StreamFiles.Epoch(back, 10, shuffle: false).Should().BeEquivalentTo(StreamFiles.Rows(images), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Converting_to_a_type_that_cannot_hold_the_values_leaves_nothing_behind()
    {
        var path = folder.File("bytes.idx");
        using var source = DataSource.FromEnumerable([[0f, 255f], [3f, 2.5f]], [2]);

        var write = () => IdxWriter.Write(path, source, IdxElementType.UnsignedByte);

        write.Should().Throw<ArgumentException>().WithMessage("*2.5 at index 3 is not representable as UnsignedByte*");
        Directory.EnumerateFiles(folder.Path).Should().BeEmpty();
    }

    [Fact]
    public void A_source_whose_samples_change_between_passes_is_refused()
    {
        var count = 10;
        IEnumerable<float[]> Shrinking()
        {
            for (var i = 0; i < count; i++)
            {
                yield return [i];
            }

            count--;
        }

        using var source = DataSource.FromEnumerable(Shrinking(), [1]);
        _ = StreamFiles.Epoch(source, 4, shuffle: false);

        var again = () => StreamFiles.Epoch(source, 4, shuffle: false);

        again.Should().Throw<DataSourceException>().WithMessage("*yielded 9 samples on this pass but an earlier pass yielded 10*same samples on every pass*");
    }

    [Fact]
    public void A_stream_stopped_early_stops_reading_and_closes_its_file()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the check reads /proc/self/fd
        }

        var path = Path.Combine(folder.Path, "idx-raw.idx");
        using var source = StreamFiles.Open("idx-raw", StreamFiles.Numbered(500, 4), folder.Path, new StreamingOptions { ChunkSize = 10 });

        using (var batches = source.Batches(8, shuffle: false).GetEnumerator())
        {
            batches.MoveNext().Should().BeTrue();
            batches.Current.Dispose();
            OpenHandles(path).Should().BeGreaterThan(0, "the reader thread holds the file while the epoch runs");
        }

        OpenHandles(path).Should().Be(0, "disposing the enumeration stops the reader thread, which closes the file");
    }

    /// <summary>How many of this process's file descriptors point at <paramref name="path"/> (Linux).</summary>
    private static int OpenHandles(string path) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd =>
            {
                try
                {
                    return fd.LinkTarget == path;
                }
                catch (IOException)
                {
                    return false; // a descriptor closed while listing
                }
            });

    [Fact]
    public void Reads_the_sample_shape_of_an_idx_file_and_divides_bytes_like_the_fashion_mnist_loader()
    {
        using var fashion = FashionMnist.Load(TestPaths.FashionMnistSubset, maxTrain: 300, maxTest: 10);
        using var stream = DataSource.FromIdx(Path.Combine(TestPaths.FashionMnistSubset, "train-images-idx3-ubyte.gz"), divideBy: 255);

        stream.SampleShape.Should().Equal(1L, 28L, 28L);
        stream.Description.Should().Contain("gzip UnsignedByte, divided by 255").And.Contain("5,000 samples");
        var streamed = StreamFiles.Epoch(stream, 100, shuffle: false).Take(300).ToArray();
        var loaded = StreamFiles.Epoch(fashion.Train, 100, shuffle: false);
        for (var i = 0; i < 300; i++)
        {
            streamed[i].Should().Equal(loaded[i]);
        }
    }
}
