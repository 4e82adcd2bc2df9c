using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace TheModel.Tests;

/// <summary>
/// No state shared by every host in a process: a static field is a constant or a read-only value that is not a mutable
/// collection. State a host needs (writer threads, caches of what it works out) is a singleton of its container.
/// </summary>
public class StaticStateTests
{
    private static readonly Assembly[] Product =
        [typeof(TheModel.Api.Store.TheModelDb).Assembly, typeof(TheModel.Bot.StartUpGarbage).Assembly, typeof(TheModel.Cards.CardActions).Assembly];

    /// <summary>
    /// Fields allowed to be static state, each because something outside the app is process-wide:
    /// SqlitePragmas.Applied remembers which pragmas a native SQLite connection has; Microsoft.Data.Sqlite pools those
    /// connections for the whole process (a second host on the same file gets the first one's), so what was applied to
    /// one is process-wide too. A weak table: an entry goes with its connection.
    /// </summary>
    private static readonly string[] Allowed = ["TheModel.Api.Store.SqlitePragmas.Applied"];

    private static readonly Type[] MutableCollections =
    [
        typeof(List<>), typeof(Dictionary<,>), typeof(HashSet<>), typeof(Queue<>), typeof(Stack<>), typeof(LinkedList<>),
        typeof(SortedDictionary<,>), typeof(SortedList<,>), typeof(SortedSet<>), typeof(ConcurrentDictionary<,>),
        typeof(ConcurrentQueue<>), typeof(ConcurrentBag<>), typeof(ConcurrentStack<>), typeof(ConditionalWeakTable<,>),
        typeof(ArrayList), typeof(Hashtable),
    ];

    [Fact]
    public void ProductAssemblies_StaticFields_AreConstantsOrReadOnlyValues()
    {
        var offenders = Product.SelectMany(a => a.GetTypes())
            .Where(t => !IsCompilerGenerated(t))
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && (!f.IsInitOnly || IsMutableCollection(f.FieldType)))
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name}")
            .Except(Allowed)
            .Order()
            .ToList();

        Assert.True(offenders.Count == 0, "Static mutable state:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void MutableCollectionCheck_ArraysAndDictionaries_AreCaught()
    {
        Assert.True(IsMutableCollection(typeof(string[])));
        Assert.True(IsMutableCollection(typeof(ConcurrentDictionary<string, int>)));
        Assert.False(IsMutableCollection(typeof(IReadOnlyList<string>)));
        Assert.False(IsMutableCollection(typeof(string)));
    }

    /// <summary>
    /// The compiler's types (lambda caches, collection literals) and file-local types of source generators (their names
    /// start with '&lt;': ASP.NET Core's OpenAPI XML comment cache) are not the app's code.
    /// </summary>
    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute)) || type.Name.StartsWith('<')
        || type.DeclaringType is { } outer && IsCompilerGenerated(outer);

    private static bool IsMutableCollection(Type type) =>
        type.IsArray || MutableCollections.Contains(type.IsGenericType ? type.GetGenericTypeDefinition() : type);
}
