using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Native;

/// <summary>
/// The tensor operations the library does with a number, each holding its <see cref="Scalar"/> until libtorch
/// has returned. This is the only place in the library that creates a <see cref="Scalar"/>.
/// </summary>
/// <remarks>
/// <para>In TorchSharp 0.107 a number passed where a <see cref="Scalar"/> is expected (<c>x * 0.5</c>,
/// <c>x.clamp_min(0)</c>, and even <c>a + b</c> of two tensors, which passes an alpha of 1) becomes a temporary
/// Scalar that nothing refers to once its native handle has been read. A collection started on another thread
/// during the native call lets the finaliser free the native scalar while libtorch still reads it: the call
/// fails ("Expected false to be true … toFloat at Scalar.h:140", "Unknown scalar type") or, if the memory has
/// been reused, computes with another number. Here every Scalar is either disposed after the call (a
/// <c>using</c> keeps it reachable until then) or a static that lives as long as the process.</para>
/// <para>Each method makes exactly the libtorch call that TorchSharp's operator or convenience overload makes,
/// with a Scalar of the same type (an integral number stays integral), so results are bit-identical.
/// <c>tests/…/Architecture/TemporaryScalarTests.cs</c> keeps other code from creating Scalars.</para>
/// </remarks>
internal static class TensorMath
{
    // The alpha TorchSharp passes to add (an integral 1) and the exponent of square (an integral 2).
    private static readonly Scalar One = 1.ToScalar();
    private static readonly Scalar Two = 2.ToScalar();

    /// <summary><paramref name="a"/> + <paramref name="b"/> (TorchSharp's <c>a + b</c>).</summary>
    public static Tensor Add(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><paramref name="a"/> + <paramref name="b"/>.</summary>
    public static Tensor Add(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.add(s, One);
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/>, for integral tensors.</summary>
    public static Tensor Add(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.add(s, One);
    }

    /// <summary><paramref name="a"/> + <paramref name="alpha"/>·<paramref name="b"/>.</summary>
    public static Tensor Add(this Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add(b, s);
    }

    /// <summary><paramref name="a"/> += <paramref name="b"/>.</summary>
    public static Tensor AddInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><paramref name="a"/> += <paramref name="alpha"/>·<paramref name="b"/>.</summary>
    public static Tensor AddInPlace(this Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add_(b, s);
    }

    /// <summary><paramref name="a"/> += <paramref name="b"/>.</summary>
    public static Tensor AddInPlace(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.add_(s, One);
    }

    /// <summary><paramref name="a"/> += <paramref name="b"/>, for integral tensors.</summary>
    public static Tensor AddInPlace(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.add_(s, One);
    }

    /// <summary><paramref name="a"/> − <paramref name="b"/>.</summary>
    public static Tensor Sub(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.sub(s);
    }

    /// <summary><paramref name="a"/> − <paramref name="b"/>, for integral tensors.</summary>
    public static Tensor Sub(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.sub(s);
    }

    /// <summary><paramref name="a"/> − <paramref name="t"/> (TorchSharp's <c>a - t</c>: −t + a).</summary>
    public static Tensor SubtractedFrom(this Tensor t, double a)
    {
        using var s = a.ToScalar();
        return t.negative().add(s, One);
    }

    /// <summary><paramref name="a"/> − <paramref name="t"/>, an integral <paramref name="a"/> (TorchSharp's <c>1 - t</c>).</summary>
    public static Tensor SubtractedFrom(this Tensor t, long a)
    {
        using var s = a.ToScalar();
        return t.negative().add(s, One);
    }

    /// <summary><paramref name="a"/> · <paramref name="b"/>.</summary>
    public static Tensor Mul(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.mul(s);
    }

    /// <summary><paramref name="a"/> · <paramref name="b"/>, for integral tensors.</summary>
    public static Tensor Mul(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.mul(s);
    }

    /// <summary><paramref name="a"/> ·= <paramref name="b"/>.</summary>
    public static Tensor MulInPlace(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.mul_(s);
    }

    /// <summary><paramref name="a"/> += <paramref name="value"/>·<paramref name="t1"/>·<paramref name="t2"/>.</summary>
    public static Tensor AddcmulInPlace(this Tensor a, Tensor t1, Tensor t2, double value)
    {
        using var s = value.ToScalar();
        return a.addcmul_(t1, t2, s);
    }

    /// <summary><paramref name="a"/> += <paramref name="value"/>·<paramref name="t1"/>/<paramref name="t2"/>.</summary>
    public static Tensor AddcdivInPlace(this Tensor a, Tensor t1, Tensor t2, double value)
    {
        using var s = value.ToScalar();
        return a.addcdiv_(t1, t2, s);
    }

    /// <summary><paramref name="a"/> / <paramref name="b"/>.</summary>
    public static Tensor Div(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.div(s);
    }

    /// <summary><paramref name="a"/> /= <paramref name="b"/>.</summary>
    public static Tensor DivInPlace(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.div_(s);
    }

    /// <summary><paramref name="a"/> / <paramref name="b"/>, an integral divisor (a count).</summary>
    public static Tensor Div(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.div(s);
    }

    /// <summary><paramref name="a"/> / <paramref name="t"/> (TorchSharp's <c>a / t</c>: (1/t)·a).</summary>
    public static Tensor DividedInto(this Tensor t, double a)
    {
        using var s = a.ToScalar();
        return t.reciprocal().mul(s);
    }

    /// <summary><paramref name="t"/>² (TorchSharp's <c>square()</c>: <c>pow(2)</c>).</summary>
    public static Tensor Square(this Tensor t) => t.pow(Two);

    /// <summary><paramref name="t"/>² in place.</summary>
    public static Tensor SquareInPlace(this Tensor t) => t.pow_(Two);

    /// <summary><paramref name="t"/> clamped to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor Clamp(this Tensor t, double min, double max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return t.clamp(low, high);
    }

    /// <summary><paramref name="t"/> clamped below at <paramref name="min"/>, for integral tensors.</summary>
    public static Tensor ClampMin(this Tensor t, long min)
    {
        using var s = min.ToScalar();
        return t.clamp_min(s);
    }

    /// <summary><paramref name="t"/> clamped below at <paramref name="min"/>, in place.</summary>
    public static Tensor ClampMinInPlace(this Tensor t, long min)
    {
        using var s = min.ToScalar();
        return t.clamp_min_(s);
    }

    /// <summary>Where <paramref name="t"/> = <paramref name="value"/>.</summary>
    public static Tensor Eq(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.eq(s);
    }

    /// <summary>Where <paramref name="t"/> ≠ <paramref name="value"/>.</summary>
    public static Tensor Ne(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.ne(s);
    }

    /// <summary>Where <paramref name="t"/> &gt; <paramref name="value"/>.</summary>
    public static Tensor Gt(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.gt(s);
    }

    /// <summary>Where <paramref name="t"/> &gt; <paramref name="value"/>, for integral tensors.</summary>
    public static Tensor Gt(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.gt(s);
    }

    /// <summary>Where <paramref name="t"/> ≥ <paramref name="value"/>.</summary>
    public static Tensor Ge(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.ge(s);
    }

    /// <summary>Where <paramref name="t"/> &lt; <paramref name="value"/>.</summary>
    public static Tensor Lt(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.lt(s);
    }

    /// <summary><paramref name="t"/> with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor MaskedFill(this Tensor t, Tensor mask, double value)
    {
        using var s = value.ToScalar();
        return t.masked_fill(mask, s);
    }

    /// <summary>Fills <paramref name="t"/> with <paramref name="value"/>.</summary>
    public static Tensor FillInPlace(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.fill_(s);
    }

    /// <summary>0, 1, …, <paramref name="count"/> − 1 as int64 on the CPU (TorchSharp's <c>arange(count, dtype: Int64)</c>).</summary>
    public static Tensor Arange(long count)
    {
        using var start = 0L.ToScalar();
        using var stop = count.ToScalar();
        return arange(start, stop, One, ScalarType.Int64);
    }

    /// <summary>max(x, 0) + <paramref name="negativeSlope"/>·min(x, 0) (TorchSharp's <c>leaky_relu(slope)</c>).</summary>
    public static Tensor LeakyRelu(this Tensor t, double negativeSlope)
    {
        using var s = negativeSlope.ToScalar();
        return t.leaky_relu(s);
    }

    /// <summary>x for x &gt; 0, <paramref name="alpha"/>·(eˣ − 1) otherwise (TorchSharp's <c>elu(alpha)</c>: scale and input scale 1.0).</summary>
    public static Tensor Elu(this Tensor t, double alpha)
    {
        using var a = alpha.ToScalar();
        using var scale = 1.0.ToScalar();
        using var inputScale = 1.0.ToScalar();
        return t.elu(a, scale, inputScale);
    }
}
