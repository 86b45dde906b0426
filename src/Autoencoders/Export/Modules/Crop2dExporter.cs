using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary>Keeping the top-left height×width as one Slice over axes 2 and 3.</summary>
internal sealed class Crop2dExporter : ModuleExporter<Crop2d>
{
    protected override string Export(Crop2d module, string input, ExportContext context)
    {
        var graph = context.Graph;
        return context.Node("Slice", string.Empty,
        [
            input,
            graph.Constant($"{context.Path}.starts", [0L, 0L]),
            graph.Constant($"{context.Path}.ends", [module.Height, module.Width]),
            graph.Constant($"{context.Path}.axes", [2L, 3L]),
        ]);
    }
}
