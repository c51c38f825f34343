using System.Security.Cryptography.X509Certificates;

namespace Blog.Inbox;

internal sealed class InboxOptionsValidator : IValidateOptions<InboxOptions>
{
    public ValidateOptionsResult Validate(string? name, InboxOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Protocol)) failures.Add($"Mail:Inbox:Protocol must be Imap or Pop3, but is \"{options.Protocol}\".");
        if (options.Host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) failures.Add($"Mail:Inbox:Host must be a host name or address, but is \"{options.Host}\".");
        if (options.Port is < 0 or > 65535) failures.Add($"Mail:Inbox:Port must be between 1 and 65535 (or 0 for the protocol's own), but is {options.Port}.");
        if (options.User.Length == 0) failures.Add("Mail:Inbox:User must be set when Mail:Inbox:Host is.");
        else if (options.Password.Length == 0) failures.Add("Mail:Inbox:Password must be set when Mail:Inbox:User is.");
        if (string.IsNullOrWhiteSpace(options.Folder)) failures.Add("Mail:Inbox:Folder must name a folder, such as \"INBOX\".");
        if (options.Protocol == InboxProtocol.Imap && !options.Delete && string.IsNullOrWhiteSpace(options.ProcessedFolder))
            failures.Add("Mail:Inbox:ProcessedFolder must name a folder, such as \"Processed\", unless Mail:Inbox:Delete is true.");
        if (options.Protocol == InboxProtocol.Imap && !options.Delete && string.Equals(options.ProcessedFolder, options.Folder, StringComparison.OrdinalIgnoreCase))
            failures.Add($"Mail:Inbox:ProcessedFolder must differ from Mail:Inbox:Folder, but both are \"{options.Folder}\".");
        if (options.UnhandledFolder.Length > 0 && string.Equals(options.UnhandledFolder, options.Folder, StringComparison.OrdinalIgnoreCase))
            failures.Add($"Mail:Inbox:UnhandledFolder must differ from Mail:Inbox:Folder (leave it empty to keep unhandled mail there), but both are \"{options.Folder}\".");
        if (options.PollInterval < TimeSpan.FromSeconds(1) || options.PollInterval > TimeSpan.FromMinutes(25))
            failures.Add($"Mail:Inbox:PollInterval must be between 00:00:01 and 00:25:00 (IMAP servers end an IDLE after 30 minutes), but is {options.PollInterval}.");
        if (options.Timeout <= TimeSpan.Zero) failures.Add($"Mail:Inbox:Timeout must be positive, but is {options.Timeout}.");
        if (options.BatchSize is < 1 or > 1000)
            failures.Add($"Mail:Inbox:BatchSize must be between 1 and 1000, but is {options.BatchSize}.");
        if (options.MaxMessageBytes is < 16 * 1024 or > 64 * 1024 * 1024)
            failures.Add($"Mail:Inbox:MaxMessageBytes must be between 16384 and 67108864, but is {options.MaxMessageBytes}.");
        if (options.TrustedCertificatePath.Length > 0)
        {
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificateFromFile(options.TrustedCertificatePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                failures.Add($"Mail:Inbox:TrustedCertificatePath \"{options.TrustedCertificatePath}\" is not a readable PEM certificate: {e.Message}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
