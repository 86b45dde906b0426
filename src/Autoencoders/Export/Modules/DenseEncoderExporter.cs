using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary><see cref="DenseEncoder"/>: flatten to [batch, features], then its layers.</summary>
internal sealed class DenseEncoderExporter : ModuleExporter<DenseEncoder>
{
    protected override string Export(DenseEncoder module, string input, ExportContext context)
    {
        context.RequireChildren(module, "layers");
        var flat = context.Node("Flatten", "flatten", [input], Graph.OnnxGraph.Attribute("axis", 1L));
        return context.Child(module, "layers", flat);
    }
}
