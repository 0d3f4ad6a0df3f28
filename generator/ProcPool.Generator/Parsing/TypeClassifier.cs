using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ProcPool.Generator.Model;

namespace ProcPool.Generator.Parsing;

/// <summary>
/// Decides whether a type can cross a process boundary and, if so, how it is encoded. The generator emits codecs
/// from its answer and the analyzer reports diagnostics from the same answer, so what compiles serializes.
/// </summary>
/// <remarks>
/// One classification walks the type and everything inside it (members, elements, union cases), consulting the
/// unpicklable catalogue for every type it visits. The first rule that matches decides a type:
/// the catalogue (never); <c>object</c>/<c>dynamic</c> (open); the primitives and known framework values; strings;
/// enums; <c>Nullable&lt;T&gt;</c>; arrays; the known collections and collection interfaces; unmanaged structs
/// (blitted); <c>[PoolUnion]</c> types; other interfaces and abstract classes (open); other framework types (not
/// encodable); and finally user classes, records and structs, through their members and a constructor.
/// </remarks>
internal sealed class TypeClassifier
{
    private readonly IAssemblySymbol? _within;
    private readonly Dictionary<ITypeSymbol, Answer> _done = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ITypeSymbol> _visiting = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<string, CodecTypeModel> _definitions = new(System.StringComparer.Ordinal);

    private TypeClassifier(IAssemblySymbol? within) => _within = within;

    /// <summary>Classifies a type as seen from its own compilation (internal types and members count as reachable).</summary>
    public static Classification Classify(ITypeSymbol type) => Classify(type, within: null);

    /// <summary>
    /// Classifies a type as generated code in <paramref name="within"/> (the task's assembly) sees it: an internal type
    /// or member of another assembly is not reachable there.
    /// </summary>
    public static Classification Classify(ITypeSymbol type, IAssemblySymbol? within)
    {
        var classifier = new TypeClassifier(within);
        var answer = classifier.Visit(type);
        if (answer.Codec is null) return answer.ToFailure(type);
        var codecTypes = new EquatableArray<CodecTypeModel>(classifier._definitions.Values.OrderBy(d => d.CodecName, System.StringComparer.Ordinal));
        return new Classification(answer.Codec, null,
            MemberPath: answer.OpenPath is { Length: > 0 } openPath ? CodecNames.Display(type) + openPath : null,
            IsOpenType: answer.OpenPath is not null,
            MemberTypeName: answer.OpenPath is { Length: > 0 } ? answer.FailedTypeName : null,
            CodecTypes: codecTypes);
    }

    private Answer Visit(ITypeSymbol type)
    {
        if (_done.TryGetValue(type, out var known)) return known;
        // A type that contains itself (a tree node, a linked list): refer to its codec, which is being described.
        // If the type fails, that failure is reported by the outer visit, so the optimistic answer never escapes.
        if (!_visiting.Add(type)) return Answer.Ok(new CodecModel.Composite(CodecNames.TypeName(type), CodecNames.CodecName(type)));
        var answer = UnpicklableCatalogue.Find(type) is { } never ? Answer.Fail(type, never) : Decide(type);
        _visiting.Remove(type);
        _done[type] = answer;
        return answer;
    }

    private Answer Decide(ITypeSymbol type)
    {
        switch (type)
        {
            case ITypeParameterSymbol:
                return Answer.Fail(type, $"{CodecNames.Display(type)} is a type parameter; the codec needs the concrete type");
            case IArrayTypeSymbol array:
                return Array(array);
        }
        if (type.TypeKind == TypeKind.Error) return Answer.Fail(type, $"{CodecNames.Display(type)} does not compile");
        if (type.TypeKind == TypeKind.Dynamic || type.SpecialType == SpecialType.System_Object) return Open(type);
        if (type is not INamedTypeSymbol named) return Answer.Fail(type, $"{CodecNames.Display(type)} is not a type ProcPool can encode");
        if (named is { IsTupleType: true, TupleUnderlyingType: { } underlying }) named = underlying;

        if (TypeAccess.FindUnreachable(named, _within) is { } hidden)
            return Answer.Fail(type, $"{CodecNames.Display(type)} is {TypeAccess.Describe(hidden.DeclaredAccessibility)}{(SymbolEqualityComparer.Default.Equals(hidden, named) ? "" : $" (through {hidden.Name})")}; generated code in this assembly cannot reach it");
        if (KnownCodecs.Scalar(named) is { } scalar) return Answer.Ok(scalar);
        if (SharedHandles.Match(named) is { } handle) return SharedHandle(named, handle);
        if (named.SpecialType == SpecialType.System_String) return Answer.Ok(new CodecModel.Utf8String(CodecNames.TypeName(named)));
        if (named.TypeKind == TypeKind.Enum) return Answer.Ok(KnownCodecs.EnumValue(named));
        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T) return Nullable(named);
        if (CollectionShapes.Match(named) is { } kind) return Collection(named, kind);
        if (named.TypeKind == TypeKind.Struct && named.IsUnmanagedType) return UnmanagedStruct(named);
        if (UnionShape.Find(named) is { } union) return Union(named, union);
        if (named.TypeKind == TypeKind.Interface || named.IsAbstract) return Open(named);
        if (FrameworkProblem(named) is { } problem) return Answer.Fail(type, problem);
        if (named.TypeKind is TypeKind.Class or TypeKind.Struct) return Object(named);
        return Answer.Fail(type, $"{CodecNames.Display(type)} is not a type ProcPool can encode");
    }

    /// <summary>What travels is only known at the call: a tagged value from a closed set (see DynamicCodec).</summary>
    private static Answer Open(ITypeSymbol type)
    {
        string typeName = CodecNames.TypeName(type);
        return Answer.Ok(new CodecModel.Composite(typeName, RuntimeCodecs.Name("DynamicCodec", typeName))) with { OpenPath = "", FailedTypeName = CodecNames.Display(type) };
    }

    private Answer Nullable(INamedTypeSymbol type)
    {
        var inner = Visit(type.TypeArguments[0]);
        if (inner.Codec is null) return inner;
        return inner.Wrap(new CodecModel.Composite(CodecNames.TypeName(type), RuntimeCodecs.Name("NullableCodec", inner.Codec.TypeName, inner.Codec.CodecType)));
    }

    private Answer Array(IArrayTypeSymbol array)
    {
        var element = Visit(array.ElementType);
        if (element.Codec is null) return element.Within("[]");
        string typeName = CodecNames.TypeName(array);
        if (array.Rank == 1)
        {
            return element.Within("[]").Wrap(IsBlittable(array.ElementType)
                ? new CodecModel.UnmanagedArray(typeName, element.Codec.TypeName)
                : new CodecModel.Composite(typeName, RuntimeCodecs.Name("ArrayCodec", element.Codec.TypeName, element.Codec.CodecType)));
        }
        var model = new MultiDimensionalArrayCodecModel(CodecNames.CodecName(array), typeName, CodecNames.Display(array), array.Rank, element.Codec, IsBlittable(array.ElementType));
        return element.Within("[]").Wrap(Define(model));
    }

    private Answer Collection(INamedTypeSymbol type, CollectionKind kind)
    {
        var elements = new List<CodecModel>();
        Answer combined = default;
        for (int i = 0; i < type.TypeArguments.Length; i++)
        {
            // A dictionary's path says which side is at fault: Prices[key], Handlers[value]; a list's, Items[].
            string segment = type.TypeArguments.Length == 2 ? (i == 0 ? "[key]" : "[value]") : "[]";
            var element = Visit(type.TypeArguments[i]).Within(segment);
            if (element.Codec is null) return element;
            elements.Add(element.Codec);
            if (combined.OpenPath is null && element.OpenPath is not null) combined = element;
        }
        string typeName = CodecNames.TypeName(type);
        var first = elements[0];
        bool blittable = IsBlittable(type.TypeArguments[0]);
        string[] single = [first.TypeName, first.CodecType];
        string[] pair = elements.Count == 2 ? [first.TypeName, elements[1].TypeName, first.CodecType, elements[1].CodecType] : [];
        string? codec = kind switch
        {
            CollectionKind.List => blittable ? RuntimeCodecs.Name("UnmanagedListCodec", first.TypeName) : RuntimeCodecs.Name("ListCodec", single),
            CollectionKind.HashSet => RuntimeCodecs.Name("HashSetCodec", single),
            CollectionKind.Queue => RuntimeCodecs.Name("QueueCodec", single),
            CollectionKind.Stack => RuntimeCodecs.Name("StackCodec", single),
            CollectionKind.Dictionary => RuntimeCodecs.Name("DictionaryCodec", pair),
            CollectionKind.SortedDictionary => RuntimeCodecs.Name("SortedDictionaryCodec", pair),
            CollectionKind.ImmutableArray => blittable ? RuntimeCodecs.Name("UnmanagedImmutableArrayCodec", first.TypeName) : RuntimeCodecs.Name("ImmutableArrayCodec", single),
            CollectionKind.ImmutableList => RuntimeCodecs.Name("ImmutableListCodec", single),
            CollectionKind.ImmutableDictionary => RuntimeCodecs.Name("ImmutableDictionaryCodec", pair),
            CollectionKind.Memory => blittable ? RuntimeCodecs.Name("MemoryCodec", first.TypeName) : null,
            CollectionKind.ReadOnlyMemory => blittable ? RuntimeCodecs.Name("ReadOnlyMemoryCodec", first.TypeName) : null,
            CollectionKind.Sequence => RuntimeCodecs.Name("SequenceCodec", typeName, first.TypeName, first.CodecType),
            CollectionKind.Map => RuntimeCodecs.Name("MapCodec", [typeName, .. pair]),
            CollectionKind.Set => RuntimeCodecs.Name("SetCodec", typeName, first.TypeName, first.CodecType),
            _ => null,
        };
        if (codec is null)
            return Answer.Fail(type, $"{CodecNames.Display(type)} crosses only with an unmanaged element type (a block of memory); use an array or a List<T> of {CodecNames.Display(type.TypeArguments[0])}");
        return Answer.Ok(new CodecModel.Composite(typeName, codec)) with { OpenPath = combined.OpenPath, FailedTypeName = combined.FailedTypeName };
    }

    /// <summary>
    /// A SharedLock or SharedQueue&lt;T&gt; crosses as its identity. A queue's items use T's codec, which a generated module
    /// initializer also registers with the runtime, so <c>SharedQueue&lt;T&gt;.Create()</c> in the parent finds it.
    /// </summary>
    private Answer SharedHandle(INamedTypeSymbol type, SharedHandleKind kind)
    {
        string typeName = CodecNames.TypeName(type);
        if (kind == SharedHandleKind.Lock) return Answer.Ok(new CodecModel.Composite(typeName, RuntimeCodecs.Name("SharedLockCodec")));
        var item = Visit(type.TypeArguments[0]).Within("[]");
        if (item.Codec is null) return item;
        Define(new SharedQueueRegistrationModel(CodecNames.CodecName(type), typeName, CodecNames.Display(type), item.Codec.TypeName, item.Codec.CodecType));
        return item.Wrap(new CodecModel.Composite(typeName, RuntimeCodecs.Name("SharedQueueCodec", item.Codec.TypeName, item.Codec.CodecType)));
    }

    /// <summary>An unmanaged struct is copied as its bytes, private fields included, so none of its fields may be something that never crosses.</summary>
    private Answer UnmanagedStruct(INamedTypeSymbol type)
    {
        if (!IsFramework(type) && FindNeverField(type, "", 0) is { } found)
            return Answer.Fail(found.Field.Type, found.Never) with { Path = found.Path };
        return Answer.Ok(new CodecModel.Unmanaged(CodecNames.TypeName(type)));
    }

    private static (IFieldSymbol Field, UnpicklableReason Never, string Path)? FindNeverField(INamedTypeSymbol type, string path, int depth)
    {
        if (depth > 16) return null;
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            if (field.IsStatic || field.IsConst) continue;
            string name = field.AssociatedSymbol?.Name ?? field.Name;
            if (UnpicklableCatalogue.Find(field.Type) is { } never) return (field, never, $"{path}.{name}");
            if (field.Type is INamedTypeSymbol { TypeKind: TypeKind.Struct } inner && !IsFramework(inner)
                && FindNeverField(inner, $"{path}.{name}", depth + 1) is { } deeper)
                return deeper;
        }
        return null;
    }

    private Answer Union(INamedTypeSymbol type, UnionShape union)
    {
        if (union.Problem is not null) return Answer.Fail(type, union.Problem);
        var cases = new List<UnionCaseModel>();
        Answer open = default;
        foreach (var caseType in union.Cases)
        {
            var answer = Visit(caseType).Within($"(as {CodecNames.Display(caseType)})");
            if (answer.Codec is null) return answer;
            if (open.OpenPath is null && answer.OpenPath is not null) open = answer;
            cases.Add(new UnionCaseModel(cases.Count + 1, answer.Codec.TypeName, CodecNames.Display(caseType), caseType.IsValueType, answer.Codec));
        }
        var model = new UnionCodecModel(CodecNames.CodecName(type), CodecNames.TypeName(type), CodecNames.Display(type), new EquatableArray<UnionCaseModel>(cases));
        return Answer.Ok(Define(model)) with { OpenPath = open.OpenPath, FailedTypeName = open.FailedTypeName };
    }

    private Answer Object(INamedTypeSymbol type)
    {
        string display = CodecNames.Display(type);
        if (type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable))
            return Answer.Fail(type, $"{display} is a collection type the codec cannot rebuild from its members; use a List<T>, an array or a Dictionary<TKey, TValue>, or a type that holds one");
        for (var baseType = type.BaseType; baseType is not null && baseType.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); baseType = baseType.BaseType)
            if (IsFramework(baseType) && !IsTupleOrPair(baseType))
                return Answer.Fail(type, $"{display} derives from {CodecNames.Display(baseType)}, whose state the codec cannot see; hold the data in a type of your own");

        var shape = ObjectShape.Read(type, _within);
        if (shape.Problem is not null) return Answer.Fail(type, shape.Problem);
        var members = new List<MemberModel>();
        Answer open = default;
        foreach (var member in shape.Members)
        {
            var answer = Visit(member.Type).Within("." + member.Name);
            if (answer.Codec is null) return answer;
            if (open.OpenPath is null && answer.OpenPath is not null) open = answer;
            members.Add(new MemberModel(member.Name, Identifiers.Escape(member.Name), answer.Codec, member.ConstructorPosition, member.IsAssigned));
        }
        var model = new ObjectCodecModel(
            CodecNames.CodecName(type), CodecNames.TypeName(type), display,
            IsValueType: type.IsValueType,
            CheckExactType: !type.IsValueType && !type.IsSealed,
            shape.Construction,
            new EquatableArray<MemberModel>(members));
        return Answer.Ok(Define(model)) with { OpenPath = open.OpenPath, FailedTypeName = open.FailedTypeName };
    }

    private CodecModel Define(CodecTypeModel model)
    {
        _definitions[model.CodecName] = model;
        return new CodecModel.Composite(model.TypeName, model.CodecName);
    }

    /// <summary>Copied as one block: unmanaged, and not a <c>Nullable&lt;T&gt;</c> (whose flag byte the codec writes and checks itself).</summary>
    private static bool IsBlittable(ITypeSymbol type) =>
        type.IsUnmanagedType && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T && type.TypeKind != TypeKind.Pointer;

    private static string? FrameworkProblem(INamedTypeSymbol type)
    {
        if (IsTupleOrPair(type)) return null;
        string display = CodecNames.Display(type);
        if (IsFramework(type))
            return $"{display} is a framework type the codec does not encode; pass the data it holds (strings, numbers, collections, or a record of your own)";
        if (type.ContainingAssembly?.Name == "ProcPool")
            return $"{display} is part of ProcPool's runtime and only means something in this process";
        return null;
    }

    private static bool IsFramework(INamedTypeSymbol type)
    {
        var root = type.ContainingNamespace;
        while (root is { ContainingNamespace.IsGlobalNamespace: false }) root = root.ContainingNamespace;
        return root?.Name is "System" or "Microsoft";
    }

    private static bool IsTupleOrPair(INamedTypeSymbol type) =>
        type.ContainingNamespace?.ToDisplayString() is { } ns
        && ((ns == "System" && type.Name is "ValueTuple" or "Tuple" && type.Arity > 0)
            || (ns == "System.Collections.Generic" && type.Name == "KeyValuePair" && type.Arity == 2));

    /// <summary>
    /// What one visit found. Either a codec (possibly open, with <see cref="OpenPath"/> saying where) or a failure
    /// with the problem, the catalogue entry if any, the path from the visited type down to the failing member, and
    /// that member's type.
    /// </summary>
    private readonly record struct Answer(CodecModel? Codec, string? Problem, UnpicklableReason? Never, string Path, string? FailedTypeName, string? OpenPath)
    {
        public static Answer Ok(CodecModel codec) => new(codec, null, null, "", null, null);

        public static Answer Fail(ITypeSymbol type, string problem) => new(null, problem, null, "", CodecNames.Display(type), null);

        public static Answer Fail(ITypeSymbol type, UnpicklableReason never) => new(null, null, never, "", CodecNames.Display(type), null);

        /// <summary>This answer seen from the type that holds it through <paramref name="segment"/> (<c>.Member</c>, <c>[]</c>).</summary>
        public Answer Within(string segment) =>
            Codec is null ? this with { Path = segment + Path }
            : OpenPath is null ? this
            : this with { OpenPath = segment + OpenPath };

        /// <summary>The same openness, around another codec.</summary>
        public Answer Wrap(CodecModel codec) => this with { Codec = codec };

        public Classification ToFailure(ITypeSymbol root)
        {
            if (Path.Length == 0)
                return Never is not null ? Classification.NeverSerializable(root.ToDisplayString(), Never) : Classification.NotSerializable(Problem!);
            string memberPath = CodecNames.Display(root) + Path;
            string reason = Never is not null
                ? $"{memberPath} ({FailedTypeName}) is {Never.Reason}; {Never.Advice}"
                : $"{memberPath} ({FailedTypeName}): {Problem}";
            return new Classification(null, reason, memberPath, Never, MemberTypeName: FailedTypeName);
        }
    }
}
