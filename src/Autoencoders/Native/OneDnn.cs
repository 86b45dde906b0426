using System.Runtime.InteropServices;

namespace Autoencoders.Native;

/// <summary>
/// Switches libtorch's oneDNN (MKL-DNN) and NNPACK CPU kernels off for the process.
/// </summary>
/// <remarks>
/// On the machines we test on (x86-64, libtorch 2.10.0 as shipped in TorchSharp-cpu 0.107.0), oneDNN's
/// float32 transposed convolution returns wrong values that change from call to call (errors of 0.1–0.8
/// against a float64 or naive reference in about one call in six), and gradients through convolutions
/// disagreed with float64 in 19 of 30 random cases; with oneDNN off, libtorch's native kernels agreed in
/// every case and trained the benchmark convolutional network faster. The library therefore turns
/// oneDNN off when it first initialises libtorch. Set the environment variable
/// <c>AUTOENCODERS_ONEDNN=1</c> to keep it on. With oneDNN off, libtorch tries NNPACK for convolutions
/// and, on processors NNPACK does not support (such as ours), prints "Could not initialize NNPACK!" on
/// every convolution before falling back; NNPACK is therefore switched off too (set
/// <c>AUTOENCODERS_NNPACK=1</c> to keep it), which leaves libtorch's own im2col + GEMM kernels — the
/// ones the regression test checks against float64. libtorch exposes these switches only as C++
/// member functions (<c>at::globalContext().setUserEnabledMkldnn(bool)</c>, <c>setUserEnabledNNPACK</c>),
/// so they are called through their mangled names.
/// </remarks>
internal static partial class OneDnn
{
    private const string Library = "libtorch_cpu";

    /// <summary>Whether oneDNN kernels are enabled in libtorch, or null when the switch cannot be reached.</summary>
    public static bool? Enabled
    {
        get
        {
            try
            {
                return Itanium.UserEnabledMkldnn(Itanium.GlobalContext());
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }
    }

    /// <summary>Whether NNPACK kernels are enabled in libtorch, or null when the switch cannot be reached.</summary>
    public static bool? NnpackEnabled
    {
        get
        {
            try
            {
                return Itanium.UserEnabledNnpack(Itanium.GlobalContext());
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Turns oneDNN off unless <c>AUTOENCODERS_ONEDNN=1</c>, and NNPACK unless <c>AUTOENCODERS_NNPACK=1</c>;
    /// returns whether oneDNN is now off.
    /// </summary>
    public static bool DisableUnlessRequested()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            var context = Itanium.GlobalContext();
            if (Environment.GetEnvironmentVariable("AUTOENCODERS_NNPACK") != "1")
            {
                Itanium.SetUserEnabledNnpack(context, false);
            }

            if (Environment.GetEnvironmentVariable("AUTOENCODERS_ONEDNN") == "1")
            {
                return false;
            }

            Itanium.SetUserEnabledMkldnn(context, false);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The Itanium C++ ABI names (Linux, macOS): a member function takes <c>this</c> as its first argument.</summary>
    private static partial class Itanium
    {
        [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
        public static partial IntPtr GlobalContext();

        [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
        public static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static partial bool UserEnabledMkldnn(IntPtr context);

        [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
        public static partial void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static partial bool UserEnabledNnpack(IntPtr context);
    }
}
