using System.Runtime.CompilerServices;
using System.Text;

namespace ProcPool.Serialization;

/// <summary>
/// The object graph side of the writer: how deep the value being written is, and where. Generated codecs of user
/// types enter and exit one level per object, so a graph deeper than <see cref="MaxDepth"/>, a reference cycle, or a
/// graph too deep for the thread's stack ends in a <see cref="PoolSerializationException"/> that names the type and
/// the member path, never in a <see cref="StackOverflowException"/>.
/// </summary>
public sealed partial class PoolWriter
{
    // Every 32 levels the writer asks the runtime whether the stack still has room, so a huge MaxDepth cannot turn
    // into a stack overflow; checking on every level would cost more than the check is worth.
    private const int StackCheckInterval = 32;
    private const int PathSegmentsShown = 12;

    // Not [] (Array.Empty<GraphFrame>) nor Array.Resize: ReadyToRun cannot precompile a framework generic over one of
    // our structs, and every writer in a worker is created before its first answer.
    private static readonly GraphFrame[] NoFrames = new GraphFrame[0];
    private GraphFrame[] _frames = NoFrames;
    private int _depth;
    private int _maxDepth = PoolReader.DefaultMaxDepth;

    /// <summary>
    /// The deepest object nesting this writer accepts (default 256, like the reader's). A reference cycle is reported
    /// as such when the writer reaches this depth.
    /// </summary>
    public int MaxDepth
    {
        get => _maxDepth;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxDepth = value;
        }
    }

    /// <summary>How many objects the writer is inside now (0 between values).</summary>
    public int Depth => _depth;

    /// <summary>
    /// Enters one object of a graph (<paramref name="value"/> is null for a struct). Throws when the graph is deeper than
    /// <see cref="MaxDepth"/>, naming the cycle if the object is already being written further up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterObject(object? value, string typeName)
    {
        int depth = _depth;
        if (depth >= _maxDepth) throw TooDeep(value, typeName);
        if ((uint)depth >= (uint)_frames.Length) GrowFrames();
        if (depth % StackCheckInterval == StackCheckInterval - 1 && !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw StackExhausted(typeName);
        ref GraphFrame frame = ref _frames[depth];
        frame.Value = value;
        frame.TypeName = typeName;
        frame.Member = null;
        frame.Index = -1;
        _depth = depth + 1;
    }

    /// <summary>Leaves the object entered last (and lets it go, so the writer does not keep it alive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitObject()
    {
        int top = _depth - 1;
        if (top < 0) throw new InvalidOperationException("ExitObject without a matching EnterObject.");
        _frames[top].Value = null;
        _depth = top;
    }

    /// <summary>Records which member of the current object is being written, for error messages.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetMember(string name)
    {
        int top = _depth - 1;
        if (top < 0) return;
        ref GraphFrame frame = ref _frames[top];
        frame.Member = name;
        frame.Index = -1;
    }

    /// <summary>Records which element of a collection member of the current object is being written, for error messages.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetIndex(int index)
    {
        int top = _depth - 1;
        if (top >= 0) _frames[top].Index = index;
    }

    /// <summary>Where the writer is in the graph, such as <c>Order.Lines[3].Product</c>; empty between values.</summary>
    public string CurrentPath => DescribePath(_depth);

    /// <summary>A value whose runtime type is a subclass of the declared type: its extra state would be lost.</summary>
    public PoolSerializationException SubtypeNotSupported(object value, string declaredType) =>
        Failure($"A {TypeNames.Display(value.GetType())} was passed where {declaredType} is declared, so only {declaredType}'s members would cross. " +
                $"Pass a {declaredType}, or make {declaredType} abstract and list its subclasses in [PoolUnion(...)].");

    /// <summary>A value of an abstract or interface type marked [PoolUnion] whose runtime type is not one of the cases.</summary>
    public PoolSerializationException NotAUnionCase(object value, string unionType, string cases) =>
        Failure($"A {TypeNames.Display(value.GetType())} is not one of the [PoolUnion] cases of {unionType} ({cases}); add it to the attribute's list.");

    /// <summary>An exception for a value that cannot be written, with the current path appended.</summary>
    public PoolSerializationException Failure(string problem) =>
        new(_depth == 0 ? problem : $"{problem} (at {CurrentPath})");

    private void ForgetObjects()
    {
        Array.Clear(_frames, 0, _depth);
        _depth = 0;
    }

    private void GrowFrames()
    {
        int size = Math.Min(Math.Max(_frames.Length * 2, 8), _maxDepth);
        var larger = new GraphFrame[Math.Max(size, _depth + 1)];
        Array.Copy(_frames, larger, _frames.Length);
        _frames = larger;
    }

    private PoolSerializationException TooDeep(object? value, string typeName)
    {
        if (FindCycle(value) is var (first, repeat))
        {
            return new PoolSerializationException(
                $"A reference cycle: the {_frames[first].TypeName} at {DescribePath(repeat)} is the same object as at {DescribePath(first)}. " +
                "ProcPool sends values, not references, so an object graph that contains itself cannot cross; " +
                "break the cycle before sending (for example, send an id instead of a back-reference).");
        }
        return new PoolSerializationException(
            $"The data nests deeper than {_maxDepth} levels at {DescribePath(_depth)} (a {typeName}); " +
            "raise PoolOptions.MaxDepth (PoolWriter.MaxDepth) or flatten the data.");
    }

    private PoolSerializationException StackExhausted(string typeName) =>
        new($"The data nests too deep for this thread's stack at {DescribePath(_depth)} (a {typeName}, {_depth} levels); lower PoolOptions.MaxDepth or flatten the data.");

    /// <summary>The first object on the current path that appears again further down (or is the one being entered).</summary>
    private (int First, int Repeat)? FindCycle(object? entering)
    {
        for (int repeat = 1; repeat <= _depth; repeat++)
        {
            object? candidate = repeat == _depth ? entering : _frames[repeat].Value;
            if (candidate is null) continue;
            for (int first = 0; first < repeat; first++)
                if (ReferenceEquals(_frames[first].Value, candidate)) return (first, repeat);
        }
        return null;
    }

    /// <summary>The path to the object at <paramref name="level"/>: the root's type, then each member and index on the way.</summary>
    private string DescribePath(int level)
    {
        if (_depth == 0) return "";
        var segments = new List<string>(level);
        for (int i = 0; i < Math.Min(level, _depth); i++)
        {
            ref GraphFrame frame = ref _frames[i];
            string segment = frame.Member is null ? "" : "." + frame.Member;
            if (frame.Index >= 0) segment += $"[{frame.Index}]";
            if (segment.Length > 0) segments.Add(segment);
        }
        var text = new StringBuilder(_frames[0].TypeName);
        if (segments.Count <= PathSegmentsShown)
        {
            foreach (var segment in segments) text.Append(segment);
            return text.ToString();
        }
        foreach (var segment in segments.Take(PathSegmentsShown / 2)) text.Append(segment);
        text.Append($"…({segments.Count - PathSegmentsShown} more)…");
        foreach (var segment in segments.Skip(segments.Count - PathSegmentsShown / 2)) text.Append(segment);
        return text.ToString();
    }

    private struct GraphFrame
    {
        public object? Value;
        public string TypeName;
        public string? Member;
        public int Index;
    }
}
