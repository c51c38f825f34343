namespace Blog.Inbox;

/// <summary>
/// What an enhanced status code (RFC 3463, class.subject.detail) says about the address, as opposed to the message or
/// the way. Only a 5.x.x that blames the address is a hard bounce. 5.7.x (policy: authentication, DMARC, blocklists,
/// content), 5.3.x (the receiving system) and 5.4.x (network and routing) are the sender's or the path's trouble, and
/// 5.2.2 (mailbox full) passes: counted hard, a DKIM mistake or one blocklisting would suspend every subscriber at a
/// domain within <c>Mail:MaxBounces</c> digests. They are soft, and suspend only if they go on
/// (<c>Mail:MaxSoftBounces</c> within <c>Mail:SoftBounceWindow</c>).
/// </summary>
internal static class BounceStatus
{
    /// <summary>Whether <paramref name="code"/> (a well-formed <c>d.d.d</c>) is a permanent failure of the address itself.</summary>
    public static bool IsPermanent(ReadOnlySpan<char> code)
    {
        if (code.Length < 5 || code[0] != '5' || code[1] != '.') return false;
        var rest = code[2..];
        var dot = rest.IndexOf('.');
        if (dot <= 0) return false;
        var subject = rest[..dot];
        var detail = rest[(dot + 1)..];
        if (subject is "3" or "4" or "7") return false;
        return !(subject is "2" && detail is "2");
    }
}
