using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary>
/// <see cref="ConvolutionalDecoder"/>: one sequence (linear, activation, unflatten, transposed
/// convolutions, crops, norms, activations), each layer by its own exporter.
/// </summary>
internal sealed class ConvolutionalDecoderExporter : ModuleExporter<ConvolutionalDecoder>
{
    protected override string Export(ConvolutionalDecoder module, string input, ExportContext context)
    {
        context.RequireChildren(module, "layers");
        return context.Child(module, "layers", input);
    }
}
