namespace Blog.Admin;

/// <summary>
/// Endpoint metadata saying which listener answers a route (<see cref="ConsoleMatcherPolicy"/>). Unmarked routes are
/// the public site's; <see cref="Console"/> routes belong to the console's listener (or <c>Admin:PublicPath</c>), with
/// the console's headers and, unless they allow anyone, a signed-in owner; <see cref="Everywhere"/> routes (health)
/// are answered on both.
/// </summary>
internal sealed class AdminEndpoint
{
    public static readonly AdminEndpoint Console = new(everywhere: false);

    public static readonly AdminEndpoint Everywhere = new(everywhere: true);

    private AdminEndpoint(bool everywhere) => IsEverywhere = everywhere;

    public bool IsEverywhere { get; }
}
