using Autoencoders.Export.Graph;

namespace Autoencoders.Export.Modules;

/// <summary>y = x·Wᵀ + b as one Gemm (transB = 1), the weight kept in TorchSharp's [out, in] layout.</summary>
internal sealed class LinearExporter : ModuleExporter<TorchSharp.Modules.Linear>
{
    protected override string Export(TorchSharp.Modules.Linear module, string input, ExportContext context)
    {
        List<string> inputs = [input, context.Weight("weight", module.weight!)];
        if (module.bias is { } bias)
        {
            inputs.Add(context.Weight("bias", bias));
        }

        return context.Node("Gemm", string.Empty, inputs, OnnxGraph.Attribute("transB", 1L));
    }
}
