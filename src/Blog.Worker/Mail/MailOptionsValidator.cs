using System.Security.Cryptography.X509Certificates;
using MimeKit;
using MimeKit.Cryptography;

namespace Blog.Mail;

internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    private const int MaxTokenedLocalPart = 40;

    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var failures = new List<string>();
        CheckMailbox(failures, "Mail:From", options.From);
        if (options.UnsubscribeMailbox.Length > 0) CheckMailbox(failures, "Mail:UnsubscribeMailbox", options.UnsubscribeMailbox);
        if (options.ReturnPath.Length > 0)
        {
            CheckMailbox(failures, "Mail:ReturnPath", options.ReturnPath);
            if (MailboxAddress.TryParse(options.ReturnPath, out var returnPath) && returnPath.LocalPart.Length > 20)
                failures.Add($"Mail:ReturnPath's local part must be at most 20 characters, to leave room for the token in 64, but \"{returnPath.LocalPart}\" is {returnPath.LocalPart.Length}.");
        }
        if (options.TrustedAuthServId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ';' or '(' or ')' or '"') || options.TrustedAuthServId.Length > 255)
            failures.Add($"Mail:TrustedAuthServId must be one authserv-id (a host name, no spaces or ';'), but is \"{options.TrustedAuthServId}\".");
        if (Blog.Feedback.ReturnAddress.TokenedUnsubscribeIn(options))
        {
            // The mailto gets "+u{id}-{13-character MAC}": 16 characters and the id's base 36 digits, inside RFC 5321's
            // 64 for a local part. 40 leaves 24, room for any id below 36^8.
            var (key, value) = options.UnsubscribeMailbox.Length > 0 ? ("Mail:UnsubscribeMailbox", options.UnsubscribeMailbox) : ("Mail:From", options.From);
            if (MailboxAddress.TryParse(value, out var mailbox) && mailbox.LocalPart.Length > MaxTokenedLocalPart)
                failures.Add($"{key}'s local part must be at most {MaxTokenedLocalPart} characters, to leave room for the unsubscribe token in 64, but \"{mailbox.LocalPart}\" is {mailbox.LocalPart.Length}.");
        }
        if (options.MaxAttempts < 1) failures.Add($"Mail:MaxAttempts must be at least 1, but is {options.MaxAttempts}.");
        if (options.ErrorBudget < 1) failures.Add($"Mail:ErrorBudget must be at least 1, but is {options.ErrorBudget}.");
        if (options.MaxBounces < 1) failures.Add($"Mail:MaxBounces must be at least 1, but is {options.MaxBounces}.");
        // No more than a subscriber's history keeps of one kind (SqlFeedbackStore), or the limit could never be reached.
        if (options.MaxSoftBounces is < 1 or > Blog.Storage.SqlFeedbackStore.MaxEventsPerKind)
            failures.Add($"Mail:MaxSoftBounces must be between 1 and {Blog.Storage.SqlFeedbackStore.MaxEventsPerKind}, but is {options.MaxSoftBounces}.");
        if (options.SoftBounceWindow <= TimeSpan.Zero || options.SoftBounceWindow > TimeSpan.FromDays(365)) failures.Add($"Mail:SoftBounceWindow must be positive and at most 365 days, but is {options.SoftBounceWindow}.");
        if (options.PollInterval <= TimeSpan.Zero) failures.Add($"Mail:PollInterval must be positive, but is {options.PollInterval}.");
        Claims.CheckLease(failures, "Mail:OutboxLease", options.OutboxLease);
        if (options.RetryDelay <= TimeSpan.Zero) failures.Add($"Mail:RetryDelay must be positive, but is {options.RetryDelay}.");

        var smtp = options.Smtp;
        if (options.Transport == MailTransportKind.Smtp)
        {
            if (string.IsNullOrWhiteSpace(smtp.Host)) failures.Add("Mail:Smtp:Host must be set when Mail:Transport is Smtp.");
            if (smtp.Port is < 1 or > 65535) failures.Add($"Mail:Smtp:Port must be between 1 and 65535, but is {smtp.Port}.");
            if (smtp.User.Length > 0 && smtp.Password.Length == 0) failures.Add("Mail:Smtp:Password must be set when Mail:Smtp:User is.");
            if (smtp.MaxConnections is < 1 or > 100) failures.Add($"Mail:Smtp:MaxConnections must be between 1 and 100, but is {smtp.MaxConnections}.");
            if (smtp.MessagesPerSecond < 0) failures.Add($"Mail:Smtp:MessagesPerSecond must be 0 (no limit) or more, but is {smtp.MessagesPerSecond}.");
            if (smtp.Timeout <= TimeSpan.Zero) failures.Add($"Mail:Smtp:Timeout must be positive, but is {smtp.Timeout}.");
            if (smtp.TrustedCertificatePath.Length > 0)
            {
                try
                {
                    using var certificate = X509CertificateLoader.LoadCertificateFromFile(smtp.TrustedCertificatePath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    failures.Add($"Mail:Smtp:TrustedCertificatePath \"{smtp.TrustedCertificatePath}\" is not a readable PEM certificate: {e.Message}");
                }
            }
        }

        var dkim = options.Dkim;
        if (dkim.Enabled)
        {
            if (dkim.Domain.Length == 0 || dkim.Selector.Length == 0 || dkim.PrivateKeyPath.Length == 0)
                failures.Add("Mail:Dkim needs all of Domain, Selector and PrivateKeyPath, or none of them.");
            else
            {
                try
                {
                    _ = new DkimSigner(dkim.PrivateKeyPath, dkim.Domain, dkim.Selector);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException or NotSupportedException or InvalidCastException)
                {
                    failures.Add($"Mail:Dkim:PrivateKeyPath \"{dkim.PrivateKeyPath}\" is not a readable PEM private key: {e.Message}");
                }
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckMailbox(List<string> failures, string key, string value)
    {
        if (!MailboxAddress.TryParse(value, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal) || value.Any(char.IsControl))
            failures.Add($"{key} must be an address such as \"Blog <newsletter@example.com>\", but is \"{value}\".");
    }
}
