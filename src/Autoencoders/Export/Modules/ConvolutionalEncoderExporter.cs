using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary><see cref="ConvolutionalEncoder"/>: its convolution layers, then flatten to [batch, features], then its dense layers if it has any.</summary>
internal sealed class ConvolutionalEncoderExporter : ModuleExporter<ConvolutionalEncoder>
{
    protected override string Export(ConvolutionalEncoder module, string input, ExportContext context)
    {
        var hasDense = ExportContext.ChildNames(module).Contains("dense");
        context.RequireChildren(module, hasDense ? ["layers", "dense"] : ["layers"]);
        var maps = context.Child(module, "layers", input);
        var features = context.Node("Flatten", "flatten", [maps], Graph.OnnxGraph.Attribute("axis", 1L));
        return hasDense ? context.Child(module, "dense", features) : features;
    }
}
