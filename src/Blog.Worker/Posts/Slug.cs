using System.Text;

namespace Blog.Posts;

/// <summary>URL-safe names for posts and tags: lower-case letters and digits joined by single hyphens.</summary>
public static class Slug
{
    public static string From(string text)
    {
        if (IsPlainAscii(text)) return text;
        var sb = new StringBuilder(text.Length);
        var pendingHyphen = false;
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsAsciiLetterOrDigit(c) || (c > 127 && char.IsLetterOrDigit(c)))
            {
                if (pendingHyphen && sb.Length > 0) sb.Append('-');
                pendingHyphen = false;
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingHyphen = true;
            }
        }
        return sb.ToString();
    }

    // Most tags and slugs already are slugs: return them without normalising or allocating.
    private static bool IsPlainAscii(string text)
    {
        if (text.Length == 0 || text[0] == '-' || text[^1] == '-') return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) continue;
            if (c != '-' || text[i - 1] == '-') return false;
        }
        return true;
    }

    /// <summary>
    /// The most UTF-8 bytes of a tag's key: it names a folder, and common file systems allow 255 bytes a name. Every
    /// key that could be written before keeps its exact spelling: readers and subscribers know it.
    /// </summary>
    public const int MaxTagKeyBytes = 255;

    /// <summary>
    /// A tag's key: its slug, or for a slug longer than <see cref="MaxTagKeyBytes"/> (100 CJK characters are 300
    /// bytes) its start and a hash of the whole, so two long tags that begin alike stay apart. A key that fits is the
    /// slug itself: a feed's address must not change under its readers.
    /// </summary>
    public static string TagKey(string tag)
    {
        var slug = From(tag);
        if (Encoding.UTF8.GetByteCount(slug) <= MaxTagKeyBytes) return slug;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(slug)).AsSpan(0, 4));
        var budget = MaxTagKeyBytes - hash.Length - 1;
        var cut = 0;
        var bytes = 0;
        foreach (var rune in slug.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > budget) break;
            bytes += rune.Utf8SequenceLength;
            cut += rune.Utf16SequenceLength;
        }
        return $"{slug[..cut].TrimEnd('-')}-{hash}";
    }

    public static bool IsValid(string slug) => slug.Length > 0 && From(slug) == slug;

    /// <summary>The slug a file name implies: <c>2026-03-01-my-post.md</c> gives <c>my-post</c>.</summary>
    public static string FromFileName(string path)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        if (name.Length > 11 && DateOnly.TryParseExact(name.AsSpan(0, 10), "yyyy-MM-dd", out _) && name[10] == '-')
            name = name[11..];
        return From(name);
    }
}
