using Autoencoders.Native;
using Autoencoders.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Native;

/// <summary>
/// Every <see cref="TensorMath"/> operation against the TorchSharp expression it replaces: bit-identical
/// values, dtype and shape, for float32 data and, where the library uses one, integral data.
/// </summary>
[ComparesWithTorchSharp]
public sealed class TensorMathTests
{
    public static TheoryData<string> Operations => new(Cases.Keys);

    private static readonly Dictionary<string, (Func<Tensor, Tensor, Tensor> Ours, Func<Tensor, Tensor, Tensor> Theirs)> Cases = new()
    {
        ["a + b"] = ((a, b) => a.Add(b), (a, b) => a + b),
        ["a + 0.3"] = ((a, _) => a.Add(0.3), (a, _) => a + 0.3),
        ["a + αb"] = ((a, b) => a.Add(b, 0.7), (a, b) => a.add(b, 0.7)),
        ["a += b"] = ((a, b) => a.clone().AddInPlace(b), (a, b) => a.clone().add_(b)),
        ["a += αb"] = ((a, b) => a.clone().AddInPlace(b, -0.1), (a, b) => a.clone().add_(b, -0.1)),
        ["a += 1e-8"] = ((a, _) => a.clone().AddInPlace(1e-8), (a, _) => a.clone().add_(1e-8)),
        ["a - 1"] = ((a, _) => a.Sub(1L), (a, _) => a - 1),
        ["a - 0.3"] = ((a, _) => a.Sub(0.3), (a, _) => a - 0.3),
        ["1 - a"] = ((a, _) => a.SubtractedFrom(1L), (a, _) => 1 - a),
        ["0.3 - a"] = ((a, _) => a.SubtractedFrom(0.3), (a, _) => 0.3 - a),
        ["a · 0.3"] = ((a, _) => a.Mul(0.3), (a, _) => a * 0.3),
        ["−0.5 · a"] = ((a, _) => a.Mul(-0.5), (a, _) => -0.5 * a),
        ["a ·= 0.9"] = ((a, _) => a.clone().MulInPlace(0.9), (a, _) => a.clone().mul_(0.9)),
        ["a / 3"] = ((a, _) => a.Div(3L), (a, _) => a / 3L),
        ["a / 0.3"] = ((a, _) => a.Div(0.3), (a, _) => a / 0.3),
        ["a /= 0.3"] = ((a, _) => a.clone().DivInPlace(0.3), (a, _) => a.clone().div_(0.3)),
        ["0.3 / a"] = ((a, _) => a.DividedInto(0.3), (a, _) => 0.3 / a),
        ["a += 0.1·b·b"] = ((a, b) => a.clone().AddcmulInPlace(b, b, 0.1), (a, b) => a.clone().addcmul_(b, b, 0.1)),
        ["a += −0.1·b/|a|"] = ((a, b) => a.clone().AddcdivInPlace(b, a.abs(), -0.1), (a, b) => a.clone().addcdiv_(b, a.abs(), -0.1)),
        ["a²"] = ((a, _) => a.Square(), (a, _) => a.square()),
        ["a² in place"] = ((a, _) => a.clone().SquareInPlace(), (a, _) => a.clone().pow_(2)),
        ["clamp"] = ((a, _) => a.Clamp(-0.5, 0.5), (a, _) => a.clamp(-0.5, 0.5)),
        ["a > 0.2"] = ((a, _) => a.Gt(0.2), (a, _) => a.gt(0.2)),
        ["a ≥ 0.2"] = ((a, _) => a.Ge(0.2), (a, _) => a.ge(0.2)),
        ["a < 0.2"] = ((a, _) => a.Lt(0.2), (a, _) => a.lt(0.2)),
        ["a = 0"] = ((a, _) => a.Gt(0.0).to_type(ScalarType.Float32).Eq(0), (a, _) => a.gt(0.0).to_type(ScalarType.Float32).eq(0)),
        ["a ≠ 0"] = ((a, _) => a.Gt(0.0).to_type(ScalarType.Float32).Ne(0), (a, _) => a.gt(0.0).to_type(ScalarType.Float32).ne(0)),
        ["masked fill"] = ((a, b) => a.MaskedFill(b.gt(0), double.PositiveInfinity), (a, b) => a.masked_fill(b.gt(0), double.PositiveInfinity)),
        ["fill"] = ((a, _) => a.clone().FillInPlace(0.25), (a, _) => a.clone().fill_(0.25)),
        ["leaky ReLU"] = ((a, _) => a.LeakyRelu(0.01), (a, _) => a.leaky_relu(0.01)),
        ["ELU"] = ((a, _) => a.Elu(1.0), (a, _) => a.elu(1.0)),
        // Integral data: ranks, counts and indices.
        ["ranks + ranks"] = ((a, b) => Ranks(a).Add(Ranks(b)), (a, b) => Ranks(a) + Ranks(b)),
        ["ranks + 1"] = ((a, _) => Ranks(a).Add(1), (a, _) => Ranks(a).add(1)),
        ["ranks += 1"] = ((a, _) => Ranks(a).AddInPlace(1), (a, _) => Ranks(a).add_(1)),
        ["ranks − 3"] = ((a, _) => Ranks(a).Sub(3), (a, _) => Ranks(a).sub(3)),
        ["ranks · 7"] = ((a, _) => Ranks(a).Mul(7), (a, _) => Ranks(a).mul(7)),
        ["ranks clamped below"] = ((a, _) => Ranks(a).ClampMin(2), (a, _) => Ranks(a).clamp_min(2)),
        ["ranks clamped below in place"] = ((a, _) => Ranks(a).ClampMinInPlace(2), (a, _) => Ranks(a).clamp_min_(2)),
        ["ranks > 1"] = ((a, _) => Ranks(a).Gt(1), (a, _) => Ranks(a).gt(1)),
        ["arange"] = ((a, _) => TensorMath.Arange(a.shape[1]), (a, _) => arange(a.shape[1], dtype: ScalarType.Int64)),
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void An_operation_is_bit_identical_to_TorchSharps(string operation)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(8);
        var a = randn([5, 6], generator: generator);
        var b = randn([5, 6], generator: generator);
        var (ours, theirs) = Cases[operation];

        var expected = TorchSharpReference.Run(() => theirs(a, b));
        var actual = ours(a, b);

        actual.dtype.Should().Be(expected.dtype);
        actual.shape.Should().Equal(expected.shape);
        actual.Equals(expected).Should().BeTrue(operation);
    }

    /// <summary>The rank of each value within its row, 0-based, as int64.</summary>
    private static Tensor Ranks(Tensor values) => values.argsort(dim: 1).argsort(dim: 1);
}
