using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Blog.Subscriptions;

/// <summary>
/// The limits on sign-ups: so many per client in each window (an IPv6 client by its /64, which one host may rotate
/// through), and so many per minute from everyone together. Marks the endpoints it limits; every other request passes.
/// </summary>
internal sealed class SignUpLimiter
{
    /// <summary>The endpoint metadata that puts a request under these limits.</summary>
    public static readonly SignUpLimiter Endpoint = new();

    private SignUpLimiter()
    {
    }

    /// <summary>The client's limit first, so a client over its own limit does not use up everyone's.</summary>
    public static PartitionedRateLimiter<HttpContext> Create() => PartitionedRateLimiter.CreateChained(
        Limit((context, o) => (ClientKey(context.Connection.RemoteIpAddress), o.SignUpLimit, o.SignUpWindow)),
        Limit((_, o) => ("everyone", o.SignUpsPerMinute, TimeSpan.FromMinutes(1))));

    /// <summary>A fixed window per partition on the sign-up endpoints; no limit on anything else.</summary>
    private static PartitionedRateLimiter<HttpContext> Limit(Func<HttpContext, SubscriptionOptions, (string Key, int Permits, TimeSpan Window)> partition) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!IsSignUp(context)) return RateLimitPartition.GetNoLimiter("");
            var (key, permits, window) = partition(context, Options(context));
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
        });

    /// <summary>An IPv4 address as it is; an IPv6 address by its /64, the least a site is given.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null) return "";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static bool IsSignUp(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<SignUpLimiter>() is not null;

    private static SubscriptionOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<SubscriptionOptions>>().Value;
}
