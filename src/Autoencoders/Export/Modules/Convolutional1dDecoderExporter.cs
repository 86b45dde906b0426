using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary>
/// <see cref="Convolutional1dDecoder"/>: one sequence (dense layers, linear, activation, unflatten,
/// transposed convolutions, norms, activations), each layer by its own exporter.
/// </summary>
internal sealed class Convolutional1dDecoderExporter : ModuleExporter<Convolutional1dDecoder>
{
    protected override string Export(Convolutional1dDecoder module, string input, ExportContext context)
    {
        context.RequireChildren(module, "layers");
        return context.Child(module, "layers", input);
    }
}
