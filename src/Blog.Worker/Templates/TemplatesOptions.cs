namespace Blog.Templates;

/// <summary>The <c>Templates</c> section.</summary>
public sealed class TemplatesOptions
{
    public const string Section = "Templates";

    /// <summary>
    /// A folder of the owner's templates. A file here replaces the shipped file of the same relative name
    /// (<c>web/subscribe.html.sbn</c>, <c>confirm.txt.sbn</c>, ...); files not overridden come from the shipped set.
    /// </summary>
    public string Path { get; set; } = "";
}
