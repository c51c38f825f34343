using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Blog.Webhooks;

/// <summary>
/// The two requests SNS messages lead to: fetching a signing certificate (size-bounded, each URL once) and visiting a
/// SubscribeURL to confirm a subscription. Both only to URLs <see cref="SnsSignature"/> pinned to SNS's hosts.
/// </summary>
internal sealed partial class SnsFetcher(IHttpClientFactory clients, ILogger<SnsFetcher> logger)
{
    /// <summary>The named HTTP client, retried and bounded by its resilience pipeline.</summary>
    internal const string ClientName = "sns";

    /// <summary>A signing certificate is a couple of kilobytes; anything much larger is not one.</summary>
    private const int MaxCertificateBytes = 16 * 1024;

    /// <summary>SNS signs with a handful of certificates; more than this many URLs means someone is trying many.</summary>
    private const int MaxCached = 32;

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Uri, X509Certificate2> certificates = new();

    internal static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TimeProvider time)
    {
        pipeline.TimeProvider = time;
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(500),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            ShouldRetryAfterHeader = false,
        });
        pipeline.AddTimeout(AttemptTimeout);
    }

    /// <summary>The certificate at a pinned URL, or null when it could not be fetched or read (the message is then refused for now).</summary>
    public async Task<X509Certificate2?> CertificateAsync(Uri url, CancellationToken cancellationToken)
    {
        if (certificates.TryGetValue(url, out var known)) return known;
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Log.CertificateFailed(logger, url, $"HTTP {(int)response.StatusCode}");
                return null;
            }
            if (response.Content.Headers.ContentLength > MaxCertificateBytes)
            {
                Log.CertificateFailed(logger, url, $"{response.Content.Headers.ContentLength} bytes, more than a certificate");
                return null;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxCertificateBytes + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0) read += n;
            if (read > MaxCertificateBytes)
            {
                Log.CertificateFailed(logger, url, "more bytes than a certificate");
                return null;
            }
            var certificate = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
            if (certificates.Count >= MaxCached) certificates.Clear();
            var cached = certificates.GetOrAdd(url, certificate);
            // Another request for the same URL got there first: its copy is the one kept.
            if (!ReferenceEquals(cached, certificate)) certificate.Dispose();
            return cached;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or CryptographicException or ArgumentException
            && !cancellationToken.IsCancellationRequested)
        {
            Log.CertificateFailed(logger, url, e.Message);
            return null;
        }
    }

    /// <summary>Visits a subscription's SubscribeURL (pinned by the caller), which confirms it; false when SNS did not answer 2xx.</summary>
    public async Task<bool> ConfirmAsync(Uri subscribeUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(subscribeUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            Log.ConfirmFailed(logger, subscribeUrl.Host, e.Message);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SnsFetcher.CertificateFailed, LogLevel.Warning, "The SNS signing certificate {Url} could not be fetched: {Reason}")]
        public static partial void CertificateFailed(ILogger logger, Uri url, string reason);

        [LoggerMessage(LogEvents.SnsFetcher.ConfirmFailed, LogLevel.Warning, "Confirming an SNS subscription at {Host} failed: {Reason}")]
        public static partial void ConfirmFailed(ILogger logger, string host, string reason);
    }
}
