using System.Security.Cryptography.X509Certificates;

namespace Blog.Webhooks;

/// <summary>
/// Roots an SNS signing certificate may chain to besides the system's trusted roots. Empty in the service: only the
/// system's roots (Amazon's among them) are trusted. Tests, whose SNS is played by a generated certificate, add theirs.
/// </summary>
internal sealed class SnsRoots(IReadOnlyList<X509Certificate2> extra)
{
    public SnsRoots() : this([])
    {
    }

    public IReadOnlyList<X509Certificate2> Extra { get; } = extra;
}
