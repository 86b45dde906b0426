using Autoencoders.Export;
using Autoencoders.Model;
using Xunit.Abstractions;

namespace Autoencoders.Tests.Export;

/// <summary>
/// Every exported part of every built-in variant, run by ONNX Runtime, against the TorchSharp model on the
/// same rows at batch sizes 1 and 1,000: max |difference| ≤ 1e-5 for outputs in [0, 1], otherwise the max
/// |difference| relative to the largest |value| of the TorchSharp output ≤ 1e-5.
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Variants => new(ExportedModels.Names);

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryPartAgreesWithTheModelInOnnxRuntime(string variant)
    {
        var (model, unitInterval, rows) = ExportedModels.Train(variant);
        using var _ = model;
        var isVae = model.Bottleneck is GaussianBottleneck;
        using var encoder = new OnnxRunner(model.ToOnnx(new OnnxExportOptions { Part = OnnxPart.Encoder, IncludeLogVariance = isVae }));
        using var decoder = new OnnxRunner(model.ToOnnx(new OnnxExportOptions { Part = OnnxPart.Decoder }));
        using var full = new OnnxRunner(model.ToOnnx());

        foreach (var batch in new[] { 1, 1000 })
        {
            var x = rows(batch, 7);
            var codes = model.Encode(x);
            var onnxCodes = encoder.Run(x, model.InputShape);
            Check($"{variant} encoder, batch {batch}", (float[])onnxCodes["code"], codes, unitInterval: false);
            if (isVae)
            {
                Check($"{variant} log-variance, batch {batch}", (float[])onnxCodes["log_variance"], LogVariance(model, x), unitInterval: false);
            }

            Check($"{variant} decoder, batch {batch}", (float[])decoder.Run(codes, [model.LatentSize])["reconstruction"], model.Decode(codes), unitInterval);
            Check($"{variant} full, batch {batch}", (float[])full.Run(x, model.InputShape)["reconstruction"], model.Reconstruct(x), unitInterval);
        }
    }

    [Fact]
    public void GraphsHaveADynamicBatchAxisAndTheDocumentedNames()
    {
        var (model, _, _) = ExportedModels.Train("vae-dense");
        using var _ = model;
        using var encoder = new OnnxRunner(model.ToOnnx(new OnnxExportOptions { Part = OnnxPart.Encoder, IncludeLogVariance = true }));
        using var renamed = new OnnxRunner(model.ToOnnx(new OnnxExportOptions { InputName = "Features", OutputNames = ["Rebuilt"] }));

        encoder.InputNames.Should().Equal("input");
        encoder.OutputNames.Should().Equal("code", "log_variance");
        encoder.Metadata["autoencoders.part"].Should().Be("Encoder");
        renamed.InputNames.Should().Equal("Features");
        renamed.OutputNames.Should().Equal("Rebuilt");
    }

    [Fact]
    public void OptionsThatDoNotFitTheModelAreRefused()
    {
        using var model = AutoencoderSpec.Dense(6, 2, [4]).Build(seed: 1);

        FluentActions.Invoking(() => model.ToOnnx(new OnnxExportOptions { Part = OnnxPart.Detector }))
            .Should().Throw<ArgumentException>().WithMessage("*export an AnomalyDetector*");
        FluentActions.Invoking(() => model.ToOnnx(new OnnxExportOptions { Part = OnnxPart.Encoder, IncludeLogVariance = true }))
            .Should().Throw<ArgumentException>().WithMessage("*variational*");
        FluentActions.Invoking(() => model.ToOnnx(new OnnxExportOptions { OutputNames = ["a", "b"] }))
            .Should().Throw<ArgumentException>().WithMessage("*1 output(s)*2 name(s)*");
        FluentActions.Invoking(() => model.ToOnnx(new OnnxExportOptions { InputName = "same", OutputNames = ["same"] }))
            .Should().Throw<ArgumentException>().WithMessage("*'same'*");
    }

    [Fact]
    public void AModuleWithoutAnExporterIsRefusedByName()
    {
        using var model = AutoencoderSpec.Dense(6, 2, [4]).Build(seed: 1);
        using var custom = TorchSharp.torch.nn.Dropout(0.5);
        var graph = new Autoencoders.Export.Graph.OnnxGraph("test");

        FluentActions.Invoking(() => Autoencoders.Export.Modules.ExportContext.Export(graph, model, "encoder.custom", custom, "input"))
            .Should().Throw<NotSupportedException>().WithMessage("*'encoder.custom'*TorchSharp.Modules.Dropout*custom module*");
    }

    [Fact]
    public void ExportWritesTheFileAtomically()
    {
        using var folder = new Support.TempFolder();
        using var model = AutoencoderSpec.Dense(6, 2, [4]).Build(seed: 1);
        var path = Path.Combine(folder.Path, "model.onnx");

        model.ExportOnnx(path);

        File.ReadAllBytes(path).Should().Equal(model.ToOnnx());
        Directory.GetFiles(folder.Path).Should().ContainSingle();
    }

    private static float[,] LogVariance(Autoencoder model, float[,] rows)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        model.eval();
        var x = TorchSharp.torch.tensor(rows).view([rows.GetLength(0), .. model.InputShape.Select(d => (long)d)]);
        var scaled = model.Scaler is { } scaler ? scaler.Transform(x) : x;
        var (_, logVariance) = ((GaussianBottleneck)model.Bottleneck).Posterior(model.Encoder.forward(scaled));
        var values = logVariance.contiguous().data<float>().ToArray();
        var result = new float[rows.GetLength(0), model.LatentSize];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }

    private void Check(string what, float[] onnx, float[,] torch, bool unitInterval)
    {
        var expected = torch.Cast<float>().ToArray();
        onnx.Should().HaveCount(expected.Length, what);
        var (maxAbs, relative) = Agreement.Of(onnx, expected);
        output.WriteLine($"{what}: max |Δ| {maxAbs:e2}, relative {relative:e2}");
        if (unitInterval)
        {
            maxAbs.Should().BeLessThanOrEqualTo(Tolerance, what);
        }
        else
        {
            relative.Should().BeLessThanOrEqualTo(Tolerance, what);
        }
    }
}
