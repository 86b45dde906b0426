using Autoencoders.Model;
using TorchSharp;

namespace Autoencoders.Tests.Persistence;

/// <summary>
/// The shapes a reader compares with a file before it builds the model: they come from a build on
/// the meta device, which must match the real build and leave the process's default device alone.
/// </summary>
public sealed class StateShapesTests
{
    public static TheoryData<string> Specs() => new()
    {
        AutoencoderSpec.Dense(8, 2, [6, 4]).ToJson(),
        AutoencoderSpec.Convolutional([1, 8, 8], 3, [4, 2], batchNorm: true).WithGaussianBottleneck().ToJson(),
        AutoencoderSpec.Convolutional1d([2, 11], 3, [4, 2], kernel: 3, batchNorm: true, denseHidden: [5]).ToJson(),
        AutoencoderSpec.Recurrent([2, 7], 3, [5, 4]).WithGaussianBottleneck().ToJson(),
        AutoencoderSpec.Recurrent([1, 7], 3, [4], RecurrentCell.Gru).ToJson(),
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_shapes_are_those_of_the_real_build(string json)
    {
        var spec = AutoencoderSpec.FromJson(json);
        using var model = spec.Build(seed: 1);
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet();

        var shapes = StateShapes.Of(spec);

        shapes.Select(s => s.Name).Should().Equal(model.state_dict().Keys);
        foreach (var (name, dtype, shape, isParameter) in shapes)
        {
            var real = model.state_dict()[name];
            dtype.Should().Be(real.dtype, name);
            shape.Should().Equal(real.shape, name);
            isParameter.Should().Be(parameters.Contains(name), name);
        }

        torch.get_default_device().type.Should().Be(DeviceType.CPU);
    }

    [Fact]
    public void A_model_of_billions_of_weights_is_measured_without_allocating_it()
    {
        var spec = AutoencoderSpec.Dense(8, 2, [500_000_000]);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var shapes = StateShapes.Of(spec);

        shapes.Sum(s => s.Shape.Aggregate(1L, (a, b) => a * b)).Should().BeGreaterThan(4_000_000_000L);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
        torch.get_default_device().type.Should().Be(DeviceType.CPU);
        using var after = torch.zeros(2);
        after.device_type.Should().Be(DeviceType.CPU);
    }

    [Fact]
    public void The_default_device_is_restored_when_the_build_fails()
    {
        var invalid = AutoencoderSpec.Dense(8, 2, [6]) with { InputShape = [0] };

        var act = () => StateShapes.Of(invalid);

        act.Should().Throw<ArgumentException>();
        torch.get_default_device().type.Should().Be(DeviceType.CPU);
    }
}
