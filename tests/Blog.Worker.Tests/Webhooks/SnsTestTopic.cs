using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Blog.Tests.Webhooks;

/// <summary>
/// Plays SNS: signs messages as AWS documents (the fields by name and value, one per line, in order; SHA1withRSA for
/// SignatureVersion 1, SHA256withRSA for 2) with a generated key, and serves its certificate and the SubscribeURL to
/// the service's fetcher as an HTTP handler, counting every request it is sent. The certificate (CN=sns.amazonaws.com)
/// is issued by a test root (<see cref="Root"/>), which the service trusts only when a test adds it.
/// </summary>
public sealed class SnsTestTopic : HttpMessageHandler
{
    public const string Topic = "arn:aws:sns:eu-west-1:123456789012:ses-events";
    public const string CertificateUrl = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem";

    private readonly RSA key = RSA.Create(2048);
    private readonly RSA rootKey = RSA.Create(2048);

    public SnsTestTopic()
    {
        var rootRequest = new CertificateRequest("CN=Blog test root for SNS", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60));
        Pem = Issue("CN=sns.amazonaws.com", key);
    }

    /// <summary>The root the test certificates chain to.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>What the certificate URL serves: by default the signing key's certificate, issued by <see cref="Root"/>.</summary>
    public string Pem { get; set; }

    /// <summary>The status the certificate URL answers with.</summary>
    public HttpStatusCode CertificateStatus { get; set; } = HttpStatusCode.OK;

    /// <summary>A certificate for the signing key with another subject, issued by <see cref="Root"/>.</summary>
    public string Issue(string subject) => Issue(subject, key);

    /// <summary>A certificate for the signing key, self-signed: right name, no trusted issuer.</summary>
    public string SelfSigned()
    {
        var request = new CertificateRequest("CN=sns.amazonaws.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return certificate.ExportCertificatePem();
    }

    private string Issue(string subject, RSA subjectKey)
    {
        var request = new CertificateRequest(subject, subjectKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var certificate = request.Create(Root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));
        return certificate.ExportCertificatePem();
    }

    /// <summary>Every request the service sent, by URL.</summary>
    public ConcurrentQueue<Uri> Requests { get; } = new();

    public int Fetches(string url) => Requests.Count(u => u.AbsoluteUri == url);

    /// <summary>A notification carrying <paramref name="message"/> (an SES event), signed.</summary>
    public string Notification(string message, string? topic = null, string messageId = "", string version = "2", DateTimeOffset? at = null,
        string certificateUrl = CertificateUrl, string? subject = null)
    {
        var fields = new List<(string, string)>
        {
            ("Message", message),
            ("MessageId", messageId.Length > 0 ? messageId : Guid.NewGuid().ToString()),
        };
        if (subject is not null) fields.Add(("Subject", subject));
        fields.Add(("Timestamp", (at ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)));
        fields.Add(("TopicArn", topic ?? Topic));
        fields.Add(("Type", "Notification"));
        return Signed(fields, version, certificateUrl);
    }

    public string SubscriptionConfirmation(string topic, string subscribeUrl, string type = "SubscriptionConfirmation")
    {
        var fields = new List<(string, string)>
        {
            ("Message", $"You have chosen to subscribe to the topic {topic}."),
            ("MessageId", Guid.NewGuid().ToString()),
            ("SubscribeURL", subscribeUrl),
            ("Timestamp", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            ("Token", "2336412f37fb687f5d51e6e2425f004aed8a6a9c7b1d1e2f3a4b5c6d7e8f9a0b"),
            ("TopicArn", topic),
            ("Type", type),
        };
        return Signed(fields, "1", CertificateUrl);
    }

    private string Signed(List<(string Name, string Value)> fields, string version, string certificateUrl)
    {
        var canonical = new StringBuilder();
        foreach (var (name, value) in fields) canonical.Append(name).Append('\n').Append(value).Append('\n');
        var hash = version == "1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var signature = key.SignData(Encoding.UTF8.GetBytes(canonical.ToString()), hash, RSASignaturePadding.Pkcs1);
        var json = new JsonObject();
        foreach (var (name, value) in fields) json[name] = value;
        json["SignatureVersion"] = version;
        json["Signature"] = Convert.ToBase64String(signature);
        json["SigningCertURL"] = certificateUrl;
        json["UnsubscribeURL"] = "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe";
        return json.ToJsonString();
    }

    /// <summary>An SES bounce event, as SES publishes it to SNS.</summary>
    public static string Bounce(string bounceType, string feedbackId, string messageId, params string[] recipients) => new JsonObject
    {
        ["notificationType"] = "Bounce",
        ["bounce"] = new JsonObject
        {
            ["bounceType"] = bounceType,
            ["bounceSubType"] = "General",
            ["feedbackId"] = feedbackId,
            ["timestamp"] = "2026-11-30T07:00:00.000Z",
            ["bouncedRecipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)new JsonObject
            {
                ["emailAddress"] = r,
                ["action"] = "failed",
                ["status"] = "5.1.1",
                ["diagnosticCode"] = "smtp; 550 5.1.1 user unknown",
            })]),
        },
        ["mail"] = new JsonObject
        {
            ["messageId"] = "0100018c-ses-own-id",
            ["commonHeaders"] = new JsonObject { ["messageId"] = $"<{messageId}>" },
        },
    }.ToJsonString();

    public static string Complaint(string feedbackId, string feedbackType, params string[] recipients) => new JsonObject
    {
        ["notificationType"] = "Complaint",
        ["complaint"] = new JsonObject
        {
            ["feedbackId"] = feedbackId,
            ["complaintFeedbackType"] = feedbackType,
            ["timestamp"] = "2026-11-30T07:00:00.000Z",
            ["complainedRecipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)new JsonObject { ["emailAddress"] = r })]),
        },
        ["mail"] = new JsonObject
        {
            ["headers"] = new JsonArray(new JsonObject { ["name"] = "Message-ID", ["value"] = "<run.1@blog.example.com>" }),
        },
    }.ToJsonString();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request.RequestUri!);
        var response = request.RequestUri!.AbsolutePath.EndsWith(".pem", StringComparison.Ordinal)
            ? new HttpResponseMessage(CertificateStatus) { Content = new StringContent(Pem) }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<ConfirmSubscriptionResponse/>") };
        return Task.FromResult(response);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            key.Dispose();
            rootKey.Dispose();
            Root.Dispose();
        }
        base.Dispose(disposing);
    }
}
