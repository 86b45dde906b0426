namespace Autoencoders.Benchmarks;

/// <summary>
/// Groups the functions a sampling profiler caught the CPU in (the innermost frame: symbol and library)
/// into the kinds of work B1's profile reports, so that the library and the hand-written loop can be
/// compared kind by kind.
/// </summary>
internal static class SymbolCategory
{
    public const string MatrixProducts = "matrix products (MKL SGEMM)";
    public const string SquareRoot = "square root (MKL VML; Adam's denominator)";
    public const string AdamUpdate = "Adam's other update kernels (addcmul, addcdiv, fused Adam)";
    public const string Arithmetic = "elementwise add, mul, div (moments, biases, scatter-add of patches)";
    public const string Copies = "copies (patch extraction, padding, layout changes)";
    public const string NativeConvolution = "libtorch's own convolution (im2col, col2im)";
    public const string Fills = "fills (zeroed buffers and gradients)";
    public const string ActivationsAndLoss = "activations and loss (ReLU, sigmoid, MSE, sums)";
    public const string OpenMpWait = "OpenMP threads waiting (barriers, spinning)";
    public const string Kernel = "Linux kernel (page faults on fresh memory, system calls)";
    public const string Allocator = "memory allocator (malloc, free)";
    public const string Dispatch = "libtorch dispatch and autograd bookkeeping";
    public const string Managed = ".NET runtime, TorchSharp and managed code";
    public const string Other = "other";

    /// <summary>The categories in the order the report lists them.</summary>
    public static readonly string[] All =
    [
        MatrixProducts, SquareRoot, AdamUpdate, Arithmetic, Copies, NativeConvolution, Fills, ActivationsAndLoss,
        OpenMpWait, Kernel, Allocator, Dispatch, Managed, Other,
    ];

    /// <summary>The category of a sample whose innermost frame is <paramref name="symbol"/> in <paramref name="library"/>.</summary>
    public static string Of(string symbol, string library)
    {
        bool Has(string part) => symbol.Contains(part, StringComparison.Ordinal);

        if (library.Contains("libgomp", StringComparison.Ordinal))
        {
            return OpenMpWait;
        }

        if (library.Contains("kernel.kallsyms", StringComparison.Ordinal))
        {
            return Kernel;
        }

        if (Has("gemm"))
        {
            return MatrixProducts;
        }

        if (Has("Sqrt") || Has("sqrt"))
        {
            return SquareRoot;
        }

        if (Has("addcdiv") || Has("addcmul") || Has("fused_adam") || Has("FusedAdam") || Has("adam_"))
        {
            return AdamUpdate;
        }

        if (Has("im2col") || Has("col2im") || Has("slow_conv"))
        {
            return NativeConvolution;
        }

        if (Has("mul_kernel") || Has("add_kernel") || Has("add_clamp") || Has("div_true") || Has("div_trunc") || Has("div_floor"))
        {
            return Arithmetic;
        }

        if (Has("copy") || Has("memmove") || Has("memcpy") || Has("unfold"))
        {
            return Copies;
        }

        if (Has("fill") || Has("memset") || Has("zero_"))
        {
            return Fills;
        }

        if (Has("threshold") || Has("clamp") || Has("sigmoid") || Has("Sleef") || Has("mse") || Has("sum") || Has("reduce"))
        {
            return ActivationsAndLoss;
        }

        if (Has("malloc") || Has("free") || Has("_int_") || Has("alloc"))
        {
            return Allocator;
        }

        if (library.Contains("libtorch", StringComparison.Ordinal) || library.Contains("libc10", StringComparison.Ordinal))
        {
            return Dispatch;
        }

        if (library.Contains("coreclr", StringComparison.Ordinal) || library.Contains("clrjit", StringComparison.Ordinal)
            || library.Contains("doublemapper", StringComparison.Ordinal) || library.Contains("TorchSharp", StringComparison.Ordinal)
            || library.Contains("System.", StringComparison.Ordinal) || library.StartsWith("/tmp/perf-", StringComparison.Ordinal))
        {
            return Managed;
        }

        return Other;
    }
}
