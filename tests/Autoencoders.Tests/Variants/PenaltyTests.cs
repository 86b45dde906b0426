using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using TorchSharp;

namespace Autoencoders.Tests.Variants;

public sealed class PenaltyTests
{
    [Fact]
    public void The_sigmoid_layer_jacobian_norm_matches_autograd_and_finite_differences()
    {
        using var model = AutoencoderSpec.Contractive(6, 3).Build(seed: 1);
        var x = torch.rand(4, 6, dtype: torch.float64);
        model.to(torch.float64);
        var input = x.detach().requires_grad_(true);
        var code = model.encode(input);
        var weight = ((DeterministicBottleneck)model.Bottleneck).Weight;

        var closedForm = ContractivePenaltySpec.SigmoidLayerJacobianNorm(code, weight).data<double>().ToArray();
        var viaAutograd = ContractivePenaltySpec.AutogradJacobianNorm(code, input).data<double>().ToArray();
        var finiteDifference = FiniteDifferenceJacobianNorm(model, x);

        closedForm.Should().Equal(viaAutograd, (a, b) => Math.Abs(a - b) < 1e-10);
        closedForm.Should().Equal(finiteDifference, (a, b) => Math.Abs(a - b) < 1e-6 * Math.Max(1, Math.Abs(b)));
    }

    [Fact]
    public void The_autograd_jacobian_norm_of_a_deep_encoder_matches_finite_differences()
    {
        using var model = AutoencoderSpec.Dense(5, 3, [7, 4], Activation.Tanh).Build(seed: 2);
        model.to(torch.float64);
        var x = torch.rand(3, 5, dtype: torch.float64);
        var input = x.detach().requires_grad_(true);

        var viaAutograd = ContractivePenaltySpec.AutogradJacobianNorm(model.encode(input), input).data<double>().ToArray();

        viaAutograd.Should().Equal(FiniteDifferenceJacobianNorm(model, x), (a, b) => Math.Abs(a - b) < 1e-6 * Math.Max(1, Math.Abs(b)));
    }

    [Theory]
    [InlineData("convolutional1d")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void A_sequence_encoder_has_no_closed_form_and_its_autograd_jacobian_norm_matches_finite_differences(string backbone)
    {
        var spec = backbone switch
        {
            "convolutional1d" => AutoencoderSpec.Convolutional1d([2, 5], 3, [4, 3], Activation.Tanh, kernel: 3),
            "lstm" => AutoencoderSpec.Recurrent([2, 5], 3, [4, 3]),
            _ => AutoencoderSpec.Recurrent([2, 5], 3, [4], RecurrentCell.Gru),
        };
        using var model = spec.WithCodeActivation(Activation.Sigmoid).Build(seed: 2);
        model.to(torch.float64);
        var x = torch.rand(3, 2, 5, dtype: torch.float64);
        var input = x.detach().requires_grad_(true);

        var viaAutograd = ContractivePenaltySpec.AutogradJacobianNorm(model.encode(input), input).data<double>().ToArray();

        ContractivePenaltySpec.HasClosedForm(model.Spec.WithPenalty(new ContractivePenaltySpec())).Should().BeFalse();
        viaAutograd.Should().Equal(FiniteDifferenceJacobianNorm(model, x), (a, b) => Math.Abs(a - b) < 1e-6 * Math.Max(1, Math.Abs(b)));
    }

    [Fact]
    public void The_contractive_term_is_lambda_times_the_mean_jacobian_norm_and_is_used_in_validation_too()
    {
        var spec = AutoencoderSpec.Dense(5, 2, [4], Activation.Tanh).WithPenalty(new ContractivePenaltySpec { Weight = 0.3 });
        using var model = spec.Build(seed: 3);
        using var x = torch.rand(6, 5);

        float inTraining = model.ComputeLoss(x).Terms[1].Value.item<float>();
        float underNoGrad;
        using (torch.no_grad())
        {
            underNoGrad = model.ComputeLoss(x).Terms[1].Value.item<float>();
        }

        var input = x.detach().requires_grad_(true);
        var expected = 0.3 * ContractivePenaltySpec.AutogradJacobianNorm(model.encode(input), input).mean().item<float>();
        inTraining.Should().BeApproximately((float)expected, 1e-5f);
        underNoGrad.Should().BeApproximately(inTraining, 1e-6f);
    }

    [Fact]
    public void The_contractive_penalty_makes_the_code_less_sensitive_to_the_input()
    {
        var rows = VariantCatalog.UnitIntervalData(256, seed: 1);
        using var data = InMemoryDataset.FromArray(rows);
        using var plain = AutoencoderSpec.Dense(16, 4, [], Activation.Identity).WithCodeActivation(Activation.Sigmoid).Build(seed: 1);
        using var contractive = AutoencoderSpec.Contractive(16, 4, weight: 1.0).Build(seed: 1);
        var options = new TrainerOptions { Epochs = 20, BatchSize = 32, LearningRate = 1e-2 };

        new Trainer(options).Fit(plain, data);
        new Trainer(options).Fit(contractive, data);

        MeanJacobianNorm(contractive, rows).Should().BeLessThan(0.5 * MeanJacobianNorm(plain, rows));
    }

    [Fact]
    public void The_kl_sparsity_term_follows_ngs_formula()
    {
        using var model = AutoencoderSpec.Sparse(6, 4, [5], target: 0.1, weight: 2).Build(seed: 1);
        using var x = torch.rand(9, 6);

        var term = model.ComputeLoss(x).Terms[1].Value.item<float>();
        var rates = model.encode(x).mean([0]).data<float>().ToArray();
        var expected = 2 * rates.Sum(r => (0.1 * Math.Log(0.1 / r)) + (0.9 * Math.Log(0.9 / (1 - r))));

        term.Should().BeApproximately((float)expected, 1e-5f);
    }

    [Fact]
    public void The_kl_sparsity_penalty_needs_a_sigmoid_code()
    {
        var act = () => AutoencoderSpec.Dense(6, 4, [5]).WithPenalty(new KlSparsityPenaltySpec { Weight = 1 });

        act.Should().Throw<ArgumentException>().WithMessage("*CodeActivation = Sigmoid*");
    }

    [Fact]
    public void The_kl_sparsity_penalty_produces_the_mean_activation_it_targets()
    {
        var rows = VariantCatalog.UnitIntervalData(512, seed: 2);
        using var data = InMemoryDataset.FromArray(rows);
        using var plain = AutoencoderSpec.Dense(16, 24, [32]).WithCodeActivation(Activation.Sigmoid).Build(seed: 1);
        using var sparse = AutoencoderSpec.Sparse(16, 24, [32], target: 0.05, weight: 1).Build(seed: 1);
        var options = new TrainerOptions { Epochs = 30, BatchSize = 64, LearningRate = 3e-3 };

        new Trainer(options).Fit(plain, data);
        new Trainer(options).Fit(sparse, data);

        var plainRate = plain.Encode(rows).Cast<float>().Average();
        var sparseRate = sparse.Encode(rows).Cast<float>().Average();
        sparseRate.Should().BeInRange(0.03f, 0.08f);
        plainRate.Should().BeGreaterThan(3 * sparseRate);
    }

    [Fact]
    public void The_l1_activity_penalty_zeroes_more_of_a_relu_code()
    {
        var rows = VariantCatalog.UnitIntervalData(512, seed: 3);
        using var data = InMemoryDataset.FromArray(rows);
        var spec = AutoencoderSpec.Dense(16, 24, [32]).WithCodeActivation(Activation.ReLU);
        using var plain = spec.Build(seed: 1);
        using var sparse = spec.WithPenalty(new L1ActivityPenaltySpec { Weight = 0.05 }).Build(seed: 1);
        var options = new TrainerOptions { Epochs = 30, BatchSize = 64, LearningRate = 3e-3 };

        new Trainer(options).Fit(plain, data);
        new Trainer(options).Fit(sparse, data);

        static double ZeroFraction(float[,] codes) => codes.Cast<float>().Count(v => v == 0) / (double)codes.Length;
        ZeroFraction(sparse.Encode(rows)).Should().BeGreaterThan(ZeroFraction(plain.Encode(rows)) + 0.2);
    }

    private static double MeanJacobianNorm(Autoencoder model, float[,] rows)
    {
        var input = torch.tensor(rows).clone().requires_grad_(true);
        return ContractivePenaltySpec.AutogradJacobianNorm(model.encode(input), input).mean().item<float>();
    }

    private static double[] FiniteDifferenceJacobianNorm(Autoencoder model, torch.Tensor x)
    {
        const double h = 1e-6;
        var rows = (int)x.shape[0];
        var features = (int)(x.numel() / rows);
        var norms = new double[rows];
        using var noGrad = torch.no_grad();
        for (var f = 0; f < features; f++)
        {
            var step = torch.zeros(rows, features, dtype: torch.float64);
            step[.., f] = torch.tensor(h, dtype: torch.float64);
            step = step.view(x.shape);
            var derivative = (model.encode(x.Add(step)) - model.encode(x - step)).Div(2 * h);
            var squares = derivative.Square().sum(1).data<double>().ToArray();
            for (var i = 0; i < rows; i++)
            {
                norms[i] += squares[i];
            }
        }

        return norms;
    }
}
