namespace Autoencoders.Model;

/// <summary>
/// Where the patches of a 2-D convolution lie: kernel, stride and zero padding per axis, the input's and
/// the output's height and width. The same geometry describes a transposed convolution read backwards
/// (its output is this geometry's input).
/// </summary>
internal sealed record PatchGeometry(
    long KernelHeight, long KernelWidth, long StrideHeight, long StrideWidth, long PadHeight, long PadWidth,
    long Height, long Width, long OutputHeight, long OutputWidth)
{
    /// <summary>The height of the zero-padded input: room for the padding and for every window.</summary>
    public long PaddedHeight => Math.Max(Height + (2 * PadHeight), ((OutputHeight - 1) * StrideHeight) + KernelHeight);

    /// <summary>The width of the zero-padded input.</summary>
    public long PaddedWidth => Math.Max(Width + (2 * PadWidth), ((OutputWidth - 1) * StrideWidth) + KernelWidth);

    /// <summary>The values a patch holds: kernel height × kernel width × <paramref name="channels"/>.</summary>
    public long PatchSize(long channels) => KernelHeight * KernelWidth * channels;

    /// <summary>The geometry of a convolution over an input of the given height and width.</summary>
    public static PatchGeometry OfConvolution(long[] kernel, long[] stride, long[] padding, long height, long width) =>
        new(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], height, width,
            ((height + (2 * padding[0]) - kernel[0]) / stride[0]) + 1,
            ((width + (2 * padding[1]) - kernel[1]) / stride[1]) + 1);

    /// <summary>
    /// The geometry of the convolution that a transposed convolution of the given input height and width
    /// inverts: its input is the transposed convolution's output, (n − 1)·stride − 2·padding + kernel + output padding.
    /// </summary>
    public static PatchGeometry OfTransposedConvolution(long[] kernel, long[] stride, long[] padding, long[] outputPadding, long height, long width) =>
        new(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
            ((height - 1) * stride[0]) - (2 * padding[0]) + kernel[0] + outputPadding[0],
            ((width - 1) * stride[1]) - (2 * padding[1]) + kernel[1] + outputPadding[1],
            height, width);
}
