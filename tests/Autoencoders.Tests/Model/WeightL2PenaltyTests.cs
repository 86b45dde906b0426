using Autoencoders.Model;
using Autoencoders.Native;
using TorchSharp;

namespace Autoencoders.Tests.Model;

public sealed class WeightL2PenaltyTests
{
    private static readonly AutoencoderSpec Spec =
        AutoencoderSpec.Linear(inputSize: 6, latent: 2) with { Penalties = [new WeightL2PenaltySpec { Weight = 0.25 }] };

    [Fact]
    public void The_term_is_lambda_times_the_squared_frobenius_norms_of_the_weight_matrices()
    {
        using var model = Spec.Build(seed: 1);
        using var x = torch.rand(4, 6);
        var weights = model.named_parameters().Where(p => p.name.EndsWith("weight", StringComparison.Ordinal)).Select(p => p.parameter).ToArray();

        var terms = model.ComputeLoss(x);

        weights.Should().HaveCount(2);
        var expected = 0.25 * weights.Sum(w => w.Square().sum().item<float>());
        terms.Terms.Select(t => t.Key).Should().Equal(LossTerms.Reconstruction, WeightL2PenaltySpec.TermName);
        terms.Terms[1].Value.item<float>().Should().BeApproximately((float)expected, 1e-6f);
    }

    [Fact]
    public void Its_gradient_is_two_lambda_w_on_weights_and_zero_on_biases()
    {
        using var model = Spec.Build(seed: 1);
        using var x = torch.rand(4, 6);

        model.ComputeLoss(x).Terms[1].Value.backward();

        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                torch.allclose(parameter.grad!, parameter.Mul(0.5), rtol: 1e-6, atol: 1e-7).Should().BeTrue(name);
            }
            else
            {
                (parameter.grad is null || parameter.grad.abs().max().item<float>() == 0).Should().BeTrue(name);
            }
        }
    }

    [Fact]
    public void Penalties_survive_the_json_round_trip_and_duplicates_are_refused()
    {
        AutoencoderSpec.FromJson(Spec.ToJson()).Should().Be(Spec);
        Spec.ToJson().Should().Contain("\"penalties\":[{\"type\":\"weightL2\",\"weight\":0.25}]");

        var twice = Spec with { Penalties = [new WeightL2PenaltySpec { Weight = 1 }, new WeightL2PenaltySpec { Weight = 2 }] };
        twice.Invoking(s => s.Validate()).Should().Throw<ArgumentException>().WithMessage("*listed twice*");
        (Spec with { Penalties = [new WeightL2PenaltySpec { Weight = -1 }] }).Invoking(s => s.Validate())
            .Should().Throw<ArgumentException>().WithMessage("*non-negative*");
    }
}
