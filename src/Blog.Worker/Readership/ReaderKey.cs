using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Blog.Readership;

/// <summary>
/// A direct reader of a day: a keyed hash of their network (the /24 of an IPv4 address, the /48 of an IPv6 one) and
/// User-Agent under the day's salt, truncated. The address itself is never kept; without the salt, discarded with the
/// day, the hash cannot be tied to one, nor to the same reader on another day.
/// </summary>
public static class ReaderKey
{
    /// <summary>Bytes of hash kept: 96 bits, so distinct readers do not collide at any realistic count.</summary>
    private const int Length = 12;

    /// <summary>The network part of <paramref name="address"/>, or empty when there is none.</summary>
    public static byte[] NetworkOf(IPAddress? address)
    {
        if (address is null) return [];
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork ? bytes[..3] : bytes[..6];
    }

    public static string Of(byte[] salt, ReadOnlySpan<byte> network, string? userAgent)
    {
        var agent = userAgent ?? "";
        if (agent.Length > AggregatorReport.MaxUserAgentLength) agent = agent[..AggregatorReport.MaxUserAgentLength];
        var input = new byte[network.Length + 1 + Encoding.UTF8.GetMaxByteCount(agent.Length)];
        network.CopyTo(input);
        input[network.Length] = (byte)network.Length;
        var written = Encoding.UTF8.GetBytes(agent, input.AsSpan(network.Length + 1));
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(salt, input.AsSpan(0, network.Length + 1 + written), hash);
        return Convert.ToHexStringLower(hash[..Length]);
    }
}
