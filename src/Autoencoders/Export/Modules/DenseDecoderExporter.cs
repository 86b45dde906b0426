using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary><see cref="DenseDecoder"/>: its layers, then a reshape to [batch, ...input shape].</summary>
internal sealed class DenseDecoderExporter : ModuleExporter<DenseDecoder>
{
    protected override string Export(DenseDecoder module, string input, ExportContext context)
    {
        context.RequireChildren(module, "layers");
        var flat = context.Child(module, "layers", input);
        var shape = context.Model.InputShape;
        if (shape.Count == 1)
        {
            return flat;
        }

        var target = context.Graph.Constant($"{context.Path}.shape", [0L, .. shape.Select(d => (long)d)]);
        return context.Node("Reshape", "reshape", [flat, target]);
    }
}
