using Autoencoders.Export.Graph;
using Onnx;
using TorchSharp.Modules;

namespace Autoencoders.Export.Modules;

/// <summary>The attributes Conv and ConvTranspose share, read from a TorchSharp convolution of any number of spatial axes.</summary>
internal static class ConvolutionAttributes
{
    public static AttributeProto[] Common(Convolution module, ExportContext context)
    {
        if (module.padding_type is not null)
        {
            throw new NotSupportedException($"ONNX export: {context.Path} uses a named padding ({module.padding_type}); only explicit padding exports.");
        }

        var axes = SpatialAxes(module);
        var padding = PerAxis(module.padding, axes);
        return
        [
            OnnxGraph.Attribute("kernel_shape", PerAxis(module.kernel_size, axes)),
            OnnxGraph.Attribute("strides", PerAxis(module.stride, axes)),
            OnnxGraph.Attribute("dilations", PerAxis(module.dilation, axes)),
            OnnxGraph.Attribute("pads", [.. padding, .. padding]),
            OnnxGraph.Attribute("group", module.groups),
        ];
    }

    /// <summary>The node's inputs: the data, the weight and, when the layer has one, the bias.</summary>
    public static List<string> Inputs(Convolution module, string input, ExportContext context)
    {
        RequireZeroPadding(module, context);
        List<string> inputs = [input, context.Weight("weight", module.weight!)];
        if (module.bias is { } bias)
        {
            inputs.Add(context.Weight("bias", bias));
        }

        return inputs;
    }

    private static void RequireZeroPadding(Convolution module, ExportContext context)
    {
        if (module.padding_mode != TorchSharp.PaddingModes.Zeros)
        {
            throw new NotSupportedException($"ONNX export: {context.Path} pads with {module.padding_mode}; only zero padding exports.");
        }
    }

    /// <summary>The number of spatial axes: 1 for Conv1d, 2 for Conv2d (the weight is [out, in, ...kernel]).</summary>
    public static int SpatialAxes(Convolution module) => (int)module.weight!.ndim - 2;

    /// <summary>One value per spatial axis (TorchSharp keeps a single value when all axes share it).</summary>
    public static long[] PerAxis(long[]? values, int axes) => values switch
    {
        null or [] => new long[axes],
        [var one] => Enumerable.Repeat(one, axes).ToArray(),
        _ => values,
    };
}
