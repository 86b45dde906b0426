using Autoencoders.Model;
using Autoencoders.Native;
using Autoencoders.Tests.Support;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autoencoders.Tests.Architecture;

/// <summary>
/// Keeps the library free of temporary <c>TorchSharp.Scalar</c>s (docs/reliability.md, "Temporary Scalars and tensors"):
/// a Scalar that only an argument refers to can be finalised by a collection started on another thread while
/// libtorch still reads it. The IL of the library is read with Mono.Cecil: no method may create a Scalar except
/// in <see cref="TensorMath"/>; none may call a TorchSharp member that creates one (found the same way in
/// TorchSharp's own IL, through every member it calls); and none may create a TorchSharp object whose virtual
/// methods (a module's <c>forward</c>, an optimiser's <c>step</c>) create one, unless it overrides them all.
/// </summary>
public sealed class TemporaryScalarTests
{
    /// <summary>
    /// TorchSharp's optimisers hold the learning rate, the options and the state a checkpoint saves; the
    /// trainer's <c>Training.FlatOptimizer</c> creates them but steps them with <c>Training.OptimizerStep</c>'s
    /// arithmetic, and never calls their step.
    /// </summary>
    private static readonly string[] StateOnlyOptimizers = ["TorchSharp.Modules.Adam", "TorchSharp.Modules.AdamW", "TorchSharp.Modules.SGD"];

    private static readonly Lazy<TorchSharpScalars> Torch = new(() => new TorchSharpScalars(typeof(TorchSharp.torch).Assembly.Location));

    [Fact]
    public void The_library_passes_no_temporary_Scalar_to_TorchSharp()
    {
        var violations = new List<string>();
        foreach (var assembly in new[] { typeof(Autoencoder).Assembly, typeof(Autoencoders.MLNet.AutoencoderCatalog).Assembly, typeof(Autoencoders.Cli.CliApp).Assembly, typeof(TemporaryScalarTests).Assembly })
        {
            using var module = ModuleDefinition.ReadModule(assembly.Location, new ReaderParameters { AssemblyResolver = Torch.Value.Resolver });
            foreach (var method in module.GetTypes().Where(t => !ComparesWithTorchSharp(t)).SelectMany(t => t.Methods).Where(m => m.HasBody))
            {
                foreach (var target in method.Body.Instructions.Select(i => i.Operand).OfType<MethodReference>().Where(Torch.Value.IsTorchSharp))
                {
                    if (Torch.Value.Problem(target, method) is { } problem)
                    {
                        violations.Add($"{method.DeclaringType.FullName}::{method.Name} {problem}");
                    }
                }
            }
        }

        violations.Distinct().Should().BeEmpty(
            "a Scalar must outlive the native call it is passed to: use TensorMath's methods (which hold theirs), or a module of the library's own. Found:\n{0}",
            string.Join("\n", violations.Distinct().Order()));
    }

    /// <summary>Whether the type, or a type it is nested in (a lambda's closure), compares with TorchSharp's own code on purpose.</summary>
    private static bool ComparesWithTorchSharp(TypeDefinition? type) =>
        type is not null && (type.CustomAttributes.Any(a => a.AttributeType.Name == nameof(ComparesWithTorchSharpAttribute)) || ComparesWithTorchSharp(type.DeclaringType));

    [Fact]
    public void The_check_finds_what_TorchSharp_passes_as_temporary_Scalars()
    {
        // The members behind the failures this test guards against; if the analysis stops seeing them, it is broken.
        var torch = Torch.Value;

        torch.Racy("TorchSharp.torch/Tensor", "add", "TorchSharp.torch/Tensor").Should().BeTrue("a + b passes an alpha of 1");
        torch.Racy("TorchSharp.torch/Tensor", "mul", "TorchSharp.torch/Tensor").Should().BeFalse("a * b passes no Scalar");
        torch.Racy("TorchSharp.Modules.Adam", "step", "System.Func`1<TorchSharp.torch/Tensor>").Should().BeTrue();
        torch.Racy("TorchSharp.Modules.BatchNorm", "forward", "TorchSharp.torch/Tensor").Should().BeTrue();
        torch.Racy("TorchSharp.Modules.LeakyReLU", "forward", "TorchSharp.torch/Tensor").Should().BeTrue();
        torch.Racy("TorchSharp.Modules.Linear", "forward", "TorchSharp.torch/Tensor").Should().BeFalse();
    }

    /// <summary>Which TorchSharp members create Scalars, directly or through the members they call.</summary>
    private sealed class TorchSharpScalars
    {
        private readonly ModuleDefinition torchSharp;
        private readonly HashSet<string> racy;

        public TorchSharpScalars(string path)
        {
            var resolver = new DefaultAssemblyResolver();
            resolver.AddSearchDirectory(Path.GetDirectoryName(path)!);
            resolver.AddSearchDirectory(AppContext.BaseDirectory);
            Resolver = resolver;
            torchSharp = resolver.Resolve(AssemblyNameReference.Parse(typeof(TorchSharp.torch).Assembly.FullName!)).MainModule;

            // A member is racy if it creates a Scalar (and is not itself a way to create one), or calls,
            // constructs or takes the address of a racy member.
            var callers = new Dictionary<string, List<MethodDefinition>>();
            var pending = new Queue<MethodDefinition>();
            foreach (var method in torchSharp.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody && !CreatesScalar(m)))
            {
                var callees = method.Body.Instructions
                    .Where(i => i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn)
                    .Select(i => ((MethodReference)i.Operand).Resolve())
                    .Where(m => m is not null && m.Module == torchSharp)
                    .ToList();
                if (callees.Any(CreatesScalar))
                {
                    pending.Enqueue(method);
                }

                foreach (var callee in callees)
                {
                    (callers.TryGetValue(callee.FullName, out var list) ? list : callers[callee.FullName] = []).Add(method);
                }
            }

            racy = [.. pending.Select(m => m.FullName)];
            while (pending.TryDequeue(out var method))
            {
                foreach (var caller in callers.GetValueOrDefault(method.FullName, []).Where(c => racy.Add(c.FullName)))
                {
                    pending.Enqueue(caller);
                }
            }
        }

        public IAssemblyResolver Resolver { get; }

        public bool IsTorchSharp(MethodReference reference) => reference.DeclaringType.Scope.Name.StartsWith("TorchSharp", StringComparison.Ordinal);

        /// <summary>Whether the TorchSharp method of that type, name and parameter types is racy.</summary>
        public bool Racy(string type, string name, params string[] parameters)
        {
            var methods = torchSharp.GetType(type).Methods.Where(m => m.Name == name && m.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(parameters)).ToList();
            methods.Should().ContainSingle($"TorchSharp has one {type}::{name}({string.Join(", ", parameters)})");
            return racy.Contains(methods[0].FullName);
        }

        /// <summary>What is wrong with <paramref name="caller"/> calling <paramref name="reference"/>, or null.</summary>
        public string? Problem(MethodReference reference, MethodDefinition caller)
        {
            var method = reference.Resolve();
            if (method is null)
            {
                return null;
            }

            if (CreatesScalar(method))
            {
                return caller.DeclaringType.FullName == typeof(TensorMath).FullName ? null : $"creates a Scalar ({Name(method)}); use TensorMath";
            }

            if (IsOptimizerStep(method))
            {
                return $"steps a TorchSharp optimiser ({Name(method)}); use Training.FlatOptimizer";
            }

            if (racy.Contains(method.FullName))
            {
                return $"calls {Name(method)}, which passes a temporary Scalar";
            }

            // A constructor called with `call` from a constructor is the base constructor of the caller's own type.
            var isBaseCall = method.IsConstructor && caller.IsConstructor && caller.DeclaringType.BaseType?.Resolve()?.FullName == method.DeclaringType.FullName;
            var created = method.IsConstructor ? method.DeclaringType : method.ReturnType.Resolve();
            if (created is null || StateOnlyOptimizers.Contains(created.FullName))
            {
                return null;
            }

            var unsafeVirtual = RacyVirtuals(created).FirstOrDefault(v => !isBaseCall || !Overrides(caller.DeclaringType, v));
            return unsafeVirtual is null ? null : $"creates a {created.Name}, whose {Name(unsafeVirtual)} passes a temporary Scalar";
        }

        private IEnumerable<MethodDefinition> RacyVirtuals(TypeDefinition type)
        {
            for (var t = type; t is not null && t.Module.Assembly.Name.Name == torchSharp.Assembly.Name.Name; t = t.BaseType?.Resolve())
            {
                foreach (var m in t.Methods.Where(m => m.IsVirtual && racy.Contains(m.FullName)))
                {
                    yield return m;
                }
            }
        }

        private static bool Overrides(TypeDefinition type, MethodDefinition method) =>
            type.Methods.Any(m => m.IsVirtual && m.Name == method.Name &&
                m.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(method.Parameters.Select(p => p.ParameterType.FullName)));

        private static bool IsOptimizerStep(MethodDefinition method)
        {
            if (method.Name != "step")
            {
                return false;
            }

            for (var t = method.DeclaringType; t is not null; t = t.BaseType?.Resolve())
            {
                if (t.FullName == "TorchSharp.torch/optim/Optimizer")
                {
                    return true;
                }
            }

            return false;
        }

        private static bool CreatesScalar(MethodDefinition method) =>
            method.ReturnType.FullName == "TorchSharp.Scalar" || (method.IsConstructor && method.DeclaringType.FullName == "TorchSharp.Scalar");

        private static string Name(MethodDefinition method) => $"{method.DeclaringType.Name}::{method.Name}";
    }
}
