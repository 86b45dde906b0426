namespace Autoencoders.Benchmarks;

/// <summary>
/// Analytic floating-point operation counts (one multiply-add = 2 FLOPs) of the layers' matrix work;
/// biases, activations and the loss are ignored (they are well under 1 % here).
/// </summary>
internal static class FlopCount
{
    /// <summary>The backward pass costs about twice the forward pass (gradients for inputs and weights).</summary>
    public const double TrainingPerForward = 3;

    /// <summary>Forward FLOPs per sample of a Linear layer: 2·in·out.</summary>
    public static double Linear(int inputs, int outputs) => 2.0 * inputs * outputs;

    /// <summary>Forward FLOPs per sample of a Conv2d: 2·H_out·W_out·C_out·C_in·k².</summary>
    public static double Conv2d(int outputHeight, int outputWidth, int inputChannels, int outputChannels, int kernel) =>
        2.0 * outputHeight * outputWidth * outputChannels * inputChannels * kernel * kernel;

    /// <summary>
    /// Forward FLOPs per sample of a ConvTranspose2d: 2·H_in·W_in·C_in·C_out·k². Each input pixel is
    /// multiplied into a k×k patch of every output channel; this equals the count of the strided Conv2d
    /// it mirrors. (Applying the Conv2d formula with the transposed layer's larger output size would also
    /// count the products with the zeros a stride-2 transposed convolution inserts, four times too many.)
    /// </summary>
    public static double ConvTranspose2d(int inputHeight, int inputWidth, int inputChannels, int outputChannels, int kernel) =>
        2.0 * inputHeight * inputWidth * inputChannels * outputChannels * kernel * kernel;
}
