using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Native;

/// <summary>
/// libtorch's fused Adam and AdamW updates (<c>torch._fused_adam_</c>, <c>torch._fused_adamw_</c>: one pass
/// over parameters, gradients and both moments), which TorchSharp does not expose, called through the
/// operators' C++ entry points.
/// </summary>
/// <remarks>
/// The entry points take six <c>c10::ArrayRef&lt;at::Tensor&gt;</c> by value (a pointer and a length: on
/// x86-64 System V, two integer registers or sixteen bytes of stack, which .NET's interop classifies the
/// same way), five doubles, two <c>bool</c>s and two <c>const std::optional&lt;at::Tensor&gt;&amp;</c>. An
/// <c>at::Tensor</c> is one pointer to its <c>TensorImpl</c>, which is also the first field of the
/// <c>at::Tensor</c> a TorchSharp handle points to, so an array of those pointers is an array of borrowed
/// tensors. A C++ exception cannot cross into .NET, so every precondition the kernel checks is checked
/// here first. Linux x86-64 only; elsewhere <see cref="IsAvailable"/> is false.
/// </remarks>
internal static unsafe partial class FusedAdam
{
    private const string Library = "libtorch_cpu";
    private static readonly Lazy<bool> Available = new(Probe);

    /// <summary>Whether the fused kernels can be called in this process.</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>
    /// One Adam (or, when <paramref name="decoupled"/>, AdamW) update of <paramref name="parameters"/> in
    /// place, with its moments; <paramref name="step"/> is a one-element float32 tensor holding the step
    /// number (already incremented), as the kernel reads it.
    /// </summary>
    /// <exception cref="ArgumentException">The tensors are not contiguous float32 CPU tensors of one size.</exception>
    public static void Step(Tensor parameters, Tensor gradients, Tensor expAvg, Tensor expAvgSq, Tensor step, double lr, double beta1, double beta2, double weightDecay, double eps, bool decoupled)
    {
        Tensor[] same = [parameters, gradients, expAvg, expAvgSq];
        if (same.Any(t => t.dtype != ScalarType.Float32 || t.device_type != DeviceType.CPU || !t.is_contiguous() || t.numel() != parameters.numel())
            || step.dtype != ScalarType.Float32 || step.device_type != DeviceType.CPU || step.numel() != 1)
        {
            throw new ArgumentException("The fused Adam update takes contiguous float32 CPU tensors of one size and a one-element float32 step.");
        }

        var impls = stackalloc IntPtr[5];
        impls[0] = Impl(parameters);
        impls[1] = Impl(gradients);
        impls[2] = Impl(expAvg);
        impls[3] = Impl(expAvgSq);
        impls[4] = Impl(step);
        var none = stackalloc long[2]; // a disengaged std::optional<at::Tensor>: the pointer, then the flag
        none[0] = 0;
        none[1] = 0;
        var empty = new TensorList(IntPtr.Zero, 0);
        if (decoupled)
        {
            Itanium.FusedAdamW(One(impls, 0), One(impls, 1), One(impls, 2), One(impls, 3), empty, One(impls, 4), lr, beta1, beta2, weightDecay, eps, 0, 0, (IntPtr)none, (IntPtr)none);
        }
        else
        {
            Itanium.FusedAdam(One(impls, 0), One(impls, 1), One(impls, 2), One(impls, 3), empty, One(impls, 4), lr, beta1, beta2, weightDecay, eps, 0, 0, (IntPtr)none, (IntPtr)none);
        }

        GC.KeepAlive(same);
        GC.KeepAlive(step);
    }

    private static TensorList One(IntPtr* impls, int index) => new((IntPtr)(impls + index), 1);

    /// <summary>The <c>TensorImpl*</c> inside the <c>at::Tensor</c> a TorchSharp handle points to.</summary>
    private static IntPtr Impl(Tensor tensor) => *(IntPtr*)tensor.Handle;

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return false;
        }

        try
        {
            Marshal.Prelink(typeof(Itanium).GetMethod(nameof(Itanium.FusedAdam))!);
            Marshal.Prelink(typeof(Itanium).GetMethod(nameof(Itanium.FusedAdamW))!);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>A <c>c10::ArrayRef&lt;at::Tensor&gt;</c>: the first element and the count.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TensorList(IntPtr Data, nint Length);

    private static partial class Itanium
    {
        [LibraryImport(Library, EntryPoint = "_ZN2at4_ops12_fused_adam_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_")]
        public static partial void FusedAdam(
            TensorList parameters, TensorList gradients, TensorList expAvgs, TensorList expAvgSqs, TensorList maxExpAvgSqs, TensorList steps,
            double lr, double beta1, double beta2, double weightDecay, double eps, byte amsgrad, byte maximize, IntPtr gradScale, IntPtr foundInf);

        [LibraryImport(Library, EntryPoint = "_ZN2at4_ops13_fused_adamw_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_")]
        public static partial void FusedAdamW(
            TensorList parameters, TensorList gradients, TensorList expAvgs, TensorList expAvgSqs, TensorList maxExpAvgSqs, TensorList steps,
            double lr, double beta1, double beta2, double weightDecay, double eps, byte amsgrad, byte maximize, IntPtr gradScale, IntPtr foundInf);
    }
}
