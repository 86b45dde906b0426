using Autoencoders.Export.Graph;
using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary>
/// <see cref="RecurrentDecoder"/>: the code repeated over the time steps (Unsqueeze, Expand), its recurrent
/// layers, the shared output layer on every step (through a [length·batch, hidden] reshape, so that it is
/// one Gemm), and the result transposed to [batch, channels, length].
/// </summary>
internal sealed class RecurrentDecoderExporter : ModuleExporter<RecurrentDecoder>
{
    protected override string Export(RecurrentDecoder module, string input, ExportContext context)
    {
        context.RequireChildren(module, "layers", "output");
        var graph = context.Graph;
        var path = context.Path;
        var code = context.Node("Unsqueeze", "time_axis", [input, graph.Constant($"{path}.time_axis", [0L])]);
        var repeated = context.Node("Expand", "repeat", [code, graph.Constant($"{path}.repeat_shape", [module.Length, 1L, 1L])]);
        var states = context.Child(module, "layers", repeated);
        var steps = context.Node("Reshape", "steps", [states, graph.Constant($"{path}.steps_shape", [-1L, module.StepWidth])]);
        var outputs = context.Child(module, "output", steps);
        var timeFirst = context.Node("Reshape", "time_first", [outputs, graph.Constant($"{path}.time_first_shape", [module.Length, -1L, module.Channels])]);
        return context.Node("Transpose", "batch_first", [timeFirst], OnnxGraph.Attribute("perm", [1L, 2L, 0L]));
    }
}
