using System.Runtime.InteropServices;

namespace Autoencoders.Native;

/// <summary>
/// Switches libtorch's oneDNN (MKL-DNN) CPU kernels off for the process.
/// </summary>
/// <remarks>
/// On the machines we test on (x86-64, libtorch 2.10.0 as shipped in TorchSharp-cpu 0.107.0), oneDNN's
/// float32 transposed convolution returns wrong values that change from call to call (errors of 0.1–0.8
/// against a float64 or naive reference in about one call in six), and gradients through convolutions
/// disagreed with float64 in 19 of 30 random cases; with oneDNN off, libtorch's native kernels agreed in
/// every case and trained the benchmark convolutional network faster. The library therefore turns
/// oneDNN off when it first initialises libtorch. Set the environment variable
/// <c>AUTOENCODERS_ONEDNN=1</c> to keep it on. libtorch exposes the switch only as a C++ member function
/// (<c>at::globalContext().setUserEnabledMkldnn(bool)</c>), so it is called through its mangled name.
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

    /// <summary>Turns oneDNN off unless <c>AUTOENCODERS_ONEDNN=1</c>; returns whether it is now off.</summary>
    public static bool DisableUnlessRequested()
    {
        if (Environment.GetEnvironmentVariable("AUTOENCODERS_ONEDNN") == "1" || OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            Itanium.SetUserEnabledMkldnn(Itanium.GlobalContext(), false);
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
    }
}
