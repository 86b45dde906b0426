using Autoencoders.Export.Graph;
using TorchSharp.Modules;

namespace Autoencoders.Export.Modules;

/// <summary>A 2-D convolution as one Conv node (zero padding only, as the library builds them).</summary>
internal sealed class Conv2dExporter : ModuleExporter<Conv2d>
{
    protected override string Export(Conv2d module, string input, ExportContext context)
    {
        ConvolutionAttributes.RequireZeroPadding(module, context);
        List<string> inputs = [input, context.Weight("weight", module.weight!)];
        if (module.bias is { } bias)
        {
            inputs.Add(context.Weight("bias", bias));
        }

        return context.Node("Conv", string.Empty, inputs, ConvolutionAttributes.Common(module, context));
    }
}
