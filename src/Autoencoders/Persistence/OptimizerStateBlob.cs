using System.Buffers.Binary;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Persistence;

/// <summary>
/// An optimiser's state as stored in a checkpoint: TorchSharp's own binary form
/// (<c>save_state_dict(BinaryWriter)</c>). TorchSharp's reader takes tensor type codes and shapes from
/// the stream and hands them to libtorch, so before it sees the bytes they are walked here, field by
/// field, against the live optimiser: its type, its parameter groups and, for every state tensor, the
/// type and shape of the parameter it belongs to.
/// </summary>
/// <remarks>
/// The layout (TorchSharp 0.107): the optimiser's type name (a .NET string); the numbers of parameter
/// groups and of parameter states (LEB128); each group's options; each parameter's state. Tensors are
/// a LEB128 type code, rank and dimensions, then the raw data. Adam and AdamW options are the initial
/// and current learning rate, β1, β2, ε and weight decay (doubles), amsgrad and maximize (booleans);
/// their states a step (int64), the two moment tensors and, when amsgrad, a flag and the maximum. SGD
/// options are the two learning rates, momentum, dampening and weight decay, nesterov and maximize; its
/// state a flag and, once momentum has been used, the momentum buffer.
/// </remarks>
internal static class OptimizerStateBlob
{
    /// <summary>The optimiser's state, as bytes.</summary>
    public static byte[] Of(optim.Optimizer optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            Helper(optimizer).save_state_dict(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Restores a state written by <see cref="Of"/> into <paramref name="optimizer"/>, after checking its structure.</summary>
    /// <exception cref="ModelFileException">The bytes are not a state of this optimiser over these parameters.</exception>
    public static void Restore(string path, byte[] bytes, optim.Optimizer optimizer)
    {
        var helper = Helper(optimizer);
        try
        {
            Check(new Cursor(bytes), helper);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException(path, $"the checkpoint's optimiser state does not fit this run's optimiser: {e.Message}", e);
        }

        using var reader = new BinaryReader(new MemoryStream(bytes));
        helper.load_state_dict(reader);
    }

    private static OptimizerHelper Helper(optim.Optimizer optimizer) =>
        optimizer as OptimizerHelper ?? throw new NotSupportedException($"The optimiser {optimizer.GetType().Name} cannot save its state.");

    private static void Check(Cursor cursor, OptimizerHelper optimizer)
    {
        var kind = optimizer.GetType().Name;
        var optionDoubles = kind switch
        {
            nameof(Adam) or nameof(AdamW) => 6,
            nameof(SGD) => 5,
            _ => throw new InvalidDataException($"the state of a '{kind}' optimiser cannot be checked, so it is not restored."),
        };
        var stored = cursor.String();
        if (stored != kind)
        {
            throw new InvalidDataException($"it is the state of a '{stored}' optimiser; this run uses '{kind}'.");
        }

        var groups = optimizer.ParamGroups.Cast<ParamGroup>().Select(g => g.Parameters.ToArray()).ToArray();
        var groupCount = cursor.Leb128();
        var stateCount = cursor.Leb128();
        var parameterCount = groups.Sum(g => g.Length);
        if (groupCount != groups.Length || stateCount != parameterCount)
        {
            throw new InvalidDataException($"it has {groupCount} parameter groups and {stateCount} parameter states; this run has {groups.Length} and {parameterCount}.");
        }

        // Each group's options: doubles, then two flags; Adam's and AdamW's first flag is amsgrad.
        var amsgrad = new bool[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            cursor.Skip(optionDoubles * sizeof(double));
            amsgrad[g] = cursor.Boolean() && kind != nameof(SGD);
            cursor.Boolean();
        }

        for (var g = 0; g < groups.Length; g++)
        {
            foreach (var parameter in groups[g])
            {
                if (kind == nameof(SGD))
                {
                    OptionalTensor(cursor, parameter, "momentum buffer");
                    continue;
                }

                if (cursor.Int64() < 0)
                {
                    throw new InvalidDataException("a parameter's step count is negative.");
                }

                Tensor(cursor, parameter, "first moment");
                Tensor(cursor, parameter, "second moment");
                if (OptionalTensor(cursor, parameter, "maximum second moment") != amsgrad[g])
                {
                    throw new InvalidDataException("a parameter's maximum second moment is present exactly when amsgrad is on, and here it is not.");
                }
            }
        }

        if (!cursor.AtEnd)
        {
            throw new InvalidDataException("bytes follow the last parameter state.");
        }
    }

    private static bool OptionalTensor(Cursor cursor, Parameter parameter, string what)
    {
        var present = cursor.Boolean();
        if (present)
        {
            Tensor(cursor, parameter, what);
        }

        return present;
    }

    /// <summary>Checks that a stored tensor has the parameter's type and shape, and skips its data.</summary>
    private static void Tensor(Cursor cursor, Parameter parameter, string what)
    {
        var type = cursor.Leb128();
        var rank = cursor.Leb128();
        var shape = parameter.shape;
        if (type != (long)parameter.dtype || rank != shape.Length)
        {
            throw new InvalidDataException($"a {what} has type code {type} and rank {rank}; its parameter is {parameter.dtype} of rank {shape.Length}.");
        }

        foreach (var d in shape)
        {
            if (cursor.Leb128() != d)
            {
                throw new InvalidDataException($"a {what} does not have its parameter's shape [{string.Join(", ", shape)}].");
            }
        }

        cursor.Skip(parameter.numel() * parameter.ElementSize);
    }

    /// <summary>Reads the primitive fields of the stream without ever reading past its end.</summary>
    private sealed class Cursor(byte[] bytes)
    {
        private int position;

        public bool AtEnd => position == bytes.Length;

        public void Skip(long count)
        {
            if (count < 0 || count > bytes.Length - position)
            {
                throw new InvalidDataException("it ends in the middle of a field.");
            }

            position += (int)count;
        }

        public bool Boolean() => Take(1)[0] switch
        {
            0 => false,
            1 => true,
            var b => throw new InvalidDataException($"a flag has the value {b}."),
        };

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

        /// <summary>An unsigned LEB128 number of at most 63 bits, as TorchSharp writes counts, type codes and dimensions.</summary>
        public long Leb128()
        {
            long value = 0;
            for (var shift = 0; shift < 63; shift += 7)
            {
                var b = Take(1)[0];
                value |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value >= 0 ? value : throw new InvalidDataException("a count is out of range.");
                }
            }

            throw new InvalidDataException("a count is longer than 63 bits.");
        }

        /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> writes it: a 7-bit encoded length, then UTF-8.</summary>
        public string String()
        {
            var length = Leb128();
            if (length > 256)
            {
                throw new InvalidDataException($"the optimiser's name is {length} bytes long.");
            }

            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take((int)length));
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataException("the optimiser's name is not UTF-8.", e);
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            var start = position;
            Skip(count);
            return bytes.AsSpan(start, count);
        }
    }
}
