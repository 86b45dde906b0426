using System.Globalization;
using System.Text;
using Autoencoders.Applications;
using Autoencoders.Cli;
using Autoencoders.Tests.Export;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Cli;

/// <summary><c>autoencoders export</c>: a saved detector written as ONNX gives the detector's decisions in ONNX Runtime.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_detector_exported_by_the_tool_scores_as_the_saved_detector()
    {
        var rows = Synthetic.LowRank(200, 4, 2, seed: 1);
        var csv = _folder.File("normal.csv");
        var text = new StringBuilder("a,b,c,d\n");
        for (var i = 0; i < rows.GetLength(0); i++)
        {
            text.AppendLine(string.Join(',', Enumerable.Range(0, 4).Select(j => rows[i, j].ToString("R", CultureInfo.InvariantCulture))));
        }

        File.WriteAllText(csv, text.ToString());
        var saved = _folder.File("detector.aemodel");
        CliRun.Of("detect", csv, "-o", saved, "--epochs=3", "--threshold", "fpr:0.05").ExitCode.Should().Be(ExitCodes.Ok);

        var onnx = _folder.File("detector.onnx");
        var export = CliRun.Of("export", saved, "-o", onnx, "--part", "detector");
        export.ExitCode.Should().Be(ExitCodes.Ok, export.Error);
        export.Error.Should().Contain("detector.onnx").And.Contain("opset 17");

        using var detector = AnomalyDetector.Load(saved);
        using var runner = new OnnxRunner(File.ReadAllBytes(onnx));
        var result = runner.Run(rows, [4]);
        ((bool[])result["is_anomaly"]).Should().Equal(detector.Predict(rows));
        var scores = (float[])result["score"];
        scores.Zip(detector.Score(rows)).Should().OnlyContain(p => Math.Abs(p.First - p.Second) <= 1e-5 * p.Second);

        CliRun.Of("export", saved, "-o", _folder.File("encoder.onnx"), "--part", "encoder").ExitCode.Should().Be(ExitCodes.Ok);
        var refused = CliRun.Of("export", saved, "-o", _folder.File("x.onnx"), "--part", "encoder", "--log-variance");
        refused.ExitCode.Should().Be(ExitCodes.BadInput);
        refused.Error.Should().Contain("variational");
    }
}
