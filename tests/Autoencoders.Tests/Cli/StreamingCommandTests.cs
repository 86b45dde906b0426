using Autoencoders.Cli;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Data;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Cli;

/// <summary><c>train</c> and <c>detect</c> stream their data file with bounded memory when asked (or when it is large), and say which they did.</summary>
public sealed class StreamingCommandTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Train_streams_an_idx_file_when_asked_and_says_so()
    {
        var path = folder.File("rows.idx");
        StreamFiles.WriteIdx(path, Synthetic.LowRank(200, 8, 2, seed: 1, offset: 3), gzip: false);
        var model = folder.File("streamed.aemodel");

        var run = CliRun.Of("train", path, "-o", model, "--streaming", "on", "--latent", "2", "--epochs=2", "-q");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.Error);
        run.Error.Should().Contain("IDX Single, 200 samples of shape [8]").And.Contain("streamed from disk").And.Contain("memory stays bounded");
        run.Output.Should().Contain("8 features → 2 codes").And.Contain("scaler standard");
        using var loaded = Autoencoder.Load(model);
        loaded.Scaler!.Offset.Should().Equal(StandardScaler.Fit(Synthetic.LowRank(200, 8, 2, seed: 1, offset: 3)).Offset, "one streamed pass fits the same scaler");
    }

    [Fact]
    public void Auto_loads_a_small_file_into_memory_and_says_so()
    {
        var path = folder.File("rows.csv");
        StreamFiles.WriteCsv(path, Synthetic.LowRank(60, 4, 2, seed: 2));

        var run = CliRun.Of("train", path, "-o", folder.File("m.aemodel"), "--epochs=1", "-q");

        run.ExitCode.Should().Be(ExitCodes.Ok, run.Error);
        run.Error.Should().Contain("CSV, 60 rows × 4 columns (f0, f1, f2, f3); loaded into memory");
    }

    [Fact]
    public void Detect_streams_a_csv_and_names_a_bad_row_exactly()
    {
        var path = folder.File("normal.csv");
        StreamFiles.WriteCsv(path, Synthetic.LowRank(150, 5, 2, seed: 3));
        var good = CliRun.Of("detect", path, "-o", folder.File("d.aemodel"), "--streaming", "on", "--threshold", "fpr:0.05", "--epochs=2", "-q");

        var lines = File.ReadAllLines(path);
        lines[101] = "1,2,,4,5";
        File.WriteAllLines(path, lines);
        var bad = CliRun.Of("detect", path, "-o", folder.File("bad.aemodel"), "--streaming", "on", "--threshold", "fpr:0.05", "--epochs=2", "-q");
        var unknown = CliRun.Of("detect", path, "-o", folder.File("x.aemodel"), "--streaming", "sometimes");

        good.ExitCode.Should().Be(ExitCodes.Ok, good.Error);
        good.Error.Should().Contain("CSV, rows counted on the first pass × 5 columns").And.Contain("streamed from disk");
        bad.ExitCode.Should().Be(ExitCodes.BadInput);
        bad.Error.Should().Contain("line 102, column 3 ('f2') is empty").And.Contain("(sample 100)");
        File.Exists(folder.File("bad.aemodel")).Should().BeFalse();
        unknown.ExitCode.Should().Be(ExitCodes.BadInput);
        unknown.Error.Should().Contain("Use auto, on or off");
    }
}
