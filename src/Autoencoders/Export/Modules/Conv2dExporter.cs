using Autoencoders.Export.Graph;
using TorchSharp.Modules;

namespace Autoencoders.Export.Modules;

/// <summary>A 2-D convolution as one Conv node (zero padding only, as the library builds them).</summary>
internal sealed class Conv2dExporter : ModuleExporter<Conv2d>
{
    protected override string Export(Conv2d module, string input, ExportContext context)
    {
        return context.Node("Conv", string.Empty, ConvolutionAttributes.Inputs(module, input, context), ConvolutionAttributes.Common(module, context));
    }
}
