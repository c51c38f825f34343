using System.Text;

namespace Blog.Posts;

/// <summary>URL-safe names for posts and tags: lower-case letters and digits joined by single hyphens.</summary>
public static class Slug
{
    public static string From(string text)
    {
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
