using Autoencoders.Model;
using TorchSharp;

namespace Autoencoders.Tests.Model;

public sealed class AutoencoderSpecTests
{
    [Fact]
    public void Json_round_trip_gives_an_equal_spec()
    {
        var spec = AutoencoderSpec.Dense([1, 28, 28], latent: 16, hidden: [64, 32], Activation.GELU, OutputActivation.Sigmoid);

        var json = spec.ToJson();
        var again = AutoencoderSpec.FromJson(json);

        again.Should().Be(spec);
        again.ToJson().Should().Be(json);
        json.Should().Contain("\"type\":\"dense\"").And.Contain("\"type\":\"deterministic\"").And.Contain("\"GELU\"");
    }

    [Fact]
    public void Specs_that_differ_in_one_width_are_not_equal()
    {
        AutoencoderSpec.Dense(10, 2, [8]).Should().NotBe(AutoencoderSpec.Dense(10, 2, [9]));
        AutoencoderSpec.Dense(10, 2, [8]).Should().Be(AutoencoderSpec.Dense(10, 2, [8]));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"inputShape\":[4]}")]
    [InlineData("{\"inputShape\":[4],\"backbone\":{\"type\":\"dense\",\"hidden\":[3]},\"bottleneck\":{\"type\":\"deterministic\",\"latent\":0}}")]
    [InlineData("{\"inputShape\":[4],\"backbone\":{\"type\":\"warp\"},\"bottleneck\":{\"type\":\"deterministic\",\"latent\":2}}")]
    [InlineData("{\"inputShape\":[4],\"backbone\":{\"type\":\"dense\",\"hidden\":[3]},\"bottleneck\":{\"type\":\"deterministic\",\"latent\":2},\"extra\":1}")]
    public void Invalid_json_is_refused_with_an_argument_exception(string json)
    {
        var act = () => AutoencoderSpec.FromJson(json);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Invalid_specs_name_the_problem()
    {
        ((Action)(() => AutoencoderSpec.Dense(10, 0, [4]))).Should().Throw<ArgumentException>().WithMessage("*latent*");
        ((Action)(() => AutoencoderSpec.Dense(10, 2, [4, -1]))).Should().Throw<ArgumentException>().WithMessage("*Hidden layer 1*");
        ((Action)(() => AutoencoderSpec.Dense([3, 0], 2, [4]))).Should().Throw<ArgumentException>().WithMessage("*positive*[3, 0]*");
    }

    [Fact]
    public void The_same_seed_builds_identical_weights_and_another_seed_does_not()
    {
        var spec = AutoencoderSpec.Dense(12, 3, [8]);
        using var a = spec.Build(seed: 7);
        using var b = spec.Build(seed: 7);
        using var c = spec.Build(seed: 8);

        var weightsA = a.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        var weightsB = b.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        var weightsC = c.parameters().Select(p => p.data<float>().ToArray()).ToArray();

        weightsB.Should().BeEquivalentTo(weightsA, o => o.WithStrictOrdering());
        weightsC[0].Should().NotEqual(weightsA[0]);
    }

    [Fact]
    public void Building_leaves_the_global_random_state_alone()
    {
        torch.random.manual_seed(123);
        var expected = torch.rand(5).data<float>().ToArray();

        torch.random.manual_seed(123);
        using (AutoencoderSpec.Dense(12, 3, [8]).Build(seed: 99))
        {
        }

        torch.rand(5).data<float>().ToArray().Should().Equal(expected);
    }
}
