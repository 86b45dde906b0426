namespace Autoencoders.Applications;

/// <summary>The upper tail of the standard normal distribution, Q(z) = P(Z &gt; z) = ½·erfc(z/√2), on a log scale so that
/// far tails (Q far below 10⁻³⁰⁰) stay finite.</summary>
internal static class NormalTail
{
    private static readonly double LogSqrtPi = 0.5 * Math.Log(Math.PI);

    /// <summary>log₁₀ Q(z), accurate to about 1e-13 relative for every finite z.</summary>
    public static double Log10UpperTail(double z) => LogUpperTail(z) / Math.Log(10);

    /// <summary>ln Q(z).</summary>
    public static double LogUpperTail(double z)
    {
        if (z < 0)
        {
            return Math.Log(1 - Math.Exp(LogUpperTail(-z)));
        }

        var x = z / Math.Sqrt(2);
        return x < 2
            ? Math.Log(0.5 * (1 - Erf(x)))
            : Math.Log(0.5) - (x * x) - LogSqrtPi - Math.Log(ContinuedFraction(x));
    }

    /// <summary>erf by its Maclaurin series (used for 0 ≤ x &lt; 2, where it converges quickly).</summary>
    private static double Erf(double x)
    {
        double sum = x, term = x, squared = x * x;
        for (var k = 1; k < 200; k++)
        {
            term *= -squared / k;
            var next = term / ((2 * k) + 1);
            sum += next;
            if (Math.Abs(next) < 1e-17 * Math.Abs(sum))
            {
                break;
            }
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>
    /// The continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))), for which
    /// erfc(x) = e^(−x²) / (√π · fraction); evaluated by the modified Lentz method (x ≥ 2).
    /// </summary>
    private static double ContinuedFraction(double x)
    {
        const double Tiny = 1e-300;
        double value = x, c = x, d = 0;
        for (var k = 1; k < 500; k++)
        {
            var a = k / 2.0;
            d = x + (a * d);
            d = Math.Abs(d) < Tiny ? 1 / Tiny : 1 / d;
            c = x + (a / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            var delta = c * d;
            value *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return value;
    }
}
