using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary><see cref="ConvolutionalEncoder"/>: its convolution layers, then flatten to [batch, features].</summary>
internal sealed class ConvolutionalEncoderExporter : ModuleExporter<ConvolutionalEncoder>
{
    protected override string Export(ConvolutionalEncoder module, string input, ExportContext context)
    {
        context.RequireChildren(module, "layers");
        var maps = context.Child(module, "layers", input);
        return context.Node("Flatten", "flatten", [maps], Graph.OnnxGraph.Attribute("axis", 1L));
    }
}
