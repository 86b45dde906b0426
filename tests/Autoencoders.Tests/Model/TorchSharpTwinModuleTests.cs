using Autoencoders.Model;
using Autoencoders.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Model;

/// <summary>
/// The library's own batch normalisation, leaky ReLU and ELU modules against the TorchSharp modules they
/// replace (whose forward passes temporary Scalars): the same parameter and buffer names, and bit-identical
/// outputs, gradients and running statistics, in training and in evaluation.
/// </summary>
[ComparesWithTorchSharp]
public sealed class TorchSharpTwinModuleTests
{
    [Theory]
    [InlineData(1, new long[] { 8, 3 })]
    [InlineData(1, new long[] { 8, 3, 5 })]
    [InlineData(2, new long[] { 8, 3, 4, 5 })]
    public void Batch_normalisation_is_TorchSharps(int spatialDimensions, long[] shape)
    {
        using var ours = new BatchNormalization(3, spatialDimensions, device: null);
        using nn.Module<Tensor, Tensor> theirs = spatialDimensions == 1 ? nn.BatchNorm1d(3) : nn.BatchNorm2d(3);
        ours.state_dict().Keys.Should().Equal(theirs.state_dict().Keys);
        using (no_grad())
        {
            using var weight = randn(3, generator: new Generator(1));
            using var bias = randn(3, generator: new Generator(2));
            foreach (var module in new nn.Module[] { ours, theirs })
            {
                module.state_dict()["weight"].copy_(weight);
                module.state_dict()["bias"].copy_(bias);
            }
        }

        using var generator = new Generator(3);
        foreach (var training in new[] { true, true, false })
        {
            using var scope = NewDisposeScope();
            ours.train(training);
            theirs.train(training);
            SameOutputAndGradient(ours, theirs, randn(shape, generator: generator));
            foreach (var name in ours.state_dict().Keys)
            {
                ours.state_dict()[name].Equals(theirs.state_dict()[name]).Should().BeTrue(name);
            }
        }
    }

    [Fact]
    public void Batch_normalisation_refuses_input_of_the_wrong_rank()
    {
        using var norm = new BatchNormalization(3, spatialDimensions: 2, device: null);
        using var x = zeros(4, 3);

        FluentActions.Invoking(() => norm.forward(x)).Should().Throw<ArgumentException>().WithMessage("expected 4D input, but got 2D input.");
    }

    [Theory]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.ELU)]
    public void Activations_are_TorchSharps(Activation activation)
    {
        using var scope = NewDisposeScope();
        var ours = ActivationModules.Create(activation);
        var theirs = activation == Activation.LeakyReLU ? (nn.Module<Tensor, Tensor>)nn.LeakyReLU(0.01) : nn.ELU();
        SameOutputAndGradient(ours, theirs, randn([64, 7], generator: new Generator(4)));
    }

    /// <summary>Both modules' outputs on <paramref name="input"/>, and the gradients of their sums, are bit-identical.</summary>
    private static void SameOutputAndGradient(nn.Module<Tensor, Tensor> ours, nn.Module<Tensor, Tensor> theirs, Tensor input)
    {
        var x = input.detach().clone().requires_grad_(true);
        var y = input.detach().clone().requires_grad_(true);

        var ourOutput = ours.forward(x);
        var theirOutput = TorchSharpReference.Run(() => theirs.forward(y));
        ourOutput.sum().backward();
        theirOutput.sum().backward();

        ourOutput.Equals(theirOutput).Should().BeTrue();
        x.grad!.Equals(y.grad!).Should().BeTrue();
    }
}
