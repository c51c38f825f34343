using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Blog.Tests;

public sealed class LogEventsTests
{
    private static readonly (string Name, int Id)[] Events = [.. typeof(LogEvents).GetNestedTypes()
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral)
            .Select(f => ($"{t.Name}.{f.Name}", (int)f.GetRawConstantValue()!)))];

    [Fact]
    public void Every_log_event_has_an_id_of_its_own()
    {
        Assert.NotEmpty(Events);
        var shared = Events.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Name))}");
        Assert.Empty(shared);
    }

    [Fact]
    public void No_event_uses_the_default_id_zero_nor_the_old_per_class_ids()
    {
        // Every class used to count from 1, so ids below 100 are the old numbering, which named a different event in each class.
        Assert.All(Events, e => Assert.True(e.Id >= 100, $"{e.Name} = {e.Id}"));
    }

    [Fact]
    public void Every_logging_method_in_the_service_takes_its_id_from_the_list()
    {
        var listed = Events.Select(e => e.Id).ToHashSet();
        var methods = typeof(LogEvents).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();
        Assert.NotEmpty(methods);
        Assert.All(methods, m => Assert.True(listed.Contains(m.Attribute!.EventId),
            $"{m.Method.DeclaringType}.{m.Method.Name} logs with id {m.Attribute.EventId}, which is not in LogEvents"));
        // And no two methods share one.
        Assert.Empty(methods.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1).Select(g => g.Key));
    }
}
