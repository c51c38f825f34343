using System.Security.Cryptography;
using System.Text;

namespace Blog.Webhooks;

/// <summary>
/// Compares a presented secret with the configured one in time that depends on neither: both are hashed first, so
/// not even the length leaks.
/// </summary>
internal static class SecretComparison
{
    public static bool Same(ReadOnlySpan<char> presented, string expected)
    {
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented.ToArray()), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b) & expected.Length > 0;
    }
}
