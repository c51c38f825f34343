using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Blog.Webhooks;

/// <summary>
/// The two requests SNS messages lead to: fetching a signing certificate (size-bounded, each URL once, checked to be
/// SNS's) and visiting a SubscribeURL to confirm a subscription. Both only to URLs <see cref="SnsSignature"/> pinned to
/// the topic's SNS host, with a client that does not follow redirects.
/// </summary>
internal sealed partial class SnsFetcher(IHttpClientFactory clients, SnsRoots roots, TimeProvider time, ILogger<SnsFetcher> logger)
{
    /// <summary>The named HTTP client: one attempt per request, bounded in time, redirects not followed.</summary>
    internal const string ClientName = "sns";

    /// <summary>A signing certificate is a couple of kilobytes; anything much larger is not one.</summary>
    private const int MaxCertificateBytes = 16 * 1024;

    /// <summary>SNS signs with a handful of certificates; more than this many URLs means someone is trying many.</summary>
    private const int MaxCached = 32;

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a certificate that could not be fetched is not asked for again: the messages meanwhile get 503 and
    /// SNS retries them, so a burst of them costs SNS's host one request.
    /// </summary>
    internal static readonly TimeSpan FetchFailureKept = TimeSpan.FromMinutes(1);

    /// <summary>How long a certificate that is not SNS's is remembered as such: its URL is on SNS's host, so this should not happen, and will not soon change.</summary>
    internal static readonly TimeSpan UntrustedKept = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<Uri, Entry> certificates = new();

    /// <summary>What fetching a certificate gave: the certificate, or null with <see cref="Untrusted"/> when it is not SNS's (401) and without when it could not be had (503).</summary>
    internal readonly record struct Fetched(X509Certificate2? Certificate, bool Untrusted);

    private sealed record Entry(Fetched Fetched, DateTimeOffset Until);

    internal static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TimeProvider time)
    {
        pipeline.TimeProvider = time;
        // No retries: a failed fetch answers 503 and SNS retries the message; a failed confirmation is confirmed when SNS sends it again.
        pipeline.AddTimeout(AttemptTimeout);
    }

    /// <summary>The certificate at a pinned URL if it is SNS's; remembered, and so are failures for a while (<see cref="FetchFailureKept"/>, <see cref="UntrustedKept"/>).</summary>
    public async Task<Fetched> CertificateAsync(Uri url, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (certificates.TryGetValue(url, out var known) && known.Until > now) return known.Fetched;
        var fetched = await FetchAsync(url, now, cancellationToken);
        var until = fetched switch
        {
            { Certificate: { } certificate } => new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            { Untrusted: true } => now + UntrustedKept,
            _ => now + FetchFailureKept,
        };
        if (certificates.Count >= MaxCached) certificates.Clear();
        var entry = new Entry(fetched, until);
        var kept = certificates.AddOrUpdate(url, entry, (_, old) => old.Until > now && old.Fetched.Certificate is not null ? old : entry);
        // Another request for the same URL got there first: its copy is the one kept.
        if (!ReferenceEquals(kept, entry)) fetched.Certificate?.Dispose();
        return kept.Fetched;
    }

    private async Task<Fetched> FetchAsync(Uri url, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Log.CertificateFailed(logger, url, $"HTTP {(int)response.StatusCode}");
                return default;
            }
            if (response.Content.Headers.ContentLength > MaxCertificateBytes)
            {
                Log.CertificateFailed(logger, url, $"{response.Content.Headers.ContentLength} bytes, more than a certificate");
                return default;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxCertificateBytes + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0) read += n;
            if (read > MaxCertificateBytes)
            {
                Log.CertificateFailed(logger, url, "more bytes than a certificate");
                return default;
            }
            var pem = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            var certificate = X509Certificate2.CreateFromPem(pem);
            // Any further certificates in the file are candidates for the chain, never trusted themselves.
            var all = new X509Certificate2Collection();
            all.ImportFromPem(pem);
            try
            {
                if (SnsSignature.Trusted(certificate, all, url.IdnHost, roots, now)) return new Fetched(certificate, false);
            }
            finally
            {
                foreach (var other in all) other.Dispose();
            }
            Log.CertificateUntrusted(logger, url, certificate.Subject);
            certificate.Dispose();
            return new Fetched(null, true);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or CryptographicException or ArgumentException
            && !cancellationToken.IsCancellationRequested)
        {
            Log.CertificateFailed(logger, url, e.Message);
            return default;
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

        [LoggerMessage(LogEvents.SnsFetcher.CertificateUntrusted, LogLevel.Warning,
            "The SNS signing certificate {Url} ({Subject}) is not issued for sns.amazonaws.com by a trusted root; messages signed with it are refused")]
        public static partial void CertificateUntrusted(ILogger logger, Uri url, string subject);

        [LoggerMessage(LogEvents.SnsFetcher.ConfirmFailed, LogLevel.Warning, "Confirming an SNS subscription at {Host} failed: {Reason}")]
        public static partial void ConfirmFailed(ILogger logger, string host, string reason);
    }
}
