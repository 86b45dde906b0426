namespace Autoencoders.Model;

/// <summary>
/// How many weights a spec's model holds, counted from the spec without building it (in floating point,
/// so that absurd sizes saturate instead of overflowing). A reader compares it with the bytes a file
/// actually holds before it lets a spec read from that file allocate anything.
/// </summary>
internal static class WeightBudget
{
    /// <summary>
    /// A lower bound on the number of weights of the model <paramref name="spec"/> builds: the weight
    /// matrices and kernels of every layer (biases and normalisation statistics are left out).
    /// </summary>
    public static double MinimumWeights(AutoencoderSpec spec)
    {
        double latent = spec.Bottleneck.Latent;
        double features = spec.InputShape.Aggregate(1.0, (product, d) => product * d);
        double total = 0;
        double encoderOutput;
        switch (spec.Backbone)
        {
            case DenseBackboneSpec dense:
                double width = features;
                foreach (var hidden in dense.Hidden)
                {
                    total += width * hidden;
                    width = hidden;
                }

                encoderOutput = width;
                width = latent;
                foreach (var hidden in dense.Hidden.Reverse())
                {
                    total += width * hidden;
                    width = hidden;
                }

                total += width * features;
                break;
            case ConvolutionalBackboneSpec convolutional:
                double channels = spec.InputShape[0], height = spec.InputShape[1], breadth = spec.InputShape[2];
                double kernelArea = (double)convolutional.Kernel * convolutional.Kernel;
                foreach (var next in convolutional.Channels)
                {
                    total += 2 * channels * next * kernelArea; // the convolution and its mirrored transposed convolution
                    channels = next;
                    height = Math.Floor((height - 1) / convolutional.Stride) + 1;
                    breadth = Math.Floor((breadth - 1) / convolutional.Stride) + 1;
                }

                encoderOutput = channels * height * breadth;
                foreach (var hidden in convolutional.DenseHidden)
                {
                    total += 2 * encoderOutput * hidden; // the dense layer and its mirror in the decoder
                    encoderOutput = hidden;
                }

                total += latent * encoderOutput; // the decoder's first, linear layer
                break;
            default:
                return 0;
        }

        var codeLayers = spec.Bottleneck is GaussianBottleneckSpec ? 2 : 1;
        return total + (codeLayers * encoderOutput * latent);
    }
}
