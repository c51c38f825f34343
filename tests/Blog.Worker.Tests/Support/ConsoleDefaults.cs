using System.Runtime.CompilerServices;

namespace Blog.Tests.Support;

/// <summary>
/// Every service a test starts, in process or as a child <c>blog run</c>, puts the owner's console on a port the system
/// picks: the default (127.0.0.1:5081) would be taken by the first of the tests that run at once.
/// </summary>
internal static class ConsoleDefaults
{
    [ModuleInitializer]
    internal static void OnAnyFreePort()
    {
        if (Environment.GetEnvironmentVariable("Admin__Urls") is null) Environment.SetEnvironmentVariable("Admin__Urls", LoopbackPort.AnyUrl);
    }
}
