using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using Autoencoders.Tests.Support;
using TorchSharp;

namespace Autoencoders.Tests.Model;

public sealed class AutoencoderTests
{
    [Fact]
    public void Forward_reproduces_the_input_shape_and_encode_gives_the_latent_size()
    {
        using var model = AutoencoderSpec.Dense([1, 6, 5], latent: 4, hidden: [16]).Build(seed: 1);
        using var x = torch.rand(3, 1, 6, 5);

        using var reconstruction = model.forward(x);
        using var code = model.encode(x);

        reconstruction.shape.Should().Equal(3, 1, 6, 5);
        code.shape.Should().Equal(3, 4);
    }

    [Fact]
    public void The_reconstruction_term_is_the_squared_error_summed_over_features_and_averaged_over_the_batch()
    {
        using var model = AutoencoderSpec.Dense(5, 2, [4], output: OutputActivation.Sigmoid).Build(seed: 3);
        using var x = torch.rand(7, 5);

        var terms = model.ComputeLoss(x);
        using var reconstruction = model.forward(x);
        var expected = (reconstruction - x).Square().sum().item<float>() / 7;

        terms.Terms.Select(t => t.Key).Should().Equal(LossTerms.Reconstruction);
        terms.Total.item<float>().Should().BeApproximately(expected, 1e-5f);
    }

    [Fact]
    public void Array_methods_are_deterministic_and_match_the_module()
    {
        var rows = Synthetic.LowRank(10, 6, 2, seed: 5);
        using var model = AutoencoderSpec.Dense(6, 2, [5]).Build(seed: 2);

        var first = model.Encode(rows);
        var second = model.Encode(rows);
        using var code = model.encode(torch.tensor(rows));

        first.Should().BeEquivalentTo(second, o => o.WithStrictOrdering());
        first.GetLength(0).Should().Be(10);
        first.GetLength(1).Should().Be(2);
        first[3, 1].Should().Be(code[3, 1].item<float>());
    }

    [Fact]
    public void Decode_of_encode_equals_reconstruct()
    {
        var rows = Synthetic.LowRank(9, 6, 2, seed: 4);
        using var model = AutoencoderSpec.Dense(6, 3, [5]).Build(seed: 2);

        model.Decode(model.Encode(rows)).Should().BeEquivalentTo(model.Reconstruct(rows), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Non_finite_input_is_refused_with_its_position()
    {
        var rows = new float[4, 3];
        rows[2, 1] = float.NaN;
        using var model = AutoencoderSpec.Dense(3, 2, [4]).Build();

        var act = () => model.Encode(rows);

        act.Should().Throw<ArgumentException>().WithMessage("*row 2, feature 1 is NaN*");
    }

    [Fact]
    public void Rows_of_the_wrong_width_are_refused()
    {
        using var model = AutoencoderSpec.Dense(3, 2, [4]).Build();

        var act = () => model.Reconstruct(new float[2, 4]);

        act.Should().Throw<ArgumentException>().WithMessage("Expected rows of 3 values but got 4*");
    }

    [Fact]
    public void The_scaler_is_applied_on_the_way_in_and_inverted_on_the_way_out()
    {
        var rows = Synthetic.LowRank(20, 4, 2, seed: 8, offset: 1000, scale: 50);
        using var data = InMemoryDataset.FromArray(rows);
        using var model = AutoencoderSpec.Dense(4, 2, [3]).Build();
        var scaler = StandardScaler.Fit(data);
        model.Scaler = scaler;

        var reconstruction = model.Reconstruct(rows);
        using var scaledIn = scaler.Transform(data.Features);
        using var expected = scaler.InverseTransform(model.forward(scaledIn));

        reconstruction[5, 3].Should().BeApproximately(expected[5, 3].item<float>(), 1e-3f);
        reconstruction[5, 3].Should().BeInRange(500, 1500, "the output is in the data's units, not the scaled ones");
    }

    [Fact]
    public void A_scaler_for_another_feature_count_is_refused()
    {
        using var data = InMemoryDataset.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        using var model = AutoencoderSpec.Dense(3, 2, [4]).Build();

        var act = () => model.Scaler = StandardScaler.Fit(data);

        act.Should().Throw<ArgumentException>().WithMessage("*2 features*takes 3*");
    }
}
