using Autoencoders.Export.Graph;
using Autoencoders.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Export.Modules;

/// <summary>
/// One <see cref="RecurrentLayer"/> as ONNX's LSTM or GRU operator on [length, batch, input] (ONNX's
/// default layout), its output Y [length, 1, batch, hidden] squeezed to [length, batch, hidden].
/// </summary>
/// <remarks>
/// libtorch and ONNX stack the gates' weights in different orders: an LSTM's as (input, forget, cell,
/// output) in libtorch and (input, output, forget, cell) in ONNX; a GRU's as (reset, update, new) and
/// (update, reset, hidden). libtorch's GRU applies the reset gate after the recurrent weights,
/// n = tanh(W_n x + b_Wn + r ⊙ (R_n h + b_Rn)), which is ONNX's linear_before_reset = 1.
/// </remarks>
internal sealed class RecurrentLayerExporter : ModuleExporter<RecurrentLayer>
{
    private static readonly int[] LstmOrder = [0, 3, 1, 2];
    private static readonly int[] GruOrder = [1, 0, 2];

    protected override string Export(RecurrentLayer module, string input, ExportContext context)
    {
        var (op, unit, order) = module.Cell switch
        {
            RecurrentCell.Lstm => ("LSTM", "lstm", LstmOrder),
            RecurrentCell.Gru => ("GRU", "gru", GruOrder),
            _ => throw new NotSupportedException($"ONNX export: {context.Path} has an unknown recurrent cell {module.Cell}."),
        };
        context.RequireChildren(module, unit);
        var parameters = module.Unit.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        string[] expected = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"];
        if (!parameters.Keys.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)))
        {
            throw new NotSupportedException(
                $"ONNX export: {context.Path}.{unit} has parameters [{string.Join(", ", parameters.Keys)}]; only a single-layer, single-direction layer with biases exports.");
        }

        string weights, recurrentWeights, biases;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            weights = context.Weight($"{unit}.W", Reordered(parameters["weight_ih_l0"], order).unsqueeze(0));
            recurrentWeights = context.Weight($"{unit}.R", Reordered(parameters["weight_hh_l0"], order).unsqueeze(0));
            biases = context.Weight($"{unit}.B", cat([Reordered(parameters["bias_ih_l0"], order), Reordered(parameters["bias_hh_l0"], order)], 0).unsqueeze(0));
        }

        var attributes = new List<Onnx.AttributeProto> { OnnxGraph.Attribute("hidden_size", (long)module.HiddenSize) };
        if (module.Cell == RecurrentCell.Gru)
        {
            attributes.Add(OnnxGraph.Attribute("linear_before_reset", 1L));
        }

        var sequence = context.Node(op, unit, [input, weights, recurrentWeights, biases], [.. attributes]);
        return context.Node("Squeeze", "squeeze", [sequence, context.Graph.Constant($"{context.Path}.direction_axis", [1L])]);
    }

    /// <summary>The gate blocks of a stacked weight or bias, in ONNX's order.</summary>
    private static Tensor Reordered(Tensor stacked, int[] order)
    {
        var gates = stacked.detach().chunk(order.Length, 0);
        return cat(order.Select(i => gates[i]).ToArray(), 0);
    }
}
