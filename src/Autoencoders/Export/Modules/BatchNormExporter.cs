using Autoencoders.Export.Graph;
using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary>1-D or 2-D batch normalisation in evaluation mode (the running statistics) as one BatchNormalization node.</summary>
internal sealed class BatchNormExporter : ModuleExporter<BatchNormalization>
{
    protected override string Export(BatchNormalization module, string input, ExportContext context)
    {
        if (module.running_mean is null || module.running_var is null || module.weight is null || module.bias is null)
        {
            throw new NotSupportedException($"ONNX export: {context.Path} has no running statistics or no affine parameters; only tracked, affine batch norm exports.");
        }

        return context.Node("BatchNormalization", string.Empty,
            [input, context.Weight("weight", module.weight), context.Weight("bias", module.bias), context.Weight("running_mean", module.running_mean), context.Weight("running_var", module.running_var)],
            OnnxGraph.Attribute("epsilon", (float)module.eps));
    }
}
