using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Tests.Variants;
using Autoencoders.Tests.Training;
using Autoencoders.Training;
using Parquet.Schema;

namespace Autoencoders.Tests.Data;

/// <summary>
/// Bad data met in the middle of a stream: a file truncated while it is read, a CSV row that turns bad,
/// a Parquet column of the wrong type or a value that is not finite, an enumerable that throws. The error
/// names the position; training stops with the weights of its last good step; a checkpointed run resumes
/// once the data is repaired and ends exactly where an uninterrupted run does.
/// </summary>
public sealed class StreamingBadInputTests : IDisposable
{
    // 100 samples in chunks of 20, batches of 16: a bad sample 50 lies in the third chunk (samples 40–59), so
    // the two chunks before it (40 samples) make two full batches and the 8 left over never reach a step.
    private const int BadRow = 50;
    private const int GoodBatchesBeforeIt = 2;
    private static readonly StreamingOptions Chunks = new() { ChunkSize = 20 };
    private readonly float[,] rows = VariantCatalog.UnitIntervalData(100, seed: 12);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_raw_idx_file_truncated_in_the_middle_of_an_epoch()
    {
        var path = folder.File("data.idx");
        StreamFiles.WriteIdx(path, rows, gzip: false);
        var bytesBeforeBadRow = 12 + (BadRow * 16 * sizeof(float)) + 10; // the 12-byte header, 50 samples and 10 bytes of the next

        var error = StopsAtTheLastGoodStepAndResumes(
            () => DataSource.FromIdx(path, options: Chunks),
            corrupt: () =>
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                file.SetLength(bytesBeforeBadRow);
            },
            repair: () => StreamFiles.WriteIdx(path, rows, gzip: false));

        error.Row.Should().Be(BadRow);
        error.Message.Should().Contain($"IDX file '{path}' ends early").And.Contain($"sample {BadRow} (byte {12 + (BadRow * 64)} on) is missing");
    }

    [Fact]
    public void A_raw_idx_file_already_truncated_is_refused_when_opened()
    {
        var path = folder.File("short.idx");
        StreamFiles.WriteIdx(path, rows, gzip: false);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..(12 + (37 * 64) + 5)]);

        var open = () => DataSource.FromIdx(path);

        open.Should().Throw<DataSourceException>().Where(e => e.Row == 37).WithMessage("*ends early*sample 37*declares 100 samples*");
    }

    [Fact]
    public void A_gzip_idx_file_cut_short_names_the_sample_where_its_data_stops()
    {
        var path = folder.File("data.idx.gz");
        StreamFiles.WriteIdx(path, rows, gzip: true);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var source = DataSource.FromIdx(path, options: Chunks);

        var read = () => source.ComputeStatistics();

        read.Should().Throw<DataSourceException>().Where(e => e.Row > 0 && e.Row < 100).WithMessage($"*IDX file '{path}'*");
    }

    [Fact]
    public void A_value_that_is_not_finite_is_named_by_sample_feature_and_byte()
    {
        var bad = (float[,])rows.Clone();
        bad[73, 9] = float.NaN;
        using var source = StreamFiles.Open("idx-raw", bad, folder.Path, Chunks, sampleShape: [1, 4, 4]);

        var read = () => StreamFiles.Epoch(source, 16, shuffle: false);

        read.Should().Throw<DataSourceException>()
            .Where(e => e.Row == 73 && e.Column == "feature 9")
            .WithMessage($"*sample 73, feature 9 (sample index [0, 2, 1]), byte {16 + 4 + (73 * 64) + (9 * 4)} is NaN*");
    }

    [Fact]
    public void A_csv_row_that_turns_bad_in_the_middle_of_an_epoch()
    {
        var path = folder.File("data.csv");
        StreamFiles.WriteCsv(path, rows);

        var error = StopsAtTheLastGoodStepAndResumes(
            () => DataSource.FromCsv(path, options: Chunks),
            corrupt: () =>
            {
                var lines = File.ReadAllLines(path);
                lines[BadRow + 1] = string.Join(",", lines[BadRow + 1].Split(',').Select((cell, j) => j == 4 ? "n/a" : cell));
                File.WriteAllLines(path, lines);
            },
            repair: () => StreamFiles.WriteCsv(path, rows));

        error.Row.Should().Be(BadRow);
        error.Column.Should().Be("f4");
        error.Message.Should().Contain($"CSV file '{path}': line {BadRow + 2}, column 5 ('f4') holds 'n/a'").And.Contain($"(sample {BadRow})");
    }

    [Fact]
    public void A_csv_row_that_turns_bad_at_row_three_million_is_placed_exactly()
    {
        const long badRow = 3_000_000;
        using var source = DataSource.FromCsv(() => new GeneratedCsv(rows: badRow + 10, badRow), "generated CSV");

        var read = () => source.ComputeStatistics();

        read.Should().Throw<DataSourceException>()
            .Where(e => e.Row == badRow && e.Column == "b")
            .WithMessage("The generated CSV: line 3000002, column 2 ('b') holds '1.5.2', which is not a finite number*(sample 3000000)");
    }

    [Fact]
    public void A_ragged_csv_row_is_named_by_line()
    {
        using var source = DataSource.FromCsv(() => new StringReader("a,b\n1,2\n3,4\n\n5\n"), "CSV text");

        var read = () => source.ComputeStatistics();

        read.Should().Throw<DataSourceException>().Where(e => e.Row == 2).WithMessage("*ragged: line 5 has 1 cells, but line 1 has 2*(sample 2)");
    }

    [Fact]
    public void A_parquet_value_that_turns_bad_in_the_middle_of_an_epoch()
    {
        var path = folder.File("data.parquet");
        StreamFiles.WriteParquet(path, rows, rowGroup: 20);

        var error = StopsAtTheLastGoodStepAndResumes(
            () => DataSource.FromParquet(path),
            corrupt: () =>
            {
                var bad = (float[,])rows.Clone();
                bad[BadRow, 3] = float.PositiveInfinity;
                StreamFiles.WriteParquet(path, bad, rowGroup: 20);
            },
            repair: () => StreamFiles.WriteParquet(path, rows, rowGroup: 20));

        error.Row.Should().Be(BadRow);
        error.Column.Should().Be("f3");
        error.Message.Should().Contain($"Parquet file '{path}': row {BadRow}, column 'f3' is +Infinity");
    }

    [Fact]
    public void A_parquet_column_of_the_wrong_type_is_refused_by_name_before_anything_is_trained()
    {
        var path = folder.File("typed.parquet");
        var value = new DataField<double>("value");
        var label = new DataField<string>("label");
        StreamFiles.WriteParquet(path, new ParquetSchema(value, label), rows: 10, rowGroup: 10, async (group, start, count) =>
        {
            await group.WriteAsync<double>(value, Enumerable.Range(start, count).Select(i => i * 0.5).ToArray());
            await group.WriteAsync(label, Enumerable.Range(start, count).Select(i => $"row {i}").ToArray());
        });

        var all = () => DataSource.FromParquet(path);
        var missing = () => DataSource.FromParquet(path, columns: ["value", "flow"]);
        using var numeric = DataSource.FromParquet(path, columns: ["value"]);

        all.Should().Throw<DataSourceException>().Where(e => e.Column == "label")
            .WithMessage($"The Parquet file '{path}': column 'label' (column 2 of 2) is a column of text (string) values; only flat columns of float, double or integer values*");
        missing.Should().Throw<DataSourceException>().Where(e => e.Column == "flow").WithMessage("*no column 'flow'; its columns are 'value', 'label'*");
        StreamFiles.Epoch(numeric, 4, shuffle: false).Select(r => r[0]).Should().Equal(Enumerable.Range(0, 10).Select(i => i * 0.5f));
    }

    [Fact]
    public void A_parquet_null_is_named_by_row_and_column()
    {
        var path = folder.File("nulls.parquet");
        var a = new DataField<int>("a");
        var b = new DataField<long?>("b");
        StreamFiles.WriteParquet(path, new ParquetSchema(a, b), rows: 30, rowGroup: 10, async (group, start, count) =>
        {
            await group.WriteAsync<int>(a, Enumerable.Range(start, count).ToArray());
            await group.WriteAsync<long>(b, Enumerable.Range(start, count).Select(i => i == 17 ? null : (long?)(i * 3)).ToArray());
        });
        using var source = DataSource.FromParquet(path);

        var read = () => source.ComputeStatistics();

        source.SampleShape.Should().Equal(2L);
        read.Should().Throw<DataSourceException>().Where(e => e.Row == 17 && e.Column == "b").WithMessage("*row 17, column 'b' is null (missing)*");
    }

    [Fact]
    public void An_enumerable_that_throws_in_the_middle_of_an_epoch()
    {
        var broken = false;
        IEnumerable<float[]> Sensor()
        {
            for (var i = 0; i < 100; i++)
            {
                if (broken && i == BadRow)
                {
                    throw new IOException("sensor 7 went offline");
                }

                yield return StreamFiles.Row(rows, i);
            }
        }

        var error = StopsAtTheLastGoodStepAndResumes(
            () => DataSource.FromEnumerable(Sensor(), [16], Chunks),
            corrupt: () => broken = true,
            repair: () => broken = false);

        error.Row.Should().Be(BadRow);
        error.InnerException.Should().BeOfType<DataSourceException>("the trainer adds where training stood")
            .Which.InnerException.Should().BeOfType<IOException>("the enumerable's own exception is kept");
        error.Message.Should().Contain($"The rows enumerable threw while producing sample {BadRow} ({BadRow} samples were read before it): IOException: sensor 7 went offline");
    }

    [Fact]
    public void An_enumerable_row_of_the_wrong_length_is_named_by_sample()
    {
        using var source = DataSource.FromAsyncEnumerable(Ragged(), [3]);

        var read = () => StreamFiles.Epoch(source, 4, shuffle: false);

        read.Should().Throw<DataSourceException>().Where(e => e.Row == 5).WithMessage("*yielded 2 values as sample 5; every sample must be a float array of 3 values (shape [3])*");

        static async IAsyncEnumerable<float[]> Ragged()
        {
            for (var i = 0; i < 9; i++)
            {
                await Task.Yield();
                yield return i == 5 ? [1, 2] : [1, 2, 3];
            }
        }
    }

    /// <summary>
    /// Trains three epochs from <paramref name="open"/> with <paramref name="corrupt"/> applied as epoch 2
    /// begins, and checks the failure: it names epoch 2 and the batches done, the model holds exactly the
    /// weights an uninterrupted run had after those batches, and after <paramref name="repair"/> the same
    /// command resumes from the checkpoint of epoch 1 and ends bit for bit where the uninterrupted run ends.
    /// </summary>
    private DataSourceException StopsAtTheLastGoodStepAndResumes(Func<DataSource> open, Action corrupt, Action repair)
    {
        var spec = AutoencoderSpec.Dense(16, 3, [12], output: OutputActivation.Sigmoid);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 16, LearningRate = 1e-2, Shuffle = false, Seed = 3, Threads = 1, CheckpointPath = folder.File("run.ckpt") };

        string? afterGoodSteps = null;
        using var reference = spec.Build(seed: 1);
        using (var source = open())
        {
            var watch = new BatchWatch(GoodBatchesBeforeIt + 1, () => afterGoodSteps = RunRecord.Weights(reference));
            new Trainer(options with { CheckpointPath = folder.File("reference.ckpt") }).Fit(reference, source, callbacks: [watch]);
        }

        using var interrupted = spec.Build(seed: 1);
        DataSourceException error;
        using (var source = open())
        {
            var fit = () => new Trainer(options).Fit(interrupted, source, callbacks: [new AtEpochBegin(2, corrupt)]);
            error = fit.Should().Throw<DataSourceException>().Which;
        }

        error.Message.Should().Contain($"Training stopped in epoch 2 after {GoodBatchesBeforeIt} batches").And.Contain("the model holds the weights of its last good step");
        interrupted.training.Should().BeFalse("a stopped run leaves the model in evaluation mode");
        RunRecord.Weights(interrupted).Should().Be(afterGoodSteps, "the steps before the bad sample count, and nothing after it");
        File.Exists(options.CheckpointPath).Should().BeTrue("the checkpoint of epoch 1 stays for the resumed run");

        repair();
        using var resumed = spec.Build(seed: 99);
        using (var source = open())
        {
            var history = new Trainer(options).Fit(resumed, source);
            history.Epochs.Should().HaveCount(3);
        }

        RunRecord.Weights(resumed).Should().Be(RunRecord.Weights(reference), "the resumed run continues bit for bit");
        return error;
    }

    /// <summary>Calls <paramref name="action"/> at the loss of batch <paramref name="batch"/> of epoch 2, i.e. after the steps before it.</summary>
    private sealed class BatchWatch(int batch, Action action) : TrainingCallback
    {
        public override void OnBatchLoss(TrainingContext context, BatchLoss loss)
        {
            if (loss.Epoch == 2 && loss.Batch == batch)
            {
                action();
            }
        }
    }

    private sealed class AtEpochBegin(int epoch, Action action) : TrainingCallback
    {
        public override void OnEpochBegin(TrainingContext context, int number)
        {
            if (number == epoch)
            {
                action();
            }
        }
    }

    /// <summary>CSV text "a,b,c" with <paramref name="rows"/> data rows made as they are read; the cell in column b of <paramref name="badRow"/> is "1.5.2".</summary>
    private sealed class GeneratedCsv(long rows, long badRow) : TextReader
    {
        private long line = -1;

        public override string? ReadLine()
        {
            line++;
            return line == 0 ? "a,b,c" : line > rows ? null : line - 1 == badRow ? "0.5,1.5.2,3" : "0.5,1.5,-2e-3";
        }
    }
}
