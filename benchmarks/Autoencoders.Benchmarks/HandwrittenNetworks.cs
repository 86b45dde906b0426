using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// BENCH-MLP and BENCH-CONV written the way a TorchSharp user would write them without the library:
/// one <c>nn.Sequential</c> of the same layers, in the same parameter order as the library's modules.
/// </summary>
internal static class HandwrittenNetworks
{
    /// <summary>784-512-128-32-128-512-784, ReLU, linear code, sigmoid output; input [B, 784].</summary>
    public static Sequential Mlp() => nn.Sequential(
        ("enc0", nn.Linear(784, 512)),
        ("relu0", nn.ReLU()),
        ("enc1", nn.Linear(512, 128)),
        ("relu1", nn.ReLU()),
        ("code", nn.Linear(128, 32)),
        ("dec0", nn.Linear(32, 128)),
        ("relu2", nn.ReLU()),
        ("dec1", nn.Linear(128, 512)),
        ("relu3", nn.ReLU()),
        ("out", nn.Linear(512, 784)),
        ("sigmoid", nn.Sigmoid()));

    /// <summary>
    /// Conv(1→32, 3×3, s2, p1) → ReLU → Conv(32→64, 3×3, s2, p1) → ReLU → Linear(3136→32), mirrored:
    /// Linear(32→3136) → ReLU → ConvT(64→32) → ReLU → ConvT(32→1) → sigmoid; input [B, 1, 28, 28].
    /// </summary>
    public static Sequential Conv() => nn.Sequential(
        ("conv0", nn.Conv2d(1, 32, kernel_size: 3, stride: 2, padding: 1)),
        ("relu0", nn.ReLU()),
        ("conv1", nn.Conv2d(32, 64, kernel_size: 3, stride: 2, padding: 1)),
        ("relu1", nn.ReLU()),
        ("flatten", nn.Flatten()),
        ("code", nn.Linear(64 * 7 * 7, 32)),
        ("dec", nn.Linear(32, 64 * 7 * 7)),
        ("relu2", nn.ReLU()),
        ("unflatten", nn.Unflatten(1, [64, 7, 7])),
        ("deconv0", nn.ConvTranspose2d(64, 32, kernel_size: 3, stride: 2, padding: 1, output_padding: 1)),
        ("relu3", nn.ReLU()),
        ("deconv1", nn.ConvTranspose2d(32, 1, kernel_size: 3, stride: 2, padding: 1, output_padding: 1)),
        ("sigmoid", nn.Sigmoid()));
}
