using Autoencoders.Export.Graph;
using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary>
/// <see cref="RecurrentEncoder"/>: [batch, channels, length] transposed to [length, batch, channels], its
/// recurrent layers, then the top layer's state at the last step, [batch, hidden].
/// </summary>
internal sealed class RecurrentEncoderExporter : ModuleExporter<RecurrentEncoder>
{
    protected override string Export(RecurrentEncoder module, string input, ExportContext context)
    {
        context.RequireChildren(module, "layers");
        var graph = context.Graph;
        var timeFirst = context.Node("Transpose", "time_first", [input], OnnxGraph.Attribute("perm", [2L, 0L, 1L]));
        var states = context.Child(module, "layers", timeFirst);
        var last = context.Node("Slice", "last_step",
        [
            states,
            graph.Constant($"{context.Path}.last_step.starts", [-1L]),
            graph.Constant($"{context.Path}.last_step.ends", [long.MaxValue]),
            graph.Constant($"{context.Path}.last_step.axes", [0L]),
        ]);
        return context.Node("Squeeze", "squeeze", [last, graph.Constant($"{context.Path}.time_axis", [0L])]);
    }
}
