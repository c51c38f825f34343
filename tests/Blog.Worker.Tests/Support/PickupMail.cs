using MimeKit;

namespace Blog.Tests.Support;

/// <summary>The mail the pickup transport wrote, read back with MimeKit as a mail server would.</summary>
public sealed class PickupMail(string folder)
{
    public string Folder { get; } = folder;

    public IReadOnlyList<MimeMessage> All() => !Directory.Exists(Folder)
        ? []
        : [.. Directory.EnumerateFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))];

    /// <summary>Mail to exactly this (normalised) address: the local part is case-sensitive.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. All().Where(m => m.To.Mailboxes.Any(b => b.Address == address))];

    public async Task<MimeMessage> WaitForAsync(string address, int count = 1)
    {
        await Eventually.Until(() => To(address).Count >= count, $"{count} mail(s) to {address} in {Folder}");
        return To(address).OrderBy(m => m.Date).Last();
    }

    /// <summary>The https (here http) address of the List-Unsubscribe header.</summary>
    public static Uri Unsubscribe(MimeMessage message) =>
        new(message.Headers["List-Unsubscribe"]!.Split(',')[0].Trim().Trim('<', '>'));

    /// <summary>The first <c>/{page}?token=</c> link in the text part.</summary>
    public static Uri Link(MimeMessage message, string page)
    {
        var text = message.TextBody ?? "";
        var start = text.IndexOf("/" + page + "?token=", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no /{page} link in the mail:\n{text}");
        var begin = text.LastIndexOf("http", start, StringComparison.Ordinal);
        var end = text.IndexOfAny([' ', '\n', '\r'], start);
        return new Uri(text[begin..(end < 0 ? text.Length : end)]);
    }
}
