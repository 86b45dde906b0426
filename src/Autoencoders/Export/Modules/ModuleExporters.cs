using Autoencoders.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Export.Modules;

/// <summary>
/// The registry of module exporters, keyed by exact module type. Adding a backbone (or a layer it uses) to
/// ONNX export means one exporter class and one line here.
/// </summary>
internal static class ModuleExporters
{
    private static readonly Dictionary<Type, IModuleExporter> ByType = new List<IModuleExporter>
    {
        // The library's own modules.
        new DenseEncoderExporter(),
        new DenseDecoderExporter(),
        new ConvolutionalEncoderExporter(),
        new LayersExporter<ConvolutionalDecoder>(),
        new Convolutional1dEncoderExporter(),
        new LayersExporter<Convolutional1dDecoder>(),
        new RecurrentEncoderExporter(),
        new RecurrentDecoderExporter(),
        new RecurrentLayerExporter(),
        new DeterministicBottleneckExporter(),
        new GaussianBottleneckExporter(),
        new Crop2dExporter(),
        new BatchNormExporter(),

        // TorchSharp layers they are built from.
        new SequentialExporter(),
        new LinearExporter(),
        new ConvolutionExporter<Conv1d>(),
        new ConvolutionExporter<Conv2d>(),
        new ConvolutionTransposeExporter<ConvTranspose1d>(),
        new ConvolutionTransposeExporter<ConvTranspose2d>(),
        new UnflattenExporter(),
    }.Concat(ActivationExporters.All).ToDictionary(e => e.ModuleType);

    /// <summary>The exporter of <paramref name="module"/>'s exact type.</summary>
    /// <exception cref="NotSupportedException">No exporter knows the type (a custom module, for instance).</exception>
    public static IModuleExporter For(nn.Module module, string path) =>
        ByType.TryGetValue(module.GetType(), out var exporter)
            ? exporter
            : throw new NotSupportedException(
                $"ONNX export: the module at '{path}' is a {module.GetType().FullName}, which the exporter does not know how to write as ONNX. " +
                "Built-in backbones, bottlenecks and activations export; a custom module does not.");
}
