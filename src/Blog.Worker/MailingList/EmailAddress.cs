using System.Globalization;
using MimeKit;

namespace Blog.MailingList;

/// <summary>
/// A subscriber's address, checked and normalised: the local part as given, the domain in lower-case ASCII (IDN
/// domains in their xn-- form). Two addresses that differ only in case are the same subscriber (<see cref="Key"/>), as
/// mailbox providers treat them; the address is kept and mailed as first given. Nothing that fails here ever reaches a
/// mail header.
/// </summary>
public sealed record EmailAddress
{
    public const int MaxLength = 254;
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };
    private static readonly ParserOptions Strict = new() { AllowAddressesWithoutDomain = false, AddressParserComplianceMode = RfcComplianceMode.Strict };

    private EmailAddress(string localPart, string domain)
    {
        LocalPart = localPart;
        Domain = domain;
        Value = $"{localPart}@{domain}";
    }

    public string LocalPart { get; }
    public string Domain { get; }
    public string Value { get; }

    /// <summary>Who this address is: <see cref="Value"/> lower-cased, the column the stores look subscribers up by.</summary>
    public string Key => KeyOf(Value);

    /// <summary>
    /// ASCII letters lower-cased, nothing else: an address is ASCII (see <see cref="TryParse"/>), so this is
    /// ToLowerInvariant for every address, and it is exactly what SQL's lower() does in SQLite and in PostgreSQL under
    /// COLLATE "C", so a key made here and one made by a migration's SQL are the same for any text.
    /// </summary>
    public static string KeyOf(string address) =>
        string.Create(address.Length, address, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++) span[i] = char.IsAsciiLetterUpper(text[i]) ? (char)(text[i] | 0x20) : text[i];
        });

    public override string ToString() => Value;

    public static EmailAddress Parse(string? input) =>
        TryParse(input, out var address, out var error) ? address : throw new FormatException(error);

    /// <param name="error">Why <paramref name="input"/> is not an address, in words a subscriber understands.</param>
    public static bool TryParse(string? input, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EmailAddress? address, out string error)
    {
        address = null;
        var text = input?.Trim() ?? "";
        error = Check(text);
        if (error.Length > 0) return false;

        var at = text.LastIndexOf('@');
        var local = text[..at];
        string domain;
        try
        {
            // Lower-cased first: ICU maps only what it must, and BÜCHER.de would otherwise get a different xn-- form.
            domain = Idn.GetAscii(text[(at + 1)..].ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = "the domain after @ is not a valid domain name";
            return false;
        }
        if (!domain.Contains('.', StringComparison.Ordinal) || domain.EndsWith('.'))
        {
            error = "the domain after @ must be a full domain such as example.com";
            return false;
        }
        address = new EmailAddress(local, domain);
        if (address.Value.Length > MaxLength)
        {
            address = null;
            error = $"the address is longer than {MaxLength} characters";
            return false;
        }
        return true;
    }

    private static string Check(string text)
    {
        if (text.Length == 0) return "the address is empty";
        if (text.Any(char.IsControl)) return "the address contains a line break or another control character";
        if (text.Length > MaxLength) return $"the address is longer than {MaxLength} characters";
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1) return "an address needs a name, @ and a domain, like name@example.com";
        var local = text[..at];
        if (local.Length > 64) return "the part before @ is longer than 64 characters";
        if (local.Any(c => c > 0x7e)) return "the part before @ must be plain ASCII";
        if (text[(at + 1)..].StartsWith('[')) return "an address at an IP literal is not accepted";
        // MimeKit judges the syntax; it must read the whole text as one bare address, not a name with an address in it.
        if (!MailboxAddress.TryParse(Strict, text, out var mailbox) || mailbox.Name is { Length: > 0 } || mailbox.Route.Count > 0
            || !string.Equals(mailbox.LocalPart, local, StringComparison.Ordinal)
            || text.Contains('<', StringComparison.Ordinal) || text.Contains(',', StringComparison.Ordinal))
            return "this is not a valid email address";
        return "";
    }
}
